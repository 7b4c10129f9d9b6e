package io.kvstore.engine.admin;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@link Importer} reads a file. Immutable; start from {@link #defaults()}.
 *
 * @param format       the file's format, or {@code null} to detect it from the extension and first bytes
 * @param keyField     the field holding each record's key (default {@code _id}); a record without
 *                     it gets a random UUID, which is also stored in that field so an export
 *                     carries it
 * @param keyTemplate  a key built from fields instead, e.g. {@code users:{id}} or {@code {a.b}/{c}};
 *                     {@code null} to use {@code keyField}
 * @param skipErrors   write bad rows with their reasons to {@code errorsFile} and go on, instead of stopping at the first
 * @param batchSize    records per atomic write batch
 * @param csvDelimiter the CSV cell separator (default {@code ,}; {@code \t} for {@code .tsv} files when left at the default)
 * @param errorsFile   where skipped rows go; {@code null} means {@code <file>.errors.jsonl}
 * @param sqlSource    SQLite only: a table name or a {@code SELECT} query; {@code null} reads the
 *                     database's only table
 */
public record ImportOptions(DataFormat format, String keyField, String keyTemplate, boolean skipErrors,
        int batchSize, Character csvDelimiter, Path errorsFile, String sqlSource) {

    public ImportOptions {
        Objects.requireNonNull(keyField, "keyField must not be null");
        if (keyField.isEmpty()) {
            throw new IllegalArgumentException("keyField must not be empty");
        }
        if (keyTemplate != null && !keyTemplate.matches(".*\\{[^{}]+}.*")) {
            throw new IllegalArgumentException("key template '" + keyTemplate + "' names no field; write fields as {name}");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 100000, was " + batchSize);
        }
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, "_id", null, false, 1000, null, null, null);
    }

    public ImportOptions withFormat(DataFormat format) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, csvDelimiter, errorsFile,
                sqlSource);
    }

    public ImportOptions withKeyField(String keyField) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, csvDelimiter, errorsFile,
                sqlSource);
    }

    public ImportOptions withKeyTemplate(String keyTemplate) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, csvDelimiter, errorsFile,
                sqlSource);
    }

    public ImportOptions withSkipErrors(boolean skipErrors) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, csvDelimiter, errorsFile,
                sqlSource);
    }

    public ImportOptions withBatchSize(int batchSize) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, csvDelimiter, errorsFile,
                sqlSource);
    }

    public ImportOptions withCsvDelimiter(char delimiter) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, delimiter, errorsFile,
                sqlSource);
    }

    public ImportOptions withSqlSource(String tableOrQuery) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, csvDelimiter, errorsFile,
                tableOrQuery);
    }

    public ImportOptions withErrorsFile(Path errorsFile) {
        return new ImportOptions(format, keyField, keyTemplate, skipErrors, batchSize, csvDelimiter, errorsFile,
                sqlSource);
    }
}
