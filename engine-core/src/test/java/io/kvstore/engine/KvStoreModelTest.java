package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random operations against the store and against a {@link TreeMap} model in lock step: every read
 * through the store must answer what the model answers. A failure names the seed, the step and the
 * operation; replay it with
 * {@code mvn -pl engine-core test -Dtest=KvStoreModelTest -Dkvstore.model.seed=SEED -Dkvstore.model.syncMode=MODE
 * -Dkvstore.model.steps=STEPS}, as the failure message spells out. The same seed makes the same
 * operations and options; only thread timing (background flushes) differs between runs.
 */
class KvStoreModelTest {

    /** Keys are 1..4 symbols from this alphabet: few enough to collide, with both byte extremes. */
    private static final byte[] ALPHABET = {0x00, 'a', 'b', (byte) 0xFF};
    private static final int MAX_OPEN_SNAPSHOTS = 3;
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    static Stream<Arguments> runs() {
        String replay = System.getProperty("kvstore.model.seed"); // one seed, or several separated by commas
        if (replay != null) {
            SyncMode mode = SyncMode.valueOf(System.getProperty("kvstore.model.syncMode", "NONE"));
            int steps = Integer.getInteger("kvstore.model.steps", 4000);
            return Arrays.stream(replay.split(",")).map(seed -> Arguments.of(mode, Long.parseLong(seed.trim()), steps));
        }
        long randomSeed = System.nanoTime();
        return Stream.of(
                Arguments.of(SyncMode.NONE, 1L, 4000),
                Arguments.of(SyncMode.NONE, 42L, 4000),
                Arguments.of(SyncMode.PERIODIC, 7L, 4000),
                Arguments.of(SyncMode.SYNC, 3L, 800),
                Arguments.of(SyncMode.NONE, randomSeed, 4000));
    }

    @ParameterizedTest(name = "{0} seed={1} steps={2}")
    @MethodSource("runs")
    void theStoreAnswersEveryReadLikeASortedMapModel(SyncMode syncMode, long seed, int steps) {
        new Run(dir, syncMode, seed).run(steps);
    }

    /** One seeded run: the store, the model, the open snapshots with the model as they saw it. */
    private static final class Run {
        private final Path dir;
        private final Random random;
        private final long seed;
        private final KvStoreOptions options;
        private final TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        private final List<OpenSnapshot> snapshots = new ArrayList<>();
        private KvStore db;
        /** Puts and deletes acknowledged over the whole run: the expected last sequence number. */
        private long opsTotal;
        /** Puts and deletes acknowledged since the current store instance was opened. */
        private long opsSinceOpen;
        /** Memtable flushes over the whole run (the stats count since open) and how many flush() asked for. */
        private long flushesOfClosedInstances;
        private long manualFlushes;
        private String op = "open";

        private record OpenSnapshot(Snapshot snapshot, NavigableMap<byte[], byte[]> frozen, int takenAtStep) {
        }

        Run(Path dir, SyncMode syncMode, long seed) {
            this.dir = dir;
            this.seed = seed;
            this.random = new Random(seed);
            this.options = KvStoreOptions.defaults()
                    .withSyncMode(syncMode)
                    .withMemtableSize(64 << 10)
                    .withBlockSize(256 + random.nextInt(769))
                    .withBloomBitsPerKey(random.nextInt(3) == 0 ? 0 : 10);
        }

        void run(int steps) {
            int step = 0;
            try {
                db = KvStore.open(dir, options);
                for (step = 1; step <= steps; step++) {
                    step(step);
                }
                step = steps + 1;
                op = "final check";
                closeAllSnapshots();
                op = "final check";
                checkWholeStore();
                assertThat(db.stats().lastSequence()).as("lastSequence").isEqualTo(opsTotal);
                assertThat(db.stats().entriesWritten()).as("entriesWritten").isEqualTo(opsSinceOpen);
                assertThat(flushesOfClosedInstances + db.stats().flushes()).as("flushes, more than flush() calls:"
                        + " a full memtable was flushed in the background").isGreaterThan(manualFlushes);
                op = "final reopen";
                reopen();
                checkWholeStore();
                db.close();
            } catch (Throwable t) {
                AssertionError error = new AssertionError("seed=" + seed + " step=" + step + " op=" + op
                        + " options=" + options + " (replay: -Dkvstore.model.seed=" + seed
                        + " -Dkvstore.model.syncMode=" + options.syncMode() + " -Dkvstore.model.steps=" + steps
                        + "): " + t, t);
                try {
                    if (db != null) {
                        db.close();
                    }
                } catch (Throwable suppressed) {
                    error.addSuppressed(suppressed);
                }
                throw error;
            }
        }

