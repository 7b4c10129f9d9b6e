package io.kvstore.engine.admin;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.RawBsonDocument;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamFactory;

/**
 * Streaming readers of import files: each holds one record (and a read buffer) at a time, never
 * the file. A row that cannot be a record but leaves the reader able to go on (a malformed NDJSON
 * line, a CSV row with the wrong number of cells, a JSON array element that is not an object) is
 * returned as a {@link Row} with an error; damage the reader cannot step over (a JSON syntax error
 * inside an array, a truncated BSON document) throws {@link ImportException}.
 */
final class RecordReaders {

    /** Longest NDJSON line, CSV record or BSON document accepted: bounds the memory one record takes. */
    static final int MAX_RECORD_CHARS = 16 << 20;

    private RecordReaders() {
    }

    /** A record ({@code doc}) or a bad row ({@code error}); {@code number} counts from 1, {@code source} is the raw text when known. */
    record Row(long number, Map<String, Object> doc, String error, String source) {
    }

    interface RecordReader extends Closeable {
        /** The next row, or {@code null} at the end of the input. */
        Row next() throws IOException;
    }

    static RecordReader open(DataFormat format, InputStream in, char csvDelimiter) throws IOException {
        return switch (format) {
            case NDJSON -> new Ndjson(Io.utf8Reader(in));
            case JSON -> new TokenStream(Documents.JSON, in, "JSON");
            case YAML -> new TokenStream(Yaml.factory(), in, "YAML");
            case CSV -> new Csv(Io.utf8Reader(in), csvDelimiter);
            case BSON -> new Bson(in);
            case SQLITE -> throw new IllegalArgumentException("SQLite reads a file, not a stream");
        };
    }

    private static String describe(Object value) {
        return value == null ? "null" : value instanceof List ? "an array" : value instanceof String ? "a string"
                : value instanceof Boolean ? "a boolean" : "a number";
    }

    /** One JSON object per line; blank lines are skipped. */
    static final class Ndjson implements RecordReader {
        private final BufferedReader in;
        private long line;

