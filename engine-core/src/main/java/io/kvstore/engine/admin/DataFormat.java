package io.kvstore.engine.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats of import and export. */
public enum DataFormat {
    /** One JSON object per line ({@code .ndjson}, {@code .jsonl}). */
    NDJSON,
    /** One JSON array of objects ({@code .json} starting with {@code [}). */
    JSON,
    /** Comma- (or other-) separated values with a header row, RFC 4180 quoting ({@code .csv}, {@code .tsv}). */
    CSV,
    /** A YAML sequence of mappings, or a stream of {@code ---} documents ({@code .yaml}, {@code .yml}). */
    YAML,
    /** Concatenated BSON documents, each starting with its int32 little-endian length, as mongodump writes them ({@code .bson}). */
    BSON,
    /**
     * A SQLite database file ({@code .sqlite}, {@code .sqlite3}, {@code .db}): import reads a table or
     * query, export writes a table {@code (key TEXT PRIMARY KEY, value TEXT)} of JSON documents.
     */
    SQLITE;

    /** The first 16 bytes of every SQLite database file. */
    static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    /** The format named {@code name} (any case; {@code jsonl} is NDJSON). */
    public static DataFormat named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "jsonl":
                return NDJSON;
            case "yml":
                return YAML;
            case "tsv":
                return CSV;
            case "sqlite3":
            case "db":
                return SQLITE;
            default:
                for (DataFormat f : values()) {
                    if (f.name().toLowerCase(Locale.ROOT).equals(n)) {
                        return f;
                    }
                }
                throw new IllegalArgumentException("unknown format '" + name
                        + "'; valid formats are ndjson, json, csv, yaml, bson and sqlite");
        }
    }

    /** The format of a file to export to, from its extension alone. */
    public static DataFormat fromExtension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return NDJSON;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            return CSV;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        }
        if (name.endsWith(".bson")) {
            return BSON;
        }
        if (name.endsWith(".sqlite") || name.endsWith(".sqlite3") || name.endsWith(".db")) {
            return SQLITE;
        }
        return null;
    }

    /**
     * The format of an existing file: its extension where it is unambiguous, else its first bytes
     * (SQLite's magic, {@code [} JSON, {@code {} NDJSON, a plausible BSON length and element type, YAML's
     * {@code ---} or {@code - }, otherwise CSV).
     */
    public static DataFormat detect(Path file) throws IOException {
        DataFormat byName = fromExtension(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        if (byName != null && byName != JSON) {
            return byName;
        }
        return sniff(head, byName);
    }

    static DataFormat sniff(byte[] head, DataFormat byName) {
        if (head.length >= SQLITE_MAGIC.length
                && java.util.Arrays.equals(head, 0, SQLITE_MAGIC.length, SQLITE_MAGIC, 0, SQLITE_MAGIC.length)) {
            return SQLITE;
        }
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            i = 3; // UTF-8 byte order mark
        }
        if (head.length >= 5) {
            long length = (head[0] & 0xFFL) | (head[1] & 0xFFL) << 8 | (head[2] & 0xFFL) << 16 | (head[3] & 0xFFL) << 24;
            int type = head[4] & 0xFF;
            if (length >= 5 && length < (16 << 20) && ((type >= 0x01 && type <= 0x13) || type == 0x7F || type == 0xFF
                    || (length == 5 && type == 0))) {
                return BSON;
            }
        }
        while (i < head.length && Character.isWhitespace(head[i])) {
            i++;
        }
        if (i < head.length && head[i] == '[') {
            return JSON;
        }
        if (i < head.length && head[i] == '{') {
            return NDJSON;
        }
        String text = new String(head, i, head.length - i, StandardCharsets.UTF_8);
        if (text.startsWith("---") || text.startsWith("- ") || text.startsWith("%YAML")) {
            return YAML;
        }
        return byName == JSON ? JSON : CSV;
    }

    /** The conventional file extension. */
    public String extension() {
        return name().toLowerCase(Locale.ROOT);
    }
}
