package io.kvstore.engine.admin;

import io.kvstore.engine.KeyRange;
import java.util.Objects;

/**
 * How {@link Exporter} writes a file. Immutable; start from {@link #defaults()}.
 *
 * @param format       the file's format, or {@code null} to take it from the extension
 * @param range        the keys to export (default all)
 * @param keyField     a record whose value is a JSON object without this field gets it, holding its
 *                     key, so importing the file with the same key field restores the keys; a value
 *                     that is not an object is written as {@code {keyField: key, "value": value}}
 * @param csvDelimiter the CSV cell separator ({@code null}: {@code ,}, or tab for {@code .tsv})
 * @param sqlTable     SQLite only: the table to create (default {@code kvstore}); the file must not hold it yet
 */
public record ExportOptions(DataFormat format, KeyRange range, String keyField, Character csvDelimiter,
        String sqlTable) {

    public ExportOptions {
        Objects.requireNonNull(range, "range must not be null");
        Objects.requireNonNull(keyField, "keyField must not be null");
        Objects.requireNonNull(sqlTable, "sqlTable must not be null");
        if (!sqlTable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("SQL table name '" + sqlTable + "' must be letters, digits and _");
        }
    }

    public static ExportOptions defaults() {
        return new ExportOptions(null, KeyRange.all(), "_id", null, "kvstore");
    }

    public ExportOptions withFormat(DataFormat format) {
        return new ExportOptions(format, range, keyField, csvDelimiter, sqlTable);
    }

    public ExportOptions withRange(KeyRange range) {
        return new ExportOptions(format, range, keyField, csvDelimiter, sqlTable);
    }

    public ExportOptions withKeyField(String keyField) {
        return new ExportOptions(format, range, keyField, csvDelimiter, sqlTable);
    }

    public ExportOptions withSqlTable(String table) {
        return new ExportOptions(format, range, keyField, csvDelimiter, table);
    }

    public ExportOptions withCsvDelimiter(char delimiter) {
        return new ExportOptions(format, range, keyField, delimiter, sqlTable);
    }
}
