package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kvstore.engine.io.Checksums;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.FaultInjectingFileSystem;
import io.kvstore.engine.io.ReadableFile;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.sstable.TableFormat;
import io.kvstore.engine.wal.LogFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged files on the {@link FaultInjectingFileSystem}: the store either reports a
 * {@link CorruptionException} naming the file and offset, or returns exactly the right data, never
 * wrong data; a torn WAL tail (an interrupted append) is cut off to a prefix of the writes.
 *
 * <p>Most cases take an image of a store directory (file name to bytes), damage a copy of it, and
 * load that into a fresh file system, so each trial starts from the same bytes whatever the
 * previous trial's open wrote or deleted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang guard only; the class runs in seconds
class KvStoreCorruptionTest {

    private static final Path DIR = Path.of("/db");

    private static KvStoreOptions options(FaultInjectingFileSystem fs) {
        return KvStoreOptions.defaults().withFileSystem(fs).withSyncMode(SyncMode.NONE).withBlockSize(256);
    }

    // ================================================================== flipped byte in a table

    @Test
    void aFlippedByteAnywhereInATableIsReportedAsCorruptionOrHarmlessNeverWrongData() throws IOException {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        TreeMap<String, String> expected = new TreeMap<>();
        List<String> probeKeys = new ArrayList<>();
        Random random = new Random(11);
        try (KvStore db = KvStore.open(DIR, options(fs))) {
            for (int i = 0; i < 120; i++) {
                String key = String.format("key%04d", i);
                String value = "v" + i + "-" + "x".repeat(random.nextInt(60));
                db.put(key, value);
                expected.put(key, value);
                probeKeys.add(key);
            }
            for (int i = 0; i < 120; i += 9) {
                String key = String.format("key%04d", i);
                db.delete(key); // tombstones in the table too
                expected.remove(key);
            }
            probeKeys.add("absent-key");
            db.flush();
        }
        Path sst = onlyFile(fs, ".sst");
        long size = fs.fileSize(sst);
        assertThat(size).as("a table of several blocks").isGreaterThan(2000);

        // Sanity: undamaged, both read paths return the data.
        assertThat(readOutcome(fs, expected, probeKeys, true)).isNull();

        List<Long> undetectedByGets = new ArrayList<>();
        List<Long> undetectedByScan = new ArrayList<>();
        for (long offset = 0; offset < size; offset++) {
            fs.flipByte(sst, offset);
            try {
                CorruptionException byGets = readOutcome(fs, expected, probeKeys, false);
                CorruptionException byScan = readOutcome(fs, expected, probeKeys, true);
                for (CorruptionException e : new CorruptionException[] {byGets, byScan}) {
                    if (e != null) {
                        assertThat(e.file()).as("flip at %d: %s", offset, e).isEqualTo(sst);
                        assertThat(e.offset()).as("flip at %d: %s", offset, e).isBetween(0L, size);
                        assertThat(e.getMessage()).as("flip at %d", offset)
                                .contains(sst.getFileName().toString(), "offset " + e.offset());
                    }
                }
                if (byGets == null) {
                    undetectedByGets.add(offset);
                }
                if (byScan == null) {
                    undetectedByScan.add(offset);
                }
            } finally {
                fs.flipByte(sst, offset);
            }
        }
        // Every byte of a table is under a CRC (block trailers cover contents and compression byte,
        // the footer CRC covers the footer's first 36 bytes, the magic is compared), and reading
        // every key and scanning everything reads every block. So every flip must be caught.
        assertThat(undetectedByGets).as("offsets of %d whose flip get() did not detect", size).isEmpty();
        assertThat(undetectedByScan).as("offsets of %d whose flip the scan did not detect", size).isEmpty();
    }

    /**
     * Opens the store and reads through gets (every probe key) or a full scan. Returns the
     * CorruptionException it threw, or null if it returned exactly {@code expected}; fails on wrong
     * data or on any other exception.
     */
    private static CorruptionException readOutcome(FaultInjectingFileSystem fs, Map<String, String> expected,
            List<String> probeKeys, boolean scan) {
        KvStore db;
        try {
            db = KvStore.open(DIR, options(fs));
        } catch (CorruptionException e) {
            return e;
        }
        try (db) {
            if (scan) {
                TreeMap<String, String> seen = new TreeMap<>();
                try (KvIterator it = db.scan(KeyRange.all())) {
                    while (it.hasNext()) {
                        KvEntry e = it.next();
                        seen.put(e.keyAsString(), e.valueAsString());
                    }
                }
                assertThat(seen).as("the scan returned data, so it must be the right data").isEqualTo(expected);
            } else {
                for (String key : probeKeys) {
                    byte[] v = db.get(key);
                    assertThat(v == null ? null : new String(v, StandardCharsets.UTF_8))
                            .as("get(%s) returned, so it must be right", key).isEqualTo(expected.get(key));
                }
            }
            return null;
        } catch (CorruptionException e) {
            return e;
        }
    }

