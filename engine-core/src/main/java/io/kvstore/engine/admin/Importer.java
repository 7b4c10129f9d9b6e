package io.kvstore.engine.admin;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.WriteBatch;
import io.kvstore.engine.codec.Codec;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Streams records from a file into a store in batches: memory holds one record being parsed and
 * one batch, whatever the file's size.
 *
 * <pre>
 * record → key (template, key field, or a new UUID stored in the key field)
 *        → value: the record as JSON text, in the store's codec ({@link Codec#fromJson})
 *        → batch of batchSize puts, written atomically
 * bad row → with skip-errors: one line {"row":n,"error":"...","source":"..."} in the errors file; else ImportException
 * </pre>
 * A file ending in {@code .gz} is decompressed on the fly.
 */
public final class Importer {

    private static final Pattern FIELD = Pattern.compile("\\{([^{}]+)}");

    private final KvStore db;
    private final ImportOptions options;
    private final Codec codec;
    /** The skip-errors sidecar, opened at the first bad row. */
    private Path errorsPath;
    private BufferedWriter errors;

    private Importer(KvStore db, ImportOptions options) {
        this.db = db;
        this.options = options;
        this.codec = db.options().codec();
    }

    /** Imports {@code file} into {@code db}; {@code progress} (may be null) hears the count of rows read. */
    public static TransferReport importFile(KvStore db, Path file, ImportOptions options, LongConsumer progress) {
        return new Importer(db, options).run(file, progress);
    }

    private TransferReport run(Path file, LongConsumer progress) {
        long start = System.nanoTime();
        if (!Files.isRegularFile(file)) {
            throw new ImportException("import file " + file + " does not exist or is not a file");
        }
        DataFormat format;
        try {
            format = options.format() != null ? options.format() : detect(file);
        } catch (IOException e) {
            throw new ImportException("cannot read " + file + ": " + e, e);
        }
        char delimiter = options.csvDelimiter() != null ? options.csvDelimiter()
                : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.tsv(\\.gz)?") ? '\t' : ',';
        errorsPath = options.errorsFile() != null ? options.errorsFile()
                : file.resolveSibling(file.getFileName() + ".errors.jsonl");
        if (options.skipErrors()) {
            try {
                Files.deleteIfExists(errorsPath); // the sidecar describes this run only
            } catch (IOException e) {
                throw new ImportException("cannot replace the errors file " + errorsPath + ": " + e, e);
            }
        }
        long rows = 0;
        long written = 0;
        long failed = 0;
        long batches = 0;
        List<Pending> batch = new ArrayList<>(Math.min(options.batchSize(), 4096));
        try (RecordReaders.RecordReader reader = openReader(file, format, delimiter)) {
            for (RecordReaders.Row row; (row = reader.next()) != null; ) {
                rows++;
                String error = row.error();
                Pending p = null;
                if (error == null) {
                    try {
                        p = toPending(row);
                    } catch (IllegalArgumentException e) {
                        error = "row " + row.number() + ": " + e.getMessage();
                    }
                }
                if (error != null) {
                    if (!options.skipErrors()) {
                        written += commit(batch);
                        throw new ImportException(error + " (in " + file + "; " + written
                                + " records imported before it; use skip-errors to go on past bad rows)");
                    }
                    writeError(row.number(), error, row.source() != null ? row.source()
                            : row.doc() != null ? Documents.toJson(row.doc()) : null);
                    failed++;
                } else {
                    batch.add(p);
                }
                if (batch.size() >= options.batchSize()) {
                    int size = batch.size();
                    long ok = commit(batch);
                    failed += size - ok;
                    written += ok;
                    batches++;
                }
                if (progress != null && (rows & 1023) == 0) {
                    progress.accept(rows);
                }
            }
            if (!batch.isEmpty()) {
                int size = batch.size();
                long ok = commit(batch);
                failed += size - ok;
                written += ok;
                batches++;
            }
            if (progress != null) {
                progress.accept(rows);
            }
        } catch (IOException e) {
            throw new ImportException("import of " + file + " failed after " + rows + " rows: " + e, e);
        } catch (UncheckedIOException e) {
            throw new ImportException("import of " + file + " failed after " + rows + " rows: " + e.getCause(), e);
        } finally {
            if (errors != null) {
                try {
                    errors.close();
                } catch (IOException ignored) {
                    // the import's own outcome is what the caller needs
                }
            }
        }
        boolean anyErrors = failed > 0;
        return new TransferReport(format, rows, written, failed, batches, Duration.ofNanos(System.nanoTime() - start),
                anyErrors ? errorsPath : null);
    }

