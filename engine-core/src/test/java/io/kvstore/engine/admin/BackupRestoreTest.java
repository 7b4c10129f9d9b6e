package io.kvstore.engine.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.Checkpoint;
import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRestoreTest {

    @TempDir
    Path tmp;

    private final KvStoreOptions options = KvStoreOptions.defaults().withMemtableSize(64 << 10)
            .withSyncMode(SyncMode.NONE);

    private static Map<String, String> contents(KvStore db) {
        Map<String, String> all = new TreeMap<>();
        try (KvIterator it = db.scan(KeyRange.all())) {
            it.forEachRemaining(e -> all.put(e.keyAsString(), e.valueAsString()));
        }
        return all;
    }

    /** Op j (from 0) of the single writer: puts k(j), and every 7th op deletes an earlier key. */
    private static void apply(Map<String, String> model, int j) {
        if (j % 7 == 6) {
            model.remove(String.format("k%06d", j - 3));
        } else {
            model.put(String.format("k%06d", j), "v" + j);
        }
    }

    private static void apply(KvStore db, int j) {
        if (j % 7 == 6) {
            db.delete(String.format("k%06d", j - 3));
        } else {
            db.put(String.format("k%06d", j), "v" + j);
        }
    }

    @Test
    void checkpointOpensWithTheStoresContentAndLinksItsTables() {
        Path ckpt = tmp.resolve("ckpt");
        Map<String, String> expected;
        Checkpoint c;
        try (KvStore db = KvStore.open(tmp.resolve("db"), options)) {
            for (int j = 0; j < 3000; j++) {
                apply(db, j);
            }
            db.flush();
            for (int j = 3000; j < 3100; j++) {
                apply(db, j); // stays in the memtable: goes into the checkpoint's WAL
            }
            db.put("ttl", "soon".getBytes(UTF_8), Duration.ofHours(1));
            expected = contents(db);
            c = db.checkpoint(ckpt);
            db.put("after", "not in the checkpoint");
            assertThat(c.sequence()).isEqualTo(db.stats().lastSequence() - 1);
        }
        assertThat(c.tableFiles()).isPositive();
        assertThat(c.linkedTables()).isEqualTo(c.tableFiles());
        assertThat(c.walRecords()).isGreaterThanOrEqualTo(101);
        try (KvStore copy = KvStore.open(ckpt, options)) {
            assertThat(contents(copy)).isEqualTo(expected);
            assertThat(copy.stats().lastSequence()).isEqualTo(c.sequence());
            assertThat(copy.verify().ok()).isTrue();
            copy.put("more", "writes in the copy"); // new file numbers never collide with linked tables
            copy.compact();
        }
        try (KvStore db = KvStore.open(tmp.resolve("db"), options)) {
            assertThat(db.get("more")).isNull();
            assertThat(db.verify().ok()).isTrue();
        }
    }

    @Test
    void checkpointCopiesTablesWhenItCannotLinkThem() {
        io.kvstore.engine.io.FaultInjectingFileSystem fs = new io.kvstore.engine.io.FaultInjectingFileSystem();
        KvStoreOptions inMemory = options.withFileSystem(fs);
        Map<String, String> expected;
        Checkpoint c;
        try (KvStore db = KvStore.open(Path.of("/mem/db"), inMemory)) {
            for (int j = 0; j < 2000; j++) {
                apply(db, j);
            }
            db.flush();
            apply(db, 2000);
            expected = contents(db);
            c = db.checkpoint(Path.of("/mem/ckpt"));
            assertThatThrownBy(() -> db.backup(tmp.resolve("x.tar.gz")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("real file system");
        }
        assertThat(c.tableFiles()).isPositive();
        assertThat(c.linkedTables()).isZero();
        // Copies are synced: they survive a power cut that drops everything not fsynced.
        fs.powerCut();
        try (KvStore copy = KvStore.open(Path.of("/mem/ckpt"), inMemory)) {
            assertThat(contents(copy)).isEqualTo(expected);
            assertThat(copy.verify().ok()).isTrue();
        }
    }

    @Test
    void checkpointRefusesANonEmptyTarget() throws IOException {
        Files.createDirectories(tmp.resolve("full"));
        Files.writeString(tmp.resolve("full/x"), "x");
        try (KvStore db = KvStore.open(tmp.resolve("db"), options)) {
            assertThatThrownBy(() -> db.checkpoint(tmp.resolve("full")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        }
    }

    @Test
    void backupUnderConcurrentWritesRestoresExactlyTheStateAtItsSequence() throws Exception {
        Path archive = tmp.resolve("backups/app.tar.gz");
        // The writer runs until told how far to go: at least 500 ops past the backup's sequence, so
        // the store certainly moves on past what the backup holds.
        AtomicInteger until = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger done = new AtomicInteger();
        long base;
        BackupManifest manifest;
        try (KvStore db = KvStore.open(tmp.resolve("db"), options)) {
            base = db.stats().lastSequence();
            // One writer, one sequence number per op: op j has sequence base + j + 1.
            Thread writer = new Thread(() -> {
                for (int j = 0; j < until.get(); j++) {
                    apply(db, j);
                    done.set(j + 1);
                }
            });
            writer.start();
            while (done.get() < 2000) {
                Thread.onSpinWait();
            }
            manifest = db.backup(archive);
            until.set((int) (manifest.lastSequence() - base) + 500);
            writer.join();
            assertThat(done.get()).isGreaterThanOrEqualTo((int) (manifest.lastSequence() - base) + 500);
            assertThat(db.stats().lastSequence()).isEqualTo(base + done.get());
        }
        int ops = (int) (manifest.lastSequence() - base);
        assertThat(ops).isGreaterThanOrEqualTo(2000);
        Map<String, String> expected = new TreeMap<>();
        for (int j = 0; j < ops; j++) {
            apply(expected, j);
        }
        assertThat(manifest.files()).extracting(BackupManifest.FileEntry::name).contains("CURRENT");

        Path restored = tmp.resolve("restored");
        BackupManifest read = KvStore.restore(archive, restored, options);
        assertThat(read).isEqualTo(manifest);
        try (KvStore db = KvStore.open(restored, options)) {
            assertThat(contents(db)).isEqualTo(expected);
            assertThat(db.stats().lastSequence()).isEqualTo(manifest.lastSequence());
            assertThat(db.verify().ok()).isTrue();
        }
        assertThat(tmp.resolve("backups")).isDirectoryNotContaining("glob:**.tmp");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void restoreRefusesANonEmptyTarget() throws IOException {
        Path archive = backupOfSmallStore();
        Path target = tmp.resolve("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "mine");
        assertThatThrownBy(() -> KvStore.restore(archive, target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files).containsExactly(target.resolve("keep.txt"));
        }
    }

    @Test
    void tamperedFileIsRefusedAndNothingIsPlaced() throws IOException {
        Path archive = backupOfSmallStore();
        List<Entry> entries = readArchive(archive);
        Entry table = entries.stream().filter(e -> e.name.endsWith(".sst")).findFirst().orElseThrow();
        table.data[table.data.length / 2] ^= 0x40;
        Path tampered = tmp.resolve("tampered.tar.gz");
        writeArchive(tampered, entries);

        Path target = tmp.resolve("target");
        assertThatThrownBy(() -> KvStore.restore(tampered, target))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(table.name).hasMessageContaining("CRC32C");
        assertThat(target).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void truncatedFileAndMissingFileAreRefused() throws IOException {
        Path archive = backupOfSmallStore();
        List<Entry> entries = readArchive(archive);
        Entry current = entries.stream().filter(e -> e.name.equals("CURRENT")).findFirst().orElseThrow();
        entries.remove(current);
        Path missing = tmp.resolve("missing.tar.gz");
        writeArchive(missing, entries);
        assertThatThrownBy(() -> KvStore.restore(missing, tmp.resolve("t1")))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("lacks files").hasMessageContaining("CURRENT");

        entries.add(new Entry("CURRENT", "MANIFEST-9\n".getBytes(UTF_8)));
        Path resized = tmp.resolve("resized.tar.gz");
        writeArchive(resized, entries);
        assertThatThrownBy(() -> KvStore.restore(resized, tmp.resolve("t2")))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("'CURRENT' has 11 bytes");

        // A copy cut short (an interrupted transfer): damaged, not an I/O failure of this machine.
        byte[] whole = Files.readAllBytes(archive);
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> KvStore.restore(cut, tmp.resolve("t3")))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("truncated");
        assertThat(tmp.resolve("t3")).doesNotExist();
    }

    @Test
    void pathTraversalAbsolutePathsAndLinksAreRefused() throws IOException {
        Path target = tmp.resolve("inner/target");
        for (String evil : List.of("../escape.sst", "/etc/000001.sst", "sub/../../000001.sst")) {
            byte[] data = "x".getBytes(UTF_8);
            Path archive = tmp.resolve("evil.tar.gz");
            writeArchive(archive, List.of(manifestEntry(List.of(new Entry(evil, data))), new Entry(evil, data)));
            assertThatThrownBy(() -> KvStore.restore(archive, target))
                    .as(evil).isInstanceOf(CorruptionException.class).hasMessageContaining(evil)
                    .hasMessageMatching(".*(absolute path|'\\.\\.').*");
        }
        assertThat(tmp.resolve("escape.sst")).doesNotExist();
        assertThat(tmp.resolve("inner/escape.sst")).doesNotExist();

        // A symbolic link entry, even with a harmless name, is refused.
        Path archive = tmp.resolve("link.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            Tar.Writer tar = new Tar.Writer(out);
            byte[] json = manifestEntry(List.of()).data;
            tar.header(BackupManifest.ENTRY_NAME, json.length, 0);
            out.write(json);
            tar.pad(json.length);
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            new Tar.Writer(header).header("000001.sst", 0, 0);
            byte[] h = header.toByteArray();
            h[156] = '2';
            byte[] link = "/etc/passwd".getBytes(UTF_8);
            System.arraycopy(link, 0, h, 157, link.length);
            fixChecksum(h);
            out.write(h);
            tar.finish();
        }
        assertThatThrownBy(() -> KvStore.restore(archive, target))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("symbolic link");
        assertThat(target).doesNotExist();
    }

    @Test
    void archiveWithoutManifestOrNotGzipIsRefused() throws IOException {
        Path plain = tmp.resolve("plain.tar.gz");
        Files.writeString(plain, "definitely not gzip");
        assertThatThrownBy(() -> KvStore.restore(plain, tmp.resolve("t")))
                .isInstanceOf(CorruptionException.class).hasMessageContaining("gzip");
        Path noManifest = tmp.resolve("nomanifest.tar.gz");
        writeArchive(noManifest, List.of(new Entry("CURRENT", "MANIFEST-000003\n".getBytes(UTF_8))));
        assertThatThrownBy(() -> KvStore.restore(noManifest, tmp.resolve("t")))
                .isInstanceOf(CorruptionException.class).hasMessageContaining(BackupManifest.ENTRY_NAME);
    }

    // ------------------------------------------------------------------ helpers

    private Path backupOfSmallStore() {
        Path archive = tmp.resolve("small.tar.gz");
        try (KvStore db = KvStore.open(tmp.resolve("small"), options)) {
            for (int j = 0; j < 1500; j++) {
                apply(db, j);
            }
            db.flush();
            db.put("in-wal", "yes");
            db.backup(archive);
        }
        return archive;
    }

    private record Entry(String name, byte[] data) {
    }

    private static Entry manifestEntry(List<Entry> files) {
        List<BackupManifest.FileEntry> list = new ArrayList<>();
        for (Entry e : files) {
            CRC32C crc = new CRC32C();
            crc.update(e.data);
            list.add(new BackupManifest.FileEntry(e.name, e.data.length, (int) crc.getValue()));
        }
        return new Entry(BackupManifest.ENTRY_NAME, new BackupManifest(1, Instant.now(), 0, list).toJson());
    }

    private static List<Entry> readArchive(Path archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            Tar.Reader tar = new Tar.Reader(in);
            for (Tar.Header h; (h = tar.next()) != null; ) {
                entries.add(new Entry(h.name(), tar.data().readAllBytes()));
            }
        }
        return entries;
    }

    /** Writes entries as given (the manifest entry, if any, is copied unchanged). */
    private static void writeArchive(Path archive, List<Entry> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
            Tar.Writer tar = new Tar.Writer(out);
            for (Entry e : entries) {
                ByteArrayOutputStream header = new ByteArrayOutputStream();
                new Tar.Writer(header).header("placeholder", e.data.length, 0);
                byte[] h = header.toByteArray();
                java.util.Arrays.fill(h, 0, 100, (byte) 0);
                byte[] name = e.name.getBytes(UTF_8);
                System.arraycopy(name, 0, h, 0, name.length);
                fixChecksum(h);
                out.write(h);
                out.write(e.data);
                tar.pad(e.data.length);
            }
            tar.finish();
        }
    }

    private static void fixChecksum(byte[] h) {
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        byte[] digits = String.format("%06o\0 ", sum).getBytes(UTF_8);
        System.arraycopy(digits, 0, h, 148, 8);
    }
}
