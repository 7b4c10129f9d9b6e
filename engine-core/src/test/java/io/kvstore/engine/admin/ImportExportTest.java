package io.kvstore.engine.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.codec.Codec;
import java.io.ByteArrayOutputStream;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImportExportTest {

    @TempDir
    Path tmp;

    private final KvStoreOptions json = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE).withCodec(Codec.JSON);

    private static final List<String> DOCS = List.of(
            "{\"_id\":\"u1\",\"name\":\"Ada, Countess\",\"age\":36,\"tags\":[\"math\",\"poetry\"],\"address\":{\"city\":\"London\"}}",
            "{\"_id\":\"u2\",\"name\":\"Grace \\\"Amazing\\\" Hopper\",\"age\":85,\"active\":true,\"score\":9.75,\"note\":null}",
            "{\"_id\":\"u3\",\"name\":\"Line\\nbreak\",\"age\":-1,\"big\":12345678901234}");

    /** What each format's source file holds; CSV holds strings only. */
    private Path source(DataFormat format) throws IOException {
        Path file = tmp.resolve("source." + format.extension());
        switch (format) {
            case NDJSON -> Files.writeString(file, String.join("\n", DOCS) + "\n\n");
            case JSON -> Files.writeString(file, "[\n" + String.join(",\n", DOCS) + "\n]\n");
            case YAML -> Files.writeString(file, """
                    - _id: u1
                      name: "Ada, Countess"
                      age: 36
                      tags: [math, poetry]
                      address: {city: London}
                    - _id: u2
                      name: Grace "Amazing" Hopper
                      active: true
                      score: 9.75
                      note: null
                    """);
            case CSV -> Files.writeString(file, "_id,name,city\r\nu1,\"Ada, Countess\",London\r\n"
                    + "u2,\"Grace \"\"Amazing\"\" Hopper\",\"New\nYork\"\r\nu3,Alan,\r\n");
            case BSON -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (String doc : List.of(
                        "{\"_id\": {\"$oid\": \"65a1b2c3d4e5f60718293a4b\"}, \"n\": {\"$numberLong\": \"7\"}, \"when\": {\"$date\": \"2024-01-02T03:04:05Z\"}}",
                        "{\"_id\": \"plain\", \"nested\": {\"list\": [1, 2.5, \"x\"]}, \"flag\": false}")) {
                    ByteBuffer b = RawBsonDocument.parse(doc).getByteBuffer().asNIO();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    out.write(bytes);
                }
                Files.write(file, out.toByteArray());
            }
            case SQLITE -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                        Statement st = c.createStatement()) {
                    st.executeUpdate("CREATE TABLE people (_id TEXT, name TEXT, age INTEGER, score REAL, note TEXT,"
                            + " photo BLOB)");
                    st.executeUpdate("INSERT INTO people VALUES ('u1', 'Ada, Countess', 36, 9.5, NULL, x'CAFE'),"
                            + " ('u2', 'Grace \"Amazing\" Hopper', 85, -1.25, 'n', NULL)");
                } catch (SQLException e) {
                    throw new IOException(e);
                }
            }
        }
        return file;
    }

    private static Map<String, String> contents(KvStore db) {
        Map<String, String> all = new TreeMap<>();
        try (KvIterator it = db.scan(KeyRange.all())) {
            it.forEachRemaining(e -> all.put(e.keyAsString(), db.options().codec().toJson(e.value())));
        }
        return all;
    }

    @ParameterizedTest
    @EnumSource(DataFormat.class)
    void importExportImportRoundTripsExactly(DataFormat format) throws IOException {
        Path src = source(format);
        Map<String, String> first;
        Path exported = tmp.resolve("exported." + format.extension());
        try (KvStore db = KvStore.open(tmp.resolve("a"), json)) {
            TransferReport report = Importer.importFile(db, src, ImportOptions.defaults(), null);
            assertThat(report.format()).isEqualTo(format);
            assertThat(report.failed()).isZero();
            assertThat(report.written()).isEqualTo(report.records()).isGreaterThanOrEqualTo(2);
            first = contents(db);
            TransferReport out = Exporter.exportFile(db, exported, ExportOptions.defaults(), null);
            assertThat(out.records()).isEqualTo(first.size());
        }
        try (KvStore db = KvStore.open(tmp.resolve("b"), json)) {
            Importer.importFile(db, exported, ImportOptions.defaults(), null);
            assertThat(contents(db)).isEqualTo(first);
            Path again = tmp.resolve("again." + format.extension());
            Exporter.exportFile(db, again, ExportOptions.defaults(), null);
            if (format == DataFormat.SQLITE) {
                assertThat(rows(again)).isEqualTo(rows(exported)).hasSize(first.size());
            } else {
                assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(exported));
            }
        }
        if (format == DataFormat.CSV) {
            assertThat(first.get("u2")).isEqualTo("{\"_id\":\"u2\",\"name\":\"Grace \\\"Amazing\\\" Hopper\","
                    + "\"city\":\"New\\nYork\"}");
        }
        if (format == DataFormat.BSON) {
            assertThat(first).containsKey("65a1b2c3d4e5f60718293a4b");
        }
        if (format == DataFormat.SQLITE) {
            assertThat(first.get("u1")).isEqualTo("{\"_id\":\"u1\",\"name\":\"Ada, Countess\",\"age\":36,"
                    + "\"score\":9.5,\"note\":null,\"photo\":\"yv4=\"}");
        }
    }

    private static List<String> rows(Path sqlite) {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT key, value FROM kvstore ORDER BY key")) {
            while (r.next()) {
                rows.add(r.getString(1) + "=" + r.getString(2));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    @Test
    void sqliteImportsAQueryAndNeedsATableNameWhenThereAreSeveral() throws Exception {
        Path db = source(DataFormat.SQLITE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE other (x INTEGER)");
        }
        try (KvStore store = KvStore.open(tmp.resolve("q"), json)) {
            assertThatThrownBy(() -> Importer.importFile(store, db, ImportOptions.defaults(), null))
                    .isInstanceOf(ImportException.class).hasMessageContaining("the tables [other, people]");
            TransferReport r = Importer.importFile(store, db, ImportOptions.defaults()
                    .withSqlSource("SELECT name, age FROM people WHERE age > 50").withKeyTemplate("p:{age}"), null);
            assertThat(r.written()).isEqualTo(1);
            assertThat(new String(store.get("p:85"), UTF_8)).isEqualTo("{\"name\":\"Grace \\\"Amazing\\\" Hopper\",\"age\":85}");
            assertThatThrownBy(() -> Importer.importFile(store, db, ImportOptions.defaults().withSqlSource("missing"),
                    null)).isInstanceOf(ImportException.class).hasMessageContaining("no such table");
        }
    }

    @Test
    void bsonStoreRoundTripsThroughEveryFormat() throws IOException {
        KvStoreOptions bson = json.withCodec(Codec.BSON);
        Map<String, String> first;
        try (KvStore db = KvStore.open(tmp.resolve("bson"), bson)) {
            Importer.importFile(db, source(DataFormat.NDJSON), ImportOptions.defaults(), null);
            first = contents(db);
            for (DataFormat f : DataFormat.values()) {
                if (f != DataFormat.CSV) { // CSV holds strings only
                    Exporter.exportFile(db, tmp.resolve("out." + f.extension()), ExportOptions.defaults(), null);
                }
            }
        }
        for (DataFormat f : DataFormat.values()) {
            if (f == DataFormat.CSV) {
                continue;
            }
            try (KvStore db = KvStore.open(tmp.resolve("bson-" + f), bson)) {
                Importer.importFile(db, tmp.resolve("out." + f.extension()), ImportOptions.defaults(), null);
                assertThat(contents(db)).as(f.name()).isEqualTo(first);
            }
        }
    }

    @Test
    void keysComeFromATemplateOrAFieldOrANewUuidStoredInTheRecord() throws IOException {
        Path file = tmp.resolve("people.ndjson");
        Files.writeString(file, "{\"id\":7,\"region\":\"eu\"}\n{\"name\":\"no id\"}\n");
        try (KvStore db = KvStore.open(tmp.resolve("t"), json)) {
            Importer.importFile(db, file, ImportOptions.defaults().withKeyTemplate("users:{region}:{id}")
                    .withSkipErrors(true), null);
            assertThat(db.get("users:eu:7")).isNotNull();
            assertThat(Files.readString(file.resolveSibling("people.ndjson.errors.jsonl")))
                    .contains("\"row\":2").contains("key template field 'region' is missing");
        }
        try (KvStore db = KvStore.open(tmp.resolve("f"), json)) {
            Importer.importFile(db, file, ImportOptions.defaults().withKeyField("id"), null);
            assertThat(new String(db.get("7"), UTF_8)).isEqualTo("{\"id\":7,\"region\":\"eu\"}");
            Map<String, String> all = contents(db);
            String generated = all.keySet().stream().filter(k -> !k.equals("7")).findFirst().orElseThrow();
            assertThat(generated).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(all.get(generated)).isEqualTo("{\"id\":\"" + generated + "\",\"name\":\"no id\"}");
        }
    }

    @Test
    void badRowsGoToTheErrorsSidecarWithTheirReasons() throws IOException {
        Path file = tmp.resolve("mixed.ndjson");
        Files.writeString(file, """
                {"_id":"a","v":1}
                {"_id":"b", broken
                [1,2,3]
                {"_id":"","v":4}
                {"_id":"c","v":5}
                """);
        try (KvStore db = KvStore.open(tmp.resolve("s"), json)) {
            TransferReport r = Importer.importFile(db, file, ImportOptions.defaults().withSkipErrors(true)
                    .withBatchSize(2), null);
            assertThat(r.records()).isEqualTo(5);
            assertThat(r.written()).isEqualTo(2);
            assertThat(r.failed()).isEqualTo(3);
            assertThat(r.errorsFile()).isEqualTo(tmp.resolve("mixed.ndjson.errors.jsonl"));
            assertThat(contents(db).keySet()).containsExactly("a", "c");
            List<String> lines = Files.readAllLines(r.errorsFile());
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).contains("\"row\":2").contains("not valid JSON").contains("broken");
            assertThat(lines.get(1)).contains("\"row\":3").contains("an array, not a JSON object");
            assertThat(lines.get(2)).contains("\"row\":4").contains("the key is empty");
        }
        try (KvStore db = KvStore.open(tmp.resolve("strict"), json)) {
            assertThatThrownBy(() -> Importer.importFile(db, file, ImportOptions.defaults(), null))
                    .isInstanceOf(ImportException.class).hasMessageContaining("line 2 is not valid JSON")
                    .hasMessageContaining("1 records imported before it");
            assertThat(contents(db).keySet()).containsExactly("a");
        }

        Path csv = tmp.resolve("rows.csv");
        Files.writeString(csv, "_id,v\nx,1\ny,2,extra\nz,3\n");
        try (KvStore db = KvStore.open(tmp.resolve("c"), json)) {
            TransferReport r = Importer.importFile(db, csv, ImportOptions.defaults().withSkipErrors(true), null);
            assertThat(r.failed()).isEqualTo(1);
            assertThat(Files.readString(r.errorsFile())).contains("row 2 (line 3) has 3 cells; the header has 2")
                    .contains("y,2,extra");
        }
        // A truncated BSON stream cannot be stepped over: the import stops, naming the document and offset.
        Path wrapped = tmp.resolve("raw.bson");
        Files.write(wrapped, new byte[] {5, 0, 0, 0, 0, 9, 0, 0, 0});
        try (KvStore db = KvStore.open(tmp.resolve("r"), json)) {
            assertThatThrownBy(() -> Importer.importFile(db, wrapped, ImportOptions.defaults(), null))
                    .isInstanceOf(ImportException.class).hasMessageContaining("BSON input ends inside document 2 at offset 5");
        }
    }

    @Test
    void formatIsDetectedFromExtensionAndFirstBytesAndCanBeOverridden() throws IOException {
        Path ndjsonNamedJson = tmp.resolve("lines.json");
        Files.writeString(ndjsonNamedJson, "{\"_id\":\"1\"}\n{\"_id\":\"2\"}\n");
        assertThat(DataFormat.detect(ndjsonNamedJson)).isEqualTo(DataFormat.NDJSON);
        Path array = tmp.resolve("data.txt");
        Files.writeString(array, "  [ {\"_id\":\"1\"} ]");
        assertThat(DataFormat.detect(array)).isEqualTo(DataFormat.JSON);
        Path bson = tmp.resolve("dump.dat");
        Files.copy(source(DataFormat.BSON), bson);
        assertThat(DataFormat.detect(bson)).isEqualTo(DataFormat.BSON);
        Path yaml = tmp.resolve("docs.txt");
        Files.writeString(yaml, "---\n_id: a\n---\n_id: b\n");
        assertThat(DataFormat.detect(yaml)).isEqualTo(DataFormat.YAML);
        Path csv = tmp.resolve("table.txt");
        Files.writeString(csv, "\uFEFF_id;v\na;1\n"); // with the byte order mark spreadsheets write
        assertThat(DataFormat.detect(csv)).isEqualTo(DataFormat.CSV);
        try (KvStore db = KvStore.open(tmp.resolve("d"), json)) {
            assertThat(Importer.importFile(db, yaml, ImportOptions.defaults(), null).written()).isEqualTo(2);
            TransferReport r = Importer.importFile(db, csv, ImportOptions.defaults().withFormat(DataFormat.CSV)
                    .withCsvDelimiter(';'), null);
            assertThat(r.written()).isEqualTo(1);
            assertThat(new String(db.get("a"), UTF_8)).isEqualTo("{\"_id\":\"a\",\"v\":\"1\"}");
        }
        assertThatThrownBy(() -> DataFormat.named("xml")).hasMessageContaining("unknown format 'xml'");
    }

    @Test
    void importOfAFileLargerThanTheHeapRunsInBoundedMemory() throws Exception {
        Path file = tmp.resolve("big.ndjson");
        int records = 150_000;
        String padding = "x".repeat(300);
        try (Writer w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < records; i++) {
                w.write("{\"_id\":\"rec" + i + "\",\"n\":" + i + ",\"pad\":\"" + padding + "\"}\n");
            }
        }
        long heapMb = 32;
        assertThat(Files.size(file)).isGreaterThan(heapMb << 20);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), BoundedImportMain.class.getName(), file.toString(),
                tmp.resolve("bounded").toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("imported " + records + " of " + records + "; stored " + records);
    }

    /** The child JVM of the bounded-memory test: a small memtable and cache, the default batch size. */
    public static final class BoundedImportMain {
        public static void main(String[] args) {
            KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE).withCodec(Codec.JSON)
                    .withMemtableSize(1 << 20).withBlockCacheSize(1 << 20);
            try (KvStore db = KvStore.open(Path.of(args[1]), options)) {
                TransferReport r = Importer.importFile(db, Path.of(args[0]), ImportOptions.defaults(), null);
                long stored = 0;
                try (KvIterator it = db.scan(KeyRange.all())) {
                    while (it.hasNext()) {
                        it.next();
                        stored++;
                    }
                }
                System.out.println("imported " + r.written() + " of " + r.records() + "; stored " + stored
                        + "; max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
            }
        }
    }

}
