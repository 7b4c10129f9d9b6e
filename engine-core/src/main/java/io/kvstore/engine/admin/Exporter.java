package io.kvstore.engine.admin;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.codec.Codec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;

/**
 * Streams a key range of a store into a file, one record at a time, from one consistent scan.
 *
 * <pre>
 * entry → value as JSON text ({@link Codec#toJson}) → a JSON object: written as it is, with
 *         keyField: key added in front when it lacks the key field; anything else (an array, a
 *         scalar, text that is not JSON) as {keyField: key, "value": value}
 * </pre>
 * The file is written under a temporary name and renamed into place when complete; a name ending
 * in {@code .gz} is compressed.
 */
public final class Exporter {

    private Exporter() {
    }

    /** Exports from {@code db} to {@code file}; {@code progress} (may be null) hears the count of records written. */
    public static TransferReport exportFile(KvStore db, Path file, ExportOptions options, LongConsumer progress) {
        long start = System.nanoTime();
        DataFormat format = options.format() != null ? options.format() : DataFormat.fromExtension(file);
        if (format == null) {
            throw new IllegalArgumentException("cannot tell the export format of " + file.getFileName()
                    + " from its extension; name one of ndjson, json, csv, yaml, bson");
        }
        char delimiter = options.csvDelimiter() != null ? options.csvDelimiter()
                : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.tsv(\\.gz)?") ? '\t' : ',';
        Codec codec = db.options().codec();
        Path temp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".tmp");
        long records = 0;
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            try (RecordWriters.RecordWriter writer = open(format, temp, file, delimiter, options);
                    KvIterator it = db.scan(options.range())) {
                while (it.hasNext()) {
                    KvEntry e = it.next();
                    writer.write(e.keyAsString(), record(e, codec, options.keyField()));
                    records++;
                    if (progress != null && (records & 1023) == 0) {
                        progress.accept(records);
                    }
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ImportException("export to " + file + " failed after " + records + " records: " + e, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
        if (progress != null) {
            progress.accept(records);
        }
        return new TransferReport(format, records, records, 0, 0, Duration.ofNanos(System.nanoTime() - start), null);
    }

    private static RecordWriters.RecordWriter open(DataFormat format, Path temp, Path file, char delimiter,
            ExportOptions options) throws IOException {
        if (format == DataFormat.SQLITE) {
            Files.deleteIfExists(temp);
            return new SqliteRecords.Writer(temp, options.sqlTable());
        }
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        OutputStream out = file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
        return RecordWriters.open(format, out, delimiter);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> record(KvEntry e, Codec codec, String keyField) {
        String key = e.keyAsString();
        Object value;
        try {
            value = Documents.parseJson(codec.toJson(e.value()));
        } catch (IllegalArgumentException notJson) {
            value = e.valueAsString();
        }
        if (value instanceof Map<?, ?> map) {
            if (map.containsKey(keyField)) {
                return (Map<String, Object>) map;
            }
            Map<String, Object> withKey = new LinkedHashMap<>();
            withKey.put(keyField, key);
            withKey.putAll((Map<String, Object>) map);
            return withKey;
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put(keyField, key);
        wrapped.put("value", value);
        return wrapped;
    }
}