        private void step(int step) {
            int dice = random.nextInt(1000);
            if (dice < 300) {
                byte[] key = randomKey();
                byte[] value = randomValue();
                op = "put " + show(key) + " (" + value.length + " bytes)";
                db.put(key, value);
                model.put(key, value);
                counted(1);
            } else if (dice < 400) {
                byte[] key = random.nextBoolean() ? existingKey() : randomKey();
                op = "delete " + show(key);
                db.delete(key);
                model.remove(key);
                counted(1);
            } else if (dice < 500) {
                writeBatch();
            } else if (dice < 700) {
                byte[] key = random.nextInt(3) == 0 ? existingKey() : randomKey();
                op = "get " + show(key);
                assertThat(db.get(key)).as(op).isEqualTo(model.get(key));
            } else if (dice < 760) {
                byte[] prefix = randomPrefix();
                op = "scan prefix " + show(prefix);
                assertThat(scan(db.scan(KeyRange.prefix(prefix)))).as(op)
                        .containsExactlyElementsOf(show(withPrefix(model, prefix)));
            } else if (dice < 840) {
                Bounds bounds = randomBounds();
                op = "scan " + bounds.range;
                assertThat(scan(db.scan(bounds.range))).as(op)
                        .containsExactlyElementsOf(show(bounds.of(model)));
            } else if (dice < 870) {
                pagedScan();
            } else if (dice < 895) {
                scanWhileWriting();
            } else if (dice < 925) {
                takeSnapshot(step);
            } else if (dice < 975) {
                checkSnapshot();
            } else if (dice < 990) {
                burst();
            } else if (dice < 995) {
                op = "flush";
                manualFlushes++;
                db.flush();
                assertThat(db.stats().memtableBytes()).as("memtable bytes after flush").isZero();
            } else {
                op = "close and reopen";
                closeAllSnapshots();
                reopen();
                checkWholeStore();
            }
        }

        private void counted(long ops) {
            opsTotal += ops;
            opsSinceOpen += ops;
        }

        /** Many single writes in a row: enough to fill the memtable now and then, so it flushes in the background. */
        private void burst() {
            int count = 50 + random.nextInt(250);
            op = "burst of " + count + " writes";
            for (int i = 0; i < count; i++) {
                byte[] key = randomKey();
                if (random.nextInt(5) == 0) {
                    db.delete(key);
                    model.remove(key);
                } else {
                    byte[] value = randomValue();
                    db.put(key, value);
                    model.put(key, value);
                }
                counted(1);
            }
        }

        private void writeBatch() {
            WriteBatch batch = new WriteBatch();
            // A handful of keys used repeatedly, so one batch often touches a key twice.
            List<byte[]> pool = new ArrayList<>();
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                pool.add(random.nextBoolean() ? existingKey() : randomKey());
            }
            int size = 1 + random.nextInt(24);
            TreeMap<byte[], byte[]> effect = new TreeMap<>(Arrays::compareUnsigned);
            StringBuilder described = new StringBuilder();
            for (int i = 0; i < size; i++) {
                byte[] key = pool.get(random.nextInt(pool.size()));
                if (random.nextInt(3) == 0) {
                    batch.delete(key);
                    effect.put(key, null);
                    described.append(" -").append(show(key));
                } else {
                    byte[] value = randomValue();
                    batch.put(key, value);
                    effect.put(key, value);
                    described.append(" +").append(show(key));
                }
            }
            op = "batch of " + size + ":" + described;
            assertThat(batch.size()).isEqualTo(size);
            db.write(batch);
            for (Map.Entry<byte[], byte[]> e : effect.entrySet()) {
                if (e.getValue() == null) {
                    model.remove(e.getKey());
                } else {
                    model.put(e.getKey(), e.getValue());
                }
            }
            counted(size);
            // The batch's own keys, read right away: the last operation on each must have won.
            for (byte[] key : effect.keySet()) {
                assertThat(db.get(key)).as(op + ", then get " + show(key)).isEqualTo(model.get(key));
            }
        }

        private void pagedScan() {
            Bounds bounds = randomBounds();
            int pageSize = 1 + random.nextInt(12);
            int pages = 2 + random.nextInt(4);
            op = "paged scan of " + bounds.range + ", " + pages + " pages of " + pageSize;
            List<String> expected = show(bounds.of(model));
            List<String> seen = new ArrayList<>();
            KeyRange range = bounds.range;
            for (int page = 0; page < pages; page++) {
                List<KvEntry> entries = new ArrayList<>();
                try (KvIterator it = db.scan(range)) {
                    while (entries.size() < pageSize && it.hasNext()) {
                        entries.add(it.next());
                    }
                }
                entries.forEach(e -> seen.add(show(e.key(), e.value())));
                if (entries.size() < pageSize) {
                    assertThat(seen).as(op + ": everything after the last full page").isEqualTo(expected);
                    return;
                }
                range = range.resumeAfter(entries.get(entries.size() - 1).key());
            }
            assertThat(seen).as(op).isEqualTo(expected.subList(0, Math.min(expected.size(), pages * pageSize)));
        }