    // ================================================================== torn WAL tail

    @Test
    void aTornWalTailIsCutOffLeavingExactlyThePrefixOfCompleteRecords() {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        List<String[]> writes = new ArrayList<>();
        List<Long> ends = new ArrayList<>(); // log size after each acknowledged write: where its record ends
        Random random = new Random(23);
        Path log;
        try (KvStore db = KvStore.open(DIR, options(fs))) {
            log = onlyFile(fs, ".log");
            for (int i = 0; i < 220; i++) {
                String key = "key" + random.nextInt(80);
                // mostly small records, a few spanning whole 32 KiB blocks (FIRST/MIDDLE/LAST fragments)
                int length = i % 50 == 25 ? 40_000 + random.nextInt(30_000) : random.nextInt(300);
                String value = i + ":" + "y".repeat(length);
                db.put(key, value);
                writes.add(new String[] {key, value});
                ends.add(fs.fileSize(log));
            }
        }
        Map<String, byte[]> image = image(fs);
        byte[] full = image.get(log.getFileName().toString());
        assertThat(full.length).as("the WAL spans several blocks").isGreaterThan(4 * LogFormat.BLOCK_SIZE);
        assertThat((long) full.length).isEqualTo(ends.get(ends.size() - 1));

        TreeSet<Integer> lengths = new TreeSet<>();
        for (int len = 0; len <= full.length; len += 173) {
            lengths.add(len);
        }
        for (int len = 0; len < 40; len++) {
            lengths.add(len); // inside and around the header record
        }
        for (long end : ends) {
            for (int d = -8; d <= 8; d++) {
                if (end + d >= 0 && end + d <= full.length) {
                    lengths.add((int) (end + d));
                }
            }
        }
        for (int block = LogFormat.BLOCK_SIZE; block < full.length; block += LogFormat.BLOCK_SIZE) {
            for (int d = -8; d <= 8; d++) {
                lengths.add(block + d);
            }
        }
        lengths.add(full.length);

        List<String> problems = new ArrayList<>();
        String logName = log.getFileName().toString();
        for (int len : lengths) {
            int complete = completeRecords(ends, len);
            checkWalVariant(image, logName, Arrays.copyOf(full, len), writes, complete, "truncated to " + len,
                    problems);
        }
        // Garbage after the last record: random bytes and zeros, short and across a block boundary.
        Random garbage = new Random(5);
        for (int extra : new int[] {1, 3, 6, 7, 8, 100, 5_000, LogFormat.BLOCK_SIZE + 100}) {
            for (boolean zeros : new boolean[] {false, true}) {
                byte[] tail = new byte[extra];
                if (!zeros) {
                    garbage.nextBytes(tail);
                }
                checkWalVariant(image, logName, concat(full, tail), writes, writes.size(),
                        extra + (zeros ? " zero" : " random") + " bytes appended", problems);
                int cut = (int) (ends.get(100) + 10); // inside record 101, then garbage
                checkWalVariant(image, logName, concat(Arrays.copyOf(full, cut), tail), writes,
                        completeRecords(ends, cut), "truncated to " + cut + " then " + extra
                                + (zeros ? " zero" : " random") + " bytes appended", problems);
            }
        }
        assertThat(problems).as("%d of %d WAL variants", problems.size(), lengths.size() + 32).isEmpty();
    }

    private static int completeRecords(List<Long> ends, long length) {
        int k = 0;
        while (k < ends.size() && ends.get(k) <= length) {
            k++;
        }
        return k;
    }