    private static DataFormat detect(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return DataFormat.detect(file);
        }
        DataFormat byName = DataFormat.fromExtension(file);
        if (byName != null && byName != DataFormat.JSON) {
            return byName;
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return DataFormat.sniff(in.readNBytes(512), byName);
        }
    }

    /** The reader of {@code file}, which owns (and closes) what it opened. */
    private RecordReaders.RecordReader openReader(Path file, DataFormat format, char delimiter) throws IOException {
        if (format == DataFormat.SQLITE) {
            return new SqliteRecords.Reader(file, options.sqlSource());
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return RecordReaders.open(format, in, delimiter);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A record ready to write. */
    private record Pending(long row, String key, byte[] value, String json) {
    }

    private Pending toPending(RecordReaders.Row row) {
        Map<String, Object> doc = row.doc();
        String key;
        if (options.keyTemplate() != null) {
            Matcher m = FIELD.matcher(options.keyTemplate());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                Object v = field(doc, m.group(1));
                if (v == null || v instanceof Map || v instanceof List) {
                    throw new IllegalArgumentException("key template field '" + m.group(1) + "' is "
                            + (v == null ? "missing or null" : "not a scalar"));
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(Documents.text(v)));
            }
            m.appendTail(sb);
            key = sb.toString();
        } else {
            Object v = doc.get(options.keyField());
            if (v instanceof Map<?, ?> m && m.size() == 1 && m.get("$oid") instanceof String oid) {
                key = oid;
            } else if (v instanceof Map || v instanceof List) {
                throw new IllegalArgumentException("key field '" + options.keyField() + "' is not a scalar");
            } else if (v == null) {
                key = UUID.randomUUID().toString();
                Map<String, Object> withId = new LinkedHashMap<>();
                withId.put(options.keyField(), key);
                withId.putAll(doc);
                doc = withId;
            } else {
                key = Documents.text(v);
            }
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the key is empty");
        }
        int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > db.options().maxKeySize()) {
            throw new IllegalArgumentException("the key is " + keyBytes + " bytes; maxKeySize is "
                    + db.options().maxKeySize());
        }
        String json = Documents.toJson(doc);
        byte[] value;
        try {
            value = codec.fromJson(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the record is not a valid " + codec + " value: " + e.getMessage());
        }
        if (value.length > db.options().maxValueSize()) {
            throw new IllegalArgumentException("the value is " + value.length + " bytes; maxValueSize is "
                    + db.options().maxValueSize());
        }
        return new Pending(row.number(), key, value, json);
    }

    private static Object field(Map<String, Object> doc, String path) {
        Object at = doc;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(part);
        }
        return at;
    }

    /**
     * Writes the batch atomically and clears it; returns the records stored. If the batch fails
     * with skip-errors, writes the records one by one so only the bad ones fail.
     */
    private long commit(List<Pending> batch) throws IOException {
        if (batch.isEmpty()) {
            return 0;
        }
        WriteBatch wb = new WriteBatch();
        for (Pending p : batch) {
            wb.put(p.key(), p.value());
        }
        try {
            db.write(wb);
            long n = batch.size();
            batch.clear();
            return n;
        } catch (IllegalArgumentException e) {
            if (!options.skipErrors()) {
                batch.clear();
                throw new ImportException("a batch of " + wb.size() + " records was refused: " + e.getMessage(), e);
            }
        }
        long ok = 0;
        for (Pending p : batch) {
            try {
                db.put(p.key(), p.value());
                ok++;
            } catch (IllegalArgumentException e) {
                writeError(p.row(), "row " + p.row() + ": " + e.getMessage(), p.json());
            }
        }
        batch.clear();
        return ok;
    }

    private void writeError(long row, String error, String source) throws IOException {
        if (errors == null) {
            errors = Files.newBufferedWriter(errorsPath, StandardCharsets.UTF_8);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("row", row);
        line.put("error", error);
        line.put("source", source);
        errors.write(Documents.toJson(line));
        errors.write('\n');
    }
}