        /** An open scan reads the store as of its start, across later writes and flushes. */
        private void scanWhileWriting() {
            Bounds bounds = randomBounds();
            boolean flushMidway = random.nextInt(8) == 0;
            op = "scan of " + bounds.range + " while writing" + (flushMidway ? " and flushing" : "");
            List<String> expected = show(bounds.of(model));
            List<String> seen = new ArrayList<>();
            try (KvIterator it = db.scan(bounds.range)) {
                int before = random.nextInt(expected.size() + 1);
                while (seen.size() < before && it.hasNext()) {
                    KvEntry e = it.next();
                    seen.add(show(e.key(), e.value()));
                }
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    byte[] key = random.nextBoolean() ? existingKey() : randomKey();
                    if (random.nextInt(3) == 0) {
                        db.delete(key);
                        model.remove(key);
                    } else {
                        byte[] value = randomValue();
                        db.put(key, value);
                        model.put(key, value);
                    }
                    counted(1);
                }
                if (flushMidway) {
                    manualFlushes++;
                    db.flush();
                }
                while (it.hasNext()) {
                    KvEntry e = it.next();
                    seen.add(show(e.key(), e.value()));
                }
            }
            assertThat(seen).as(op).isEqualTo(expected);
        }

        private void takeSnapshot(int step) {
            if (snapshots.size() >= MAX_OPEN_SNAPSHOTS) {
                checkSnapshot();
                return;
            }
            op = "snapshot";
            Snapshot snapshot = db.snapshot();
            assertThat(snapshot.sequence()).as("snapshot sequence").isEqualTo(opsTotal);
            snapshots.add(new OpenSnapshot(snapshot, new TreeMap<>(model), step));
        }

        /** Reads through a random open snapshot, which must see the model as it was; sometimes closes it. */
        private void checkSnapshot() {
            if (snapshots.isEmpty()) {
                return;
            }
            int index = random.nextInt(snapshots.size());
            OpenSnapshot s = snapshots.get(index);
            verifySnapshot(s);
            if (random.nextInt(3) == 0) {
                s.snapshot.close();
                snapshots.remove(index);
            }
        }

        private void verifySnapshot(OpenSnapshot s) {
            String what = "snapshot taken at step " + s.takenAtStep;
            op = "read through " + what;
            for (int i = 0; i < 8; i++) {
                byte[] key = i % 2 == 0 && !s.frozen.isEmpty() ? randomKeyOf(s.frozen) : randomKey();
                assertThat(db.get(key, s.snapshot)).as(what + ": get " + show(key)).isEqualTo(s.frozen.get(key));
            }
            Bounds bounds = randomBounds();
            assertThat(scan(db.scan(bounds.range, s.snapshot))).as(what + ": scan " + bounds.range)
                    .containsExactlyElementsOf(show(bounds.of(s.frozen)));
            if (random.nextInt(4) == 0) {
                assertThat(scan(db.scan(KeyRange.all(), s.snapshot))).as(what + ": scan all")
                        .containsExactlyElementsOf(show(s.frozen));
            }
        }

        private void closeAllSnapshots() {
            for (OpenSnapshot s : snapshots) {
                verifySnapshot(s);
                s.snapshot.close();
            }
            snapshots.clear();
            assertThat(db.stats().openSnapshots()).as("open snapshots").isZero();
        }

        private void reopen() {
            flushesOfClosedInstances += db.stats().flushes();
            db.close();
            db = null;
            db = KvStore.open(dir, options);
            opsSinceOpen = 0;
            assertThat(db.stats().lastSequence()).as("lastSequence after reopen").isEqualTo(opsTotal);
        }

        /** Every key of the model by get, the whole store by scan, and a few absent keys. */
        private void checkWholeStore() {
            String what = op;
            op = what + ": check whole store";
            assertThat(scan(db.scan(KeyRange.all()))).as(op).containsExactlyElementsOf(show(model));
            for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
                assertThat(db.get(e.getKey())).as(op + ": get " + show(e.getKey())).isEqualTo(e.getValue());
            }
            for (int i = 0; i < 20; i++) {
                byte[] key = randomKey();
                assertThat(db.get(key)).as(op + ": get " + show(key)).isEqualTo(model.get(key));
            }
            op = what;
        }

        // ------------------------------------------------------------ random inputs

        private byte[] randomKey() {
            if (random.nextInt(40) == 0) {
                return longKey();
            }
            byte[] key = new byte[1 + random.nextInt(4)];
            for (int i = 0; i < key.length; i++) {
                key[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            return key;
        }

        /**
         * Now and then a key longer than a block: one or two symbols, a long run of one symbol, a last
         * symbol. Few enough of them (about 200) that they recur, and prefix scans still reach them.
         */
        private byte[] longKey() {
            int head = 1 + random.nextInt(2);
            int run = new int[] {300, 1100, 2500}[random.nextInt(3)];
            byte[] key = new byte[head + run + 1];
            for (int i = 0; i < head; i++) {
                key[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            Arrays.fill(key, head, head + run, ALPHABET[1 + random.nextInt(2)]);
            key[key.length - 1] = ALPHABET[random.nextInt(ALPHABET.length)];
            return key;
        }

        private byte[] randomPrefix() {
            int length = random.nextInt(4); // 0..3; an empty prefix means every key
            byte[] prefix = new byte[length];
            for (int i = 0; i < length; i++) {
                prefix[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            return prefix;
        }

        /** A key the model holds (so the store should too), or a random one if the model is empty. */
        private byte[] existingKey() {
            return model.isEmpty() ? randomKey() : randomKeyOf(model);
        }

        private byte[] randomKeyOf(NavigableMap<byte[], byte[]> map) {
            byte[] probe = randomKey();
            byte[] key = random.nextBoolean() ? map.ceilingKey(probe) : map.floorKey(probe);
            return key != null ? key.clone() : map.firstKey().clone();
        }

        private byte[] randomValue() {
            int dice = random.nextInt(100);
            int length;
            if (dice < 5) {
                length = 0;
            } else if (dice < 8) {
                length = 1024 + random.nextInt(5 << 10); // larger than any block
            } else {
                length = 1 + random.nextInt(48);
            }
            byte[] value = new byte[length];
            random.nextBytes(value);
            return value;
        }

        /** A range and, independently of {@link KeyRange}, how to cut the same entries out of the model. */
        private record Bounds(KeyRange range, byte[] from, byte[] to, byte[] prefix) {
            NavigableMap<byte[], byte[]> of(NavigableMap<byte[], byte[]> map) {
                if (prefix != null) {
                    return withPrefix(map, prefix);
                }
                if (from != null && to != null) {
                    return map.subMap(from, true, to, false);
                }
                if (from != null) {
                    return map.tailMap(from, true);
                }
                if (to != null) {
                    return map.headMap(to, false);
                }
                return map;
            }
        }

        private Bounds randomBounds() {
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    byte[] a = randomKey();
                    byte[] b = random.nextInt(8) == 0 ? a.clone() : randomKey();
                    if (Arrays.compareUnsigned(a, b) > 0) {
                        byte[] t = a;
                        a = b;
                        b = t;
                    }
                    return new Bounds(KeyRange.between(a, b), a, b, null);
                }
                case 2 -> {
                    byte[] from = randomKey();
                    return new Bounds(KeyRange.atLeast(from), from, null, null);
                }
                case 3 -> {
                    byte[] to = randomKey();
                    return new Bounds(KeyRange.lessThan(to), null, to, null);
                }
                default -> {
                    byte[] prefix = randomPrefix();
                    return prefix.length == 0 ? new Bounds(KeyRange.all(), null, null, null)
                            : new Bounds(KeyRange.prefix(prefix), null, null, prefix);
                }
            }
        }

        // ------------------------------------------------------------ model side

        private static NavigableMap<byte[], byte[]> withPrefix(NavigableMap<byte[], byte[]> map, byte[] prefix) {
            TreeMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
            for (Map.Entry<byte[], byte[]> e : map.tailMap(prefix, true).entrySet()) {
                byte[] key = e.getKey();
                if (key.length < prefix.length || Arrays.mismatch(key, 0, prefix.length, prefix, 0, prefix.length) >= 0) {
                    break;
                }
                out.put(key, e.getValue());
            }
            return out;
        }

        /** Drains and closes the iterator. */
        private static List<String> scan(KvIterator it) {
            List<String> out = new ArrayList<>();
            try (it) {
                while (it.hasNext()) {
                    KvEntry e = it.next();
                    out.add(show(e.key(), e.value()));
                }
            }
            return out;
        }

        private static List<String> show(Map<byte[], byte[]> map) {
            List<String> out = new ArrayList<>(map.size());
            map.forEach((k, v) -> out.add(show(k, v)));
            return out;
        }

        /** A key in hex; a long one shortened, with its length and hash to tell it apart. */
        private static String show(byte[] key) {
            return key.length <= 24 ? HEX.formatHex(key) : HEX.formatHex(key, 0, 8) + "…" + key.length + "B#"
                    + Integer.toHexString(Arrays.hashCode(key));
        }

        /** Key in hex; short values in hex, long ones by length and hash, so a mismatch reads well. */
        private static String show(byte[] key, byte[] value) {
            String v = value.length <= 16 ? HEX.formatHex(value)
                    : value.length + "B#" + Integer.toHexString(Arrays.hashCode(value));
            return show(key) + "=" + v;
        }
    }
}