    private static void checkWalVariant(Map<String, byte[]> image, String logName, byte[] content,
            List<String[]> writes, int expectedPrefix, String what, List<String> problems) {
        Map<String, byte[]> damaged = new LinkedHashMap<>(image);
        damaged.put(logName, content);
        FaultInjectingFileSystem fs = load(damaged);
        try (KvStore db = KvStore.open(DIR, options(fs))) {
            TreeMap<String, String> expected = new TreeMap<>();
            for (String[] w : writes.subList(0, expectedPrefix)) {
                expected.put(w[0], w[1]);
            }
            TreeMap<String, String> actual = readAll(db);
            if (!actual.equals(expected)) {
                int closest = -1;
                TreeMap<String, String> model = new TreeMap<>();
                for (int k = 0; k <= writes.size(); k++) {
                    if (model.equals(actual)) {
                        closest = k;
                    }
                    if (k < writes.size()) {
                        model.put(writes.get(k)[0], writes.get(k)[1]);
                    }
                }
                problems.add(what + ": expected the first " + expectedPrefix + " writes, got "
                        + (closest < 0 ? "a state that is no prefix" : "the first " + closest));
            }
        } catch (RuntimeException e) {
            problems.add(what + ": open or read failed: " + e);
        }
    }

    // ================================================================== damage inside the WAL

    @Test
    void damageInTheMiddleOfTheWalWithIntactRecordsAfterItFailsTheOpen() {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        List<Long> ends = new ArrayList<>();
        Random random = new Random(31);
        Path log;
        try (KvStore db = KvStore.open(DIR, options(fs))) {
            log = onlyFile(fs, ".log");
            while (fs.fileSize(log) < 5L * LogFormat.BLOCK_SIZE) {
                db.put("key" + random.nextInt(1000), "z".repeat(20 + random.nextInt(400)));
                ends.add(fs.fileSize(log));
            }
        }
        Map<String, byte[]> image = image(fs);
        String logName = log.getFileName().toString();
        byte[] full = image.get(logName);

        // Damage records in blocks 0 and 1: the last payload byte of a record and the first byte of
        // its CRC; later blocks (2..4) hold intact, acknowledged records.
        List<Long> offsets = new ArrayList<>();
        for (int i = 1; i < ends.size(); i++) {
            long start = ends.get(i - 1);
            long end = ends.get(i);
            if (end < 2L * LogFormat.BLOCK_SIZE && i % 7 == 0) {
                offsets.add(end - 1);
                if (start % LogFormat.BLOCK_SIZE <= LogFormat.BLOCK_SIZE - LogFormat.HEADER_SIZE) {
                    offsets.add(start); // the record's CRC (no block trailer before it)
                }
            }
        }
        assertThat(offsets).hasSizeGreaterThan(10);

        List<String> problems = new ArrayList<>();
        for (long offset : offsets) {
            byte[] damaged = full.clone();
            damaged[(int) offset] ^= (byte) 0xFF;
            Map<String, byte[]> files = new LinkedHashMap<>(image);
            files.put(logName, damaged);
            FaultInjectingFileSystem copy = load(files);
            Throwable thrown = catchThrowable(() -> KvStore.open(DIR, options(copy)).close());
            if (!(thrown instanceof CorruptionException e)) {
                problems.add("flip at " + offset + " (block " + offset / LogFormat.BLOCK_SIZE + "): "
                        + (thrown == null ? "the store opened, silently dropping the acknowledged records after it"
                                : "threw " + thrown));
                continue;
            }
            if (!e.file().equals(log) || e.offset() < 0 || e.offset() > offset
                    || !e.getMessage().contains(logName)) {
                problems.add("flip at " + offset + ": the exception does not name " + log + " and an offset at or"
                        + " before the damage: " + e);
            }
            assertThat(files(copy)).as("a failed open deletes nothing").containsAllEntriesOf(sizes(files));
        }
        assertThat(problems).as("%d of %d mid-WAL flips", problems.size(), offsets.size()).isEmpty();
    }

    // ================================================================== CURRENT and manifest

    /** Two sessions, each with a flush, so the live manifest holds a snapshot and an edit. */
    private static Map<String, byte[]> twoSessionStore(Map<String, String> expected) {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        for (int session = 0; session < 2; session++) {
            try (KvStore db = KvStore.open(DIR, options(fs))) {
                for (int i = 0; i < 50; i++) {
                    String key = "s" + session + "-" + i;
                    db.put(key, "value" + i);
                    expected.put(key, "value" + i);
                }
                db.flush();
                db.put("unflushed" + session, "u"); // and something only in the WAL
                expected.put("unflushed" + session, "u");
            }
        }
        return image(fs);
    }