        Ndjson(BufferedReader in) {
            this.in = in;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Row next() throws IOException {
            while (true) {
                String text = Io.readLine(in, MAX_RECORD_CHARS);
                if (text == null) {
                    return null;
                }
                line++;
                if (text.isBlank()) {
                    continue;
                }
                Object value;
                try {
                    value = Documents.parseJson(text);
                } catch (IllegalArgumentException e) {
                    return new Row(line, null, "line " + line + " is not valid JSON: " + e.getMessage(), text);
                }
                if (!(value instanceof Map)) {
                    return new Row(line, null, "line " + line + " is " + describe(value) + ", not a JSON object", text);
                }
                return new Row(line, (Map<String, Object>) value, null, text);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * A JSON array of objects, or a YAML sequence of mappings or stream of mapping documents: read
     * token by token, so only the current element is in memory.
     */
    static final class TokenStream implements RecordReader {
        private final JsonParser p;
        private final String what;
        private Boolean inArray;
        private long number;

        TokenStream(TokenStreamFactory factory, InputStream in, String what) {
            this.p = factory.createParser(ObjectReadContext.empty(), in);
            this.what = what;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Row next() {
            try {
                JsonToken t = p.nextToken();
                if (inArray == null) {
                    inArray = t == JsonToken.START_ARRAY;
                    if (!inArray && what.equals("JSON")) {
                        throw new ImportException(what + " input must be an array of objects; it starts with "
                                + (t == null ? "nothing" : t.asString()));
                    }
                    if (inArray) {
                        t = p.nextToken();
                    }
                }
                if (t == null || (inArray && t == JsonToken.END_ARRAY)) {
                    if (inArray && t == null) {
                        throw new ImportException(what + " input ends inside its array (after element " + number + ")");
                    }
                    return null;
                }
                number++;
                long line = p.currentLocation().getLineNr();
                Object value = Documents.read(p, t);
                if (!(value instanceof Map)) {
                    return new Row(number, null, "element " + number + " (line " + line + ") is " + describe(value)
                            + ", not an object", Documents.toJson(value));
                }
                return new Row(number, (Map<String, Object>) value, null, null);
            } catch (JacksonException e) {
                throw new ImportException(what + " syntax error after element " + number + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            p.close();
        }
    }

    /** RFC 4180: a header row names the fields; quoted cells may hold the delimiter, quotes and line breaks. */
    static final class Csv implements RecordReader {
        private final Reader in;
        private final char delimiter;
        private List<String> header;
        private long line = 1;
        private long number;
        private int pushedBack = -2;

        Csv(Reader in, char delimiter) {
            this.in = in;
            this.delimiter = delimiter;
        }

        @Override
        public Row next() throws IOException {
            if (header == null) {
                header = readRecord();
                if (header == null) {
                    return null;
                }
                if (header.get(0).startsWith("\uFEFF")) {
                    header.set(0, header.get(0).substring(1)); // a UTF-8 byte order mark, as spreadsheets write it
                }
                if (header.stream().anyMatch(String::isEmpty) || header.stream().distinct().count() != header.size()) {
                    throw new ImportException("CSV header " + header + " has an empty or repeated column name");
                }
            }
            while (true) {
                long startLine = line;
                List<String> cells = readRecord();
                if (cells == null) {
                    return null;
                }
                if (cells.size() == 1 && cells.get(0).isEmpty()) {
                    continue; // blank line
                }
                number++;
                String source = String.join(String.valueOf(delimiter), cells);
                if (cells.size() != header.size()) {
                    return new Row(number, null, "row " + number + " (line " + startLine + ") has " + cells.size()
                            + " cells; the header has " + header.size(), source);
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    doc.put(header.get(i), cells.get(i));
                }
                return new Row(number, doc, null, source);
            }
        }

        private int read() throws IOException {
            if (pushedBack != -2) {
                int c = pushedBack;
                pushedBack = -2;
                return c;
            }
            return in.read();
        }

        /** The cells of the next record, or null at the end of input. */
        private List<String> readRecord() throws IOException {
            int c = read();
            if (c < 0) {
                return null;
            }
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            long chars = 0;
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                if (++chars > MAX_RECORD_CHARS) {
                    throw new ImportException("CSV record at line " + line + " is longer than " + MAX_RECORD_CHARS
                            + " characters (an unclosed quote?)");
                }
                if (quoted) {
                    if (c < 0) {
                        throw new ImportException("CSV input ends inside a quoted cell (line " + line + ")");
                    }
                    if (c == '"') {
                        int n = read();
                        if (n == '"') {
                            cell.append('"');
                        } else {
                            quoted = false;
                            c = n;
                            continue;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        cell.append((char) c);
                    }
                } else if (c == '"' && cell.length() == 0 && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == delimiter) {
                    cells.add(cell.toString());
                    cell.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' || c == '\n' || c < 0) {
                    if (c == '\r') {
                        int n = read();
                        if (n != '\n') {
                            pushedBack = n;
                        }
                    }
                    if (c >= 0) {
                        line++;
                    }
                    cells.add(cell.toString());
                    return cells;
                } else {
                    cell.append((char) c);
                }
                c = read();
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Length-prefixed BSON documents; each becomes a record through relaxed Extended JSON. */
    static final class Bson implements RecordReader {
        private static final JsonWriterSettings RELAXED = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED)
                .build();
        private final InputStream in;
        private long number;
        private long offset;

        Bson(InputStream in) {
            this.in = in;
        }

        @SuppressWarnings("unchecked")
        @Override
        public Row next() throws IOException {
            byte[] prefix = in.readNBytes(4);
            if (prefix.length == 0) {
                return null;
            }
            if (prefix.length < 4) {
                throw new ImportException("BSON input ends inside the length of document " + (number + 1)
                        + " at offset " + offset);
            }
            int length = (prefix[0] & 0xFF) | (prefix[1] & 0xFF) << 8 | (prefix[2] & 0xFF) << 16 | (prefix[3] & 0xFF) << 24;
            if (length < 5 || length > MAX_RECORD_CHARS) {
                throw new ImportException("BSON document " + (number + 1) + " at offset " + offset + " claims " + length
                        + " bytes; not a BSON stream or a damaged one");
            }
            byte[] doc = new byte[length];
            System.arraycopy(prefix, 0, doc, 0, 4);
            int n = in.readNBytes(doc, 4, length - 4);
            if (n < length - 4) {
                throw new ImportException("BSON input ends inside document " + (number + 1) + " at offset " + offset,
                        new EOFException());
            }
            number++;
            long at = offset;
            offset += length;
            try {
                String json = new RawBsonDocument(doc).toJson(RELAXED);
                return new Row(number, (Map<String, Object>) Documents.parseJson(json), null, null);
            } catch (RuntimeException e) {
                return new Row(number, null, "BSON document " + number + " at offset " + at + " is malformed: "
                        + e.getMessage(), null);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
