package io.kvstore.engine.admin;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.RawBsonDocument;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

/** Streaming writers of export files: one record at a time goes out, nothing is collected. */
final class RecordWriters {

    private RecordWriters() {
    }

    interface RecordWriter extends Closeable {
        /** Writes one record; {@code key} is its key in the store (only SQLite keeps it apart from the record). */
        void write(String key, Map<String, Object> doc) throws IOException;
    }

    static RecordWriter open(DataFormat format, OutputStream out, char csvDelimiter) {
        return switch (format) {
            case NDJSON -> new Ndjson(writer(out));
            case JSON -> new JsonArray(writer(out));
            case YAML -> new YamlDocuments(out);
            case CSV -> new Csv(writer(out), csvDelimiter);
            case BSON -> new Bson(out);
            case SQLITE -> throw new IllegalArgumentException("SQLite writes to a file, not a stream");
        };
    }

    private static Writer writer(OutputStream out) {
        return new OutputStreamWriter(out, StandardCharsets.UTF_8);
    }

    static final class Ndjson implements RecordWriter {
        private final Writer out;

        Ndjson(Writer out) {
            this.out = out;
        }

        @Override
        public void write(String key, Map<String, Object> doc) throws IOException {
            out.write(Documents.toJson(doc));
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** {@code [} then one element per line, {@code ]}: valid JSON that still diffs line by line. */
    static final class JsonArray implements RecordWriter {
        private final Writer out;
        private boolean first = true;

        JsonArray(Writer out) {
            this.out = out;
        }

        @Override
        public void write(String key, Map<String, Object> doc) throws IOException {
            out.write(first ? "[\n" : ",\n");
            first = false;
            out.write(Documents.toJson(doc));
        }

        @Override
        public void close() throws IOException {
            out.write(first ? "[]\n" : "\n]\n");
            out.close();
        }
    }

    /** A stream of YAML documents, one mapping each. */
    static final class YamlDocuments implements RecordWriter {
        private final JsonGenerator g;

        YamlDocuments(OutputStream out) {
            this.g = Yaml.factory().createGenerator(ObjectWriteContext.empty(), out);
        }

        @Override
        public void write(String key, Map<String, Object> doc) {
            Documents.write(g, doc);
        }

        @Override
        public void close() {
            g.close();
        }
    }

    /**
     * The header is the first record's fields; a later record with a field the header lacks fails,
     * naming the field. Objects and arrays become JSON text in their cell, {@code null} an empty cell.
     */
    static final class Csv implements RecordWriter {
        private final Writer out;
        private final char delimiter;
        private List<String> header;

        Csv(Writer out, char delimiter) {
            this.out = out;
            this.delimiter = delimiter;
        }

        @Override
        public void write(String key, Map<String, Object> doc) throws IOException {
            if (header == null) {
                header = new ArrayList<>(doc.keySet());
                writeRow(header);
            }
            for (String field : doc.keySet()) {
                if (!header.contains(field)) {
                    throw new ImportException("field '" + field + "' of a record is not in the CSV header " + header
                            + " (taken from the first record); CSV export needs records with the same fields");
                }
            }
            List<String> cells = new ArrayList<>(header.size());
            for (String field : header) {
                cells.add(Documents.text(doc.get(field)));
            }
            writeRow(cells);
        }

        private void writeRow(List<String> cells) throws IOException {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    out.write(delimiter);
                }
                String cell = cells.get(i);
                boolean quote = cell.indexOf(delimiter) >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                        || cell.indexOf('\r') >= 0;
                if (quote) {
                    out.write('"');
                    out.write(cell.replace("\"", "\"\""));
                    out.write('"');
                } else {
                    out.write(cell);
                }
            }
            out.write("\r\n");
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Each record as a BSON document from its relaxed Extended JSON ({@code $oid}, {@code $date} ... come back typed). */
    static final class Bson implements RecordWriter {
        private final OutputStream out;

        Bson(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(String key, Map<String, Object> doc) throws IOException {
            RawBsonDocument bson = RawBsonDocument.parse(Documents.toJson(doc));
            java.nio.ByteBuffer buffer = bson.getByteBuffer().asNIO();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            out.write(bytes);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