    @Test
    void aDamagedCurrentFileFailsTheOpenWithAClearCorruptionAndDeletesNothing() {
        Map<String, String> expected = new TreeMap<>();
        Map<String, byte[]> image = twoSessionStore(expected);
        String current = new String(image.get("CURRENT"), StandardCharsets.UTF_8);
        assertThat(current).startsWith("MANIFEST-").endsWith("\n");
        String manifest = current.substring(0, current.length() - 1);

        Map<String, Consumer<Map<String, byte[]>>> damages = new LinkedHashMap<>();
        damages.put("CURRENT empty", f -> f.put("CURRENT", new byte[0]));
        damages.put("CURRENT without its newline", f -> f.put("CURRENT", bytes(manifest)));
        damages.put("CURRENT names no manifest", f -> f.put("CURRENT", bytes("hello world\n")));
        damages.put("CURRENT names a missing manifest", f -> f.put("CURRENT", bytes("MANIFEST-999999\n")));
        damages.put("CURRENT too long", f -> f.put("CURRENT", bytes("M".repeat(300) + "\n")));
        damages.put("CURRENT with a flipped digit", f -> f.put("CURRENT", bytes(manifest.substring(0,
                manifest.length() - 1) + (char) (manifest.charAt(manifest.length() - 1) ^ 0x04) + "\n")));
        damages.put("the manifest deleted", f -> f.remove(manifest));

        for (Map.Entry<String, Consumer<Map<String, byte[]>>> damage : damages.entrySet()) {
            Map<String, byte[]> files = new LinkedHashMap<>(image);
            damage.getValue().accept(files);
            FaultInjectingFileSystem fs = load(files);
            Throwable thrown = catchThrowable(() -> KvStore.open(DIR, options(fs)).close());
            assertThat(thrown).as(damage.getKey()).isInstanceOf(CorruptionException.class);
            CorruptionException e = (CorruptionException) thrown;
            assertThat(e.file()).as(damage.getKey()).isEqualTo(DIR.resolve("CURRENT"));
            assertThat(e.getMessage()).as(damage.getKey()).contains("CURRENT", "offset");
            assertThat(files(fs)).as("%s: a failed open deletes nothing", damage.getKey())
                    .containsAllEntriesOf(sizes(files));
        }

        // And the undamaged image opens with everything.
        try (KvStore db = KvStore.open(DIR, options(load(image)))) {
            assertThat(readAll(db)).isEqualTo(expected);
        }
    }

    @Test
    void aFlippedByteAnywhereInTheManifestFailsTheOpenAndDeletesNothing() {
        Map<String, String> expected = new TreeMap<>();
        Map<String, byte[]> image = twoSessionStore(expected);
        String current = new String(image.get("CURRENT"), StandardCharsets.UTF_8);
        String manifest = current.substring(0, current.length() - 1);
        byte[] full = image.get(manifest);
        assertThat(full.length).as("header, snapshot and an edit").isGreaterThan(40);

        List<String> problems = new ArrayList<>();
        for (int offset = 0; offset < full.length; offset++) {
            byte[] damaged = full.clone();
            damaged[offset] ^= (byte) 0xFF;
            Map<String, byte[]> files = new LinkedHashMap<>(image);
            files.put(manifest, damaged);
            FaultInjectingFileSystem fs = load(files);
            KvStore db = null;
            Throwable thrown = null;
            try {
                db = KvStore.open(DIR, options(fs));
            } catch (RuntimeException e) {
                thrown = e;
            }
            Map<String, Long> after = files(fs);
            if (db != null) {
                TreeMap<String, String> actual;
                try (KvStore opened = db) {
                    actual = readAll(opened);
                } catch (RuntimeException e) {
                    actual = null;
                }
                List<String> deleted = new ArrayList<>(files.keySet());
                deleted.removeAll(after.keySet());
                problems.add("flip at " + offset + ": the store opened"
                        + (Objects.equals(actual, expected) ? " with all data"
                                : " and lost data (" + (actual == null ? "reads fail" : actual.size() + " of "
                                        + expected.size() + " keys") + ")")
                        + "; deleted " + deleted);
                continue;
            }
            if (!(thrown instanceof CorruptionException e)) {
                problems.add("flip at " + offset + ": threw " + thrown);
                continue;
            }
            if (!e.getMessage().contains(manifest)) {
                problems.add("flip at " + offset + ": the message does not name " + manifest + ": " + e);
            }
            if (!after.entrySet().containsAll(sizes(files).entrySet())) {
                problems.add("flip at " + offset + ": the failed open deleted or changed files: " + after);
            }
        }
        assertThat(problems).as("%d of %d manifest offsets", problems.size(), full.length).isEmpty();
    }

    // ================================================================== newer table format

    @Test
    void aTableFromANewerFormatVersionIsRefusedAsUnsupported() throws IOException {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        try (KvStore db = KvStore.open(DIR, options(fs))) {
            for (int i = 0; i < 100; i++) {
                db.put("key" + i, "value" + i);
            }
            db.flush();
        }
        Path sst = onlyFile(fs, ".sst");
        byte[] table = read(fs, sst);
        int footer = table.length - TableFormat.FOOTER_SIZE;
        assertThat(Coding.getInt(table, footer + 32)).isEqualTo(TableFormat.FORMAT_VERSION);
        Coding.putInt(table, footer + 32, TableFormat.FORMAT_VERSION + 1);
        Coding.putInt(table, footer + 36, Checksums.mask(Checksums.crc32c(table, footer, 36)));
        rewrite(fs, sst, table);

        try (KvStore db = KvStore.open(DIR, options(fs))) {
            Throwable byGet = catchThrowable(() -> db.get("key7"));
            assertThat(byGet).isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("newer")
                    .hasMessageContaining(sst.getFileName().toString());
            assertThat(((UnsupportedFormatException) byGet).file()).isEqualTo(sst);
            Throwable byScan = catchThrowable(() -> {
                try (KvIterator it = db.scan(KeyRange.all())) {
                    it.forEachRemaining(e -> { });
                }
            });
            assertThat(byScan).isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("newer");
        }
    }

    // ================================================================== helpers

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static TreeMap<String, String> readAll(KvStore db) {
        TreeMap<String, String> out = new TreeMap<>();
        try (KvIterator it = db.scan(KeyRange.all())) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                out.put(e.keyAsString(), e.valueAsString());
            }
        }
        for (Map.Entry<String, String> e : out.entrySet()) {
            assertThat(db.get(e.getKey())).as("get agrees with scan").isEqualTo(bytes(e.getValue()));
        }
        return out;
    }

    /** The one file of the store whose name ends with {@code suffix}. */
    private static Path onlyFile(FaultInjectingFileSystem fs, String suffix) {
        List<String> matching = new ArrayList<>();
        for (String name : files(fs).keySet()) {
            if (name.endsWith(suffix)) {
                matching.add(name);
            }
        }
        assertThat(matching).as("%s files in %s", suffix, files(fs)).hasSize(1);
        return DIR.resolve(matching.get(0));
    }

    /** Name to size of every file in the store directory. */
    private static Map<String, Long> files(FaultInjectingFileSystem fs) {
        try {
            Map<String, Long> out = new TreeMap<>();
            for (String name : fs.list(DIR)) {
                out.put(name, fs.fileSize(DIR.resolve(name)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Long> sizes(Map<String, byte[]> image) {
        Map<String, Long> out = new TreeMap<>();
        image.forEach((name, content) -> out.put(name, (long) content.length));
        return out;
    }

    /** Every file of the store directory by name. */
    private static Map<String, byte[]> image(FaultInjectingFileSystem fs) {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : files(fs).keySet()) {
            out.put(name, read(fs, DIR.resolve(name)));
        }
        return out;
    }

    /** A fresh file system holding exactly {@code image} in the store directory, all of it durable. */
    private static FaultInjectingFileSystem load(Map<String, byte[]> image) {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        try {
            fs.createDirectories(DIR);
            for (Map.Entry<String, byte[]> file : image.entrySet()) {
                rewrite(fs, DIR.resolve(file.getKey()), file.getValue());
            }
            fs.syncDirectory(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fs;
    }

    private static byte[] read(FaultInjectingFileSystem fs, Path file) {
        try (ReadableFile in = fs.openForRead(file)) {
            byte[] content = new byte[(int) in.size()];
            in.readFully(0, content, 0, content.length);
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the content of {@code file} (creating it if needed), synced. */
    private static void rewrite(FaultInjectingFileSystem fs, Path file, byte[] content) {
        try (WritableFile out = fs.create(file)) {
            out.append(content);
            out.sync();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
