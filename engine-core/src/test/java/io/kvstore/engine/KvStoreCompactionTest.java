package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kvstore.engine.io.NioFileSystem;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.sstable.ReadCounters;
import io.kvstore.engine.sstable.TableReader;
import io.kvstore.engine.version.FileMetadata;
import io.kvstore.engine.version.FileNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compaction as a user sees it: sustained writes level off, space is reclaimed, snapshots and
 * deletes are honoured, writers are stalled rather than lost, and a random workload with
 * compaction running agrees with a {@link TreeMap} model.
 *
 * <p>Every store a test leaves behind is reopened after the test and checked: no overlapping
 * files below L0, L0 newest data first, and the manifest's files (and only those) on disk.
 * The random-operation test prints its seed on failure; replay it with {@code -Dkvstore.seed=N}.
 */
class KvStoreCompactionTest {

    @TempDir
    Path root;

    /** Stores the tests left behind, with the options they were opened with: checked after each test. */
    private final Map<Path, KvStoreOptions> stores = new LinkedHashMap<>();

    /** Small settings so that a few megabytes of writes make many flushes and compactions. */
    private static KvStoreOptions smallLsm(CompactionStrategy strategy) {
        return KvStoreOptions.defaults()
                .withSyncMode(SyncMode.NONE)
                .withCompactionStrategy(strategy)
                .withMemtableSize(64 << 10)
                .withTargetFileSize(64 << 10)
                .withMaxBytesForLevelBase(256 << 10)
                .withBlockCacheSize(1 << 20);
    }

    private KvStore open(Path dir, KvStoreOptions options) {
        stores.put(dir, options);
        return KvStore.open(dir, options);
    }

    private KvStore open(String name, KvStoreOptions options) {
        return open(root.resolve(name), options);
    }

    // ------------------------------------------------------------------ 1, 2: sustained writes

    @Test
    void sustainedLeveledWritesLevelOffWithNoOverlappingFilesBelowLevel0() {
        KvStoreOptions options = smallLsm(CompactionStrategy.LEVELED);
        Workload w = new Workload(20_000, 11);
        try (KvStore db = open("leveled", options)) {
            int maxFiles = w.run(db, 250_000, 5_000);
            KvStoreStats stats = awaitCompactionsDone(db);
            print("leveled sustained", stats, w.liveBytes());
            System.out.printf("leveled sustained: most table files seen after the first third: %d%n", maxFiles);

            // Compaction kept up: far fewer files than flushes, about what the live data fills.
            int filesForLiveData = (int) (w.liveBytes() / options.targetFileSize()) + 1;
            assertThat(stats.tableFiles()).isLessThan((int) stats.flushes() / 4)
                    .isLessThanOrEqualTo(3 * filesForLiveData + options.level0FileTrigger());
            assertThat(maxFiles).isLessThanOrEqualTo(4 * filesForLiveData + options.level0StopTrigger());
            assertThat(stats.tableBytes()).isLessThan(3 * w.liveBytes());
            assertThat(stats.tableFilesPerLevel().get(0)).isLessThan(options.level0FileTrigger());
            assertThat(stats.compactions()).isPositive();
            assertThat(stats.writeAmplification()).as("write amplification").isLessThan(15);
            checkLevels(db, "after sustained writes");
            w.assertStoreMatches(db);
        }
    }

    @Test
    void sustainedTieredWritesKeepTheNumberOfRunsBounded() {
        KvStoreOptions options = smallLsm(CompactionStrategy.TIERED);
        Workload w = new Workload(20_000, 12);
        try (KvStore db = open("tiered", options)) {
            int maxFiles = w.run(db, 200_000, 5_000);
            KvStoreStats stats = awaitCompactionsDone(db);
            print("tiered sustained", stats, w.liveBytes());
            System.out.printf("tiered sustained: most runs seen after the first third: %d%n", maxFiles);

            assertThat(stats.tableFilesPerLevel().subList(1, stats.tableFilesPerLevel().size()))
                    .as("size-tiered keeps every run in L0").allMatch(n -> n == 0);
            assertThat(stats.tableFiles()).isLessThan((int) stats.flushes() / 10);
            // A tier is merged once it holds level0FileTrigger runs, and ~800 flushes make about
            // log4(800) ≈ 5 tiers: 8 · level0FileTrigger runs is a generous bound.
            assertThat(maxFiles).isLessThanOrEqualTo(8 * options.level0FileTrigger());
            assertThat(stats.compactions()).isPositive();
            checkLevels(db, "after sustained writes");
            w.assertStoreMatches(db);
        }
    }

    /**
     * Puts, overwrites, deletes and small batches over a bounded key space, mirrored in a model.
     * Keys have different lengths so that unsigned byte order matters.
     */
    private static final class Workload {
        final int keySpace;
        final Random rnd;
        final TreeMap<String, byte[]> model = new TreeMap<>();

        Workload(int keySpace, long seed) {
            this.keySpace = keySpace;
            this.rnd = new Random(seed);
        }

        String key(int i) {
            return "user:" + i;
        }

        /** Runs {@code ops} operations, checking the levels every {@code checkEvery}; returns the most files seen late. */
        int run(KvStore db, int ops, int checkEvery) {
            int maxFilesLate = 0;
            for (int op = 1; op <= ops; op++) {
                int r = rnd.nextInt(100);
                if (r < 70) {
                    String k = key(rnd.nextInt(keySpace));
                    byte[] v = value(rnd, 20 + rnd.nextInt(180));
                    db.put(k, v);
                    model.put(k, v);
                } else if (r < 88) {
                    String k = key(rnd.nextInt(keySpace));
                    db.delete(k);
                    model.remove(k);
                } else {
                    WriteBatch batch = new WriteBatch();
                    Map<String, byte[]> effect = new LinkedHashMap<>();
                    int n = 2 + rnd.nextInt(10);
                    for (int j = 0; j < n; j++) {
                        String k = key(rnd.nextInt(keySpace));
                        if (rnd.nextInt(4) == 0) {
                            batch.delete(k);
                            effect.put(k, null);
                        } else {
                            byte[] v = value(rnd, 20 + rnd.nextInt(180));
                            batch.put(k, v);
                            effect.put(k, v);
                        }
                    }
                    db.write(batch);
                    effect.forEach((k, v) -> {
                        if (v == null) {
                            model.remove(k);
                        } else {
                            model.put(k, v);
                        }
                    });
                }
                if (op % checkEvery == 0) {
                    checkLevels(db, "after " + op + " operations");
                    if (op > ops / 3) {
                        maxFilesLate = Math.max(maxFilesLate, db.liveFiles().stream().mapToInt(List::size).sum());
                    }
                    if (op % (checkEvery * 10) == 0) {
                        for (int i = 0; i < 300; i++) {
                            String k = key(rnd.nextInt(keySpace));
                            assertThat(db.get(k)).as("%s after %d operations", k, op).isEqualTo(model.get(k));
                        }
                    }
                }
            }
            return maxFilesLate;
        }

        long liveBytes() {
            long total = 0;
            for (Map.Entry<String, byte[]> e : model.entrySet()) {
                total += e.getKey().length() + e.getValue().length;
            }
            return total;
        }

        void assertStoreMatches(KvStore db) {
            for (int i = 0; i < keySpace; i++) {
                String k = key(i);
                byte[] got = db.get(k);
                if (!Arrays.equals(got, model.get(k))) {
                    fail("get(%s) = %s, model has %s", k, describe(got), describe(model.get(k)));
                }
            }
            assertScan(db.scan(KeyRange.all()), model, "full scan");
        }
    }

    // ------------------------------------------------------------------ 3: space

    @ParameterizedTest
    @EnumSource(CompactionStrategy.class)
    void compactAfterTenOverwritesLeavesAboutOneCopyOfTheLiveData(CompactionStrategy strategy) {
        KvStoreOptions options = smallLsm(strategy).withCompression(Compression.NONE).withMemtableSize(256 << 10)
                .withTargetFileSize(256 << 10).withMaxBytesForLevelBase(1 << 20);
        Random rnd = new Random(3);
        int keys = 20_000;
        long liveBytes = 0;
        try (KvStore db = open("space-" + strategy, options)) {
            for (int round = 0; round <= 10; round++) {
                for (int i = 0; i < keys; i++) {
                    byte[] v = randomBytes(rnd, 100);
                    db.put(String.format("key%06d", i), v);
                }
            }
            for (int i = 0; i < keys; i++) {
                liveBytes += String.format("key%06d", i).length() + 100;
            }
            db.compact();
            KvStoreStats stats = db.stats();
            double ratio = (double) stats.bytesOnDisk() / liveBytes;
            print("space " + strategy, stats, liveBytes);
            System.out.printf("space %s: bytesOnDisk %d / live %d = %.3f (tables %d bytes)%n", strategy,
                    stats.bytesOnDisk(), liveBytes, ratio, stats.tableBytes());
            assertThat(ratio).isLessThanOrEqualTo(1.5);
            checkLevels(db, "after compact()");
            for (int i = 0; i < keys; i += 37) {
                assertThat(db.get(String.format("key%06d", i))).hasSize(100);
            }
        }
    }

    // ------------------------------------------------------------------ 4: compact(range), deletes

    @Test
    void compactOfAKeyRangeLeavesOneVersionPerKeyInTheRangeAndEveryKeyCorrect() {
        KvStoreOptions options = smallLsm(CompactionStrategy.LEVELED).withMemtableSize(128 << 10);
        Path dir = root.resolve("range");
        TreeMap<String, byte[]> model = new TreeMap<>();
        Random rnd = new Random(4);
        String from = key5(3_000);
        String to = key5(6_000);
        try (KvStore db = open(dir, options)) {
            for (int i = 0; i < 10_000; i++) {
                put(db, model, key5(i), value(rnd, 100));
            }
            db.flush();
            for (int i = 2_000; i < 9_000; i++) { // overwrites in and outside the range
                put(db, model, key5(i), value(rnd, 100));
            }
            for (int i = 4_000; i < 4_500; i++) {
                db.delete(key5(i));
                model.remove(key5(i));
            }
            for (int i = 8_000; i < 8_500; i++) {
                db.delete(key5(i));
                model.remove(key5(i));
            }
            db.compact(KeyRange.between(from, to));

            assertStoreMatches(db, model, 0, 10_000);
            assertScan(db.scan(KeyRange.between(from, to)), model.subMap(from, to), "scan of the compacted range");
            checkLevels(db, "after compact(range)");
            assertThat(db.liveFiles().get(0)).as("L0 files overlapping the range")
                    .noneMatch(f -> f.overlaps(bytes(from), bytes(to)));
            db.close();
            Census census = census(dir, db.liveFiles());
            census.perKey.forEach((k, c) -> {
                if (k.compareTo(from) >= 0 && k.compareTo(to) < 0) {
                    assertThat(c).as("entries for %s in the compacted range", k).isEqualTo(1);
                }
            });
            assertThat(census.deletedKeys).as("deletes in the compacted range")
                    .noneMatch(k -> k.compareTo(from) >= 0 && k.compareTo(to) < 0);
        }
        try (KvStore db = open(dir, options)) {
            assertStoreMatches(db, model, 0, 10_000);
        }
    }

    @ParameterizedTest
    @EnumSource(CompactionStrategy.class)
    void compactDropsDeletedKeysAndTheirDeletesAndNothingComesBackAfterReopen(CompactionStrategy strategy) {
        KvStoreOptions options = smallLsm(strategy).withMemtableSize(128 << 10);
        Path dir = root.resolve("deletes-" + strategy);
        TreeMap<String, byte[]> model = new TreeMap<>();
        Random rnd = new Random(5);
        long bytesBefore;
        try (KvStore db = open(dir, options)) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 20_000; i++) {
                    put(db, model, key5(i), value(rnd, 100));
                }
            }
            db.compact();
            bytesBefore = db.stats().tableBytes();
            for (int i = 0; i < 20_000; i += 2) {
                db.delete(key5(i));
                model.remove(key5(i));
            }
            db.compact();
            long bytesAfter = db.stats().tableBytes();
            System.out.printf("deletes %s: table bytes %d before deleting half the keys, %d after compact()%n",
                    strategy, bytesBefore, bytesAfter);
            assertThat(bytesAfter).isLessThan(bytesBefore * 6 / 10);
            assertStoreMatches(db, model, 0, 20_000);
            db.close();
            Census census = census(dir, db.liveFiles());
            assertThat(census.deletes).as("deletes left in tables").isZero();
            assertThat(census.entries).as("entries left in tables").isEqualTo(model.size());
        }
        try (KvStore db = open(dir, options)) {
            assertStoreMatches(db, model, 0, 20_000);
            assertThat(db.get(key5(0))).isNull();
            assertThat(db.get(key5(19_998))).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(CompactionStrategy.class)
    void compactDropsDeletesOfKeysNoTableHolds(CompactionStrategy strategy) {
        KvStoreOptions options = smallLsm(strategy);
        Path dir = root.resolve("absent-" + strategy);
        TreeMap<String, byte[]> model = new TreeMap<>();
        Random rnd = new Random(6);
        try (KvStore db = open(dir, options)) {
            for (int i = 0; i < 2_000; i++) {
                put(db, model, key5(i), value(rnd, 100));
            }
            db.compact();
            for (int i = 0; i < 500; i++) {
                db.delete("zz-never-written-" + i);
            }
            db.compact();
            assertStoreMatches(db, model, 0, 2_000);
            assertThat(db.get("zz-never-written-7")).isNull();
            db.close();
            assertThat(census(dir, db.liveFiles()).deletes)
                    .as("deletes left after compact(); live files per level %s", db.liveFiles()).isZero();
        }
    }

    // ------------------------------------------------------------------ 5: snapshots

    @ParameterizedTest
    @EnumSource(CompactionStrategy.class)
    void compactionKeepsWhatAnOpenSnapshotSeesAndDropsItOnceTheSnapshotIsClosed(CompactionStrategy strategy) {
        KvStoreOptions options = smallLsm(strategy).withMemtableSize(128 << 10);
        Path dir = root.resolve("snapshot-" + strategy);
        TreeMap<String, byte[]> model = new TreeMap<>();
        Random rnd = new Random(7);
        try (KvStore db = open(dir, options)) {
            for (int i = 0; i < 5_000; i++) {
                put(db, model, key5(i), value(rnd, 100));
            }
            db.compact();
            TreeMap<String, byte[]> old = new TreeMap<>(model);
            long bytesWithSnapshot;
            try (Snapshot s = db.snapshot()) {
                for (int i = 0; i < 5_000; i++) {
                    put(db, model, key5(i), value(rnd, 100));
                }
                for (int i = 0; i < 5_000; i += 5) {
                    db.delete(key5(i));
                    model.remove(key5(i));
                }
                for (int i = 5_000; i < 6_000; i++) {
                    put(db, model, key5(i), value(rnd, 100));
                }
                db.compact();
                checkLevels(db, "after compact() with an open snapshot");
                bytesWithSnapshot = db.stats().tableBytes();

                for (int i = 0; i < 6_000; i++) {
                    String k = key5(i);
                    assertThat(db.get(k, s)).as("%s in the snapshot", k).isEqualTo(old.get(k));
                    assertThat(db.get(k)).as("%s now", k).isEqualTo(model.get(k));
                }
                assertScan(db.scan(KeyRange.all(), s), old, "scan of the snapshot");
                assertScan(db.scan(KeyRange.prefix("k01"), s), old.subMap("k01", "k02"), "prefix scan of the snapshot");
                assertScan(db.scan(KeyRange.all()), model, "scan now");
            }
            assertThat(db.stats().openSnapshots()).isZero();
            db.compact();
            long bytesAfter = db.stats().tableBytes();
            System.out.printf("snapshot %s: table bytes %d while the snapshot was open, %d after it closed%n",
                    strategy, bytesWithSnapshot, bytesAfter);
            assertThat(bytesAfter).isLessThan(bytesWithSnapshot * 7 / 10);
            assertStoreMatches(db, model, 0, 6_000);
            db.close();
            Census census = census(dir, db.liveFiles());
            assertThat(census.deletes).isZero();
            assertThat(census.entries).isEqualTo(model.size());
        }
    }

    // ------------------------------------------------------------------ 6: write stalls, no deadlock

    /** L0 limits so low that flushes outrun compaction, and writers from several threads. */
    private static KvStoreOptions stallProne() {
        return smallLsm(CompactionStrategy.LEVELED)
                .withLevel0FileTrigger(2)
                .withLevel0SlowdownTrigger(3)
                .withLevel0StopTrigger(4);
    }

    @Test
    void writersFasterThanCompactionAreStalledAndEveryWriteLands() {
        int threads = 4;
        int perThread = 25_000;
        try (KvStore db = open("stalls", stallProne())) {
            AtomicInteger maxLevel0 = new AtomicInteger();
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                runConcurrently(threads, t -> {
                    Random rnd = new Random(t);
                    for (int i = 0; i < perThread; i++) {
                        db.put(writerKey(t, i), writerValue(rnd, t, i));
                        if (i % 1_000 == 0) {
                            maxLevel0.accumulateAndGet(db.liveFiles().get(0).size(), Math::max);
                        }
                    }
                });
            }, "writers hung: a write stall never ended");
            KvStoreStats stats = db.stats();
            print("stalls", stats, 0);
            System.out.printf("stalls: %d stalls, most L0 files seen by a writer %d%n", stats.writeStalls(),
                    maxLevel0.get());
            assertThat(stats.writeStalls()).isPositive();
            assertThat(stats.entriesWritten()).isEqualTo((long) threads * perThread);
            awaitCompactionsDone(db);
            checkLevels(db, "after the stalled writers");
            for (int t = 0; t < threads; t++) {
                Random rnd = new Random(t);
                for (int i = 0; i < perThread; i++) {
                    byte[] expected = writerValue(rnd, t, i);
                    if (!Arrays.equals(db.get(writerKey(t, i)), expected)) {
                        fail("%s lost or wrong", writerKey(t, i));
                    }
                }
            }
            try (KvIterator it = db.scan(KeyRange.all())) {
                int n = 0;
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
                assertThat(n).isEqualTo(threads * perThread);
            }
        }
    }

    @Test
    void writersReadersFlushesAndManualCompactionsTogetherNeverDeadlock() {
        int writers = 3;
        int perWriter = 15_000;
        try (KvStore db = open("no-deadlock", stallProne().withCompactionThreads(2))) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger writersLeft = new AtomicInteger(writers);
            Map<String, byte[]> written = new ConcurrentHashMap<>();
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                runConcurrently(writers + 2, t -> {
                    Random rnd = new Random(100 + t);
                    if (t < writers) {
                        for (int i = 0; i < perWriter; i++) {
                            String k = writerKey(t, rnd.nextInt(3_000));
                            byte[] v = writerValue(rnd, t, i);
                            if (i % 7 == 0) {
                                db.write(new WriteBatch().put(k, v).delete(writerKey(t, 5_000 + i)));
                            } else {
                                db.put(k, v);
                            }
                            written.put(k, v);
                        }
                        if (writersLeft.decrementAndGet() == 0) {
                            writing.set(false);
                        }
                    } else if (t == writers) {
                        // manual maintenance while writers run
                        int round = 0;
                        while (writing.get()) {
                            switch (round++ % 4) {
                                case 0 -> db.flush();
                                case 1 -> db.compact(KeyRange.prefix("w1/"));
                                case 2 -> db.compact();
                                default -> {
                                    try (Snapshot s = db.snapshot()) {
                                        db.flush();
                                        db.get(writerKey(0, 1), s);
                                    }
                                }
                            }
                        }
                    } else {
                        // readers: point reads and scans that hold versions while compactions replace them
                        while (writing.get()) {
                            db.get(writerKey(rnd.nextInt(writers), rnd.nextInt(3_000)));
                            try (KvIterator it = db.scan(KeyRange.prefix("w" + rnd.nextInt(writers) + "/"))) {
                                for (int i = 0; i < 200 && it.hasNext(); i++) {
                                    it.next();
                                }
                            }
                        }
                    }
                });
            }, "deadlock: writers, readers, flushes and manual compactions did not finish");
            KvStoreStats stats = awaitCompactionsDone(db);
            print("no-deadlock", stats, 0);
            checkLevels(db, "after the concurrent workload");
            written.forEach((k, v) -> assertThat(db.get(k)).as(k).isEqualTo(v));
        }
    }

    private static String writerKey(int thread, int i) {
        return "w" + thread + "/" + i;
    }

    private static byte[] writerValue(Random rnd, int thread, int i) {
        byte[] v = value(rnd, 60 + rnd.nextInt(80));
        v[0] = (byte) thread;
        v[1] = (byte) i;
        return v;
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads and rethrows the first failure. */
    private static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    body.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ 7: random operations vs a model

    static Stream<Arguments> randomRuns() {
        return Stream.of(
                Arguments.of(CompactionStrategy.LEVELED, Compression.LZ4, 1, 1024, 7001L),
                Arguments.of(CompactionStrategy.LEVELED, Compression.ZSTD, 2, 4096, 7002L),
                Arguments.of(CompactionStrategy.TIERED, Compression.LZ4, 2, 1024, 7003L),
                Arguments.of(CompactionStrategy.TIERED, Compression.ZSTD, 1, 4096, 7004L));
    }

    @ParameterizedTest(name = "{0} {1} compactionThreads={2} blockSize={3} seed={4}")
    @MethodSource("randomRuns")
    void randomOperationsAgreeWithATreeMapModelWhileCompactionRuns(CompactionStrategy strategy,
            Compression compression, int compactionThreads, int blockSize, long defaultSeed) {
        long seed = Long.getLong("kvstore.seed", defaultSeed);
        KvStoreOptions options = KvStoreOptions.defaults()
                .withSyncMode(SyncMode.NONE)
                .withCompactionStrategy(strategy)
                .withCompression(compression)
                .withCompactionThreads(compactionThreads)
                .withMemtableSize(64 << 10)
                .withTargetFileSize(16 << 10)
                .withMaxBytesForLevelBase(64 << 10)
                .withLevel0FileTrigger(2)
                .withBlockSize(blockSize)
                .withBlockCacheSize(256 << 10);
        RandomOps run = new RandomOps(root.resolve("random-" + strategy + "-" + compression), options, seed);
        run.run(3_000);
        System.out.printf("random %s %s seed %d: %s%n", strategy, compression, seed, run.counts);
        System.out.printf("random %s %s seed %d: millis %s%n", strategy, compression, seed, run.millis);
    }

    /** One seeded run of random operations against a TreeMap model. */
    private final class RandomOps {
        final Path dir;
        final KvStoreOptions options;
        final long seed;
        final Random rnd;
        final TreeMap<String, byte[]> model = new TreeMap<>();
        final List<Map.Entry<Snapshot, TreeMap<String, byte[]>>> snapshots = new ArrayList<>();
        final Map<String, Integer> counts = new TreeMap<>();
        final Map<String, Long> millis = new TreeMap<>();
        KvStore db;

        RandomOps(Path dir, KvStoreOptions options, long seed) {
            this.dir = dir;
            this.options = options;
            this.seed = seed;
            this.rnd = new Random(seed);
        }

        String key() {
            return "abcd".charAt(rnd.nextInt(4)) + "/" + rnd.nextInt(600);
        }

        void run(int steps) {
            db = open(dir, options);
            String op = "open";
            int step = 0;
            try {
                for (step = 0; step < steps; step++) {
                    long t0 = System.nanoTime();
                    op = step(rnd.nextInt(1000));
                    counts.merge(op, 1, Integer::sum);
                    millis.merge(op, (System.nanoTime() - t0) / 1_000_000, Long::sum);
                }
                op = "final check";
                closeSnapshots();
                awaitCompactionsDone(db);
                checkLevels(db, "at the end");
                assertScan(db.scan(KeyRange.all()), model, "final scan");
                for (String k : model.keySet()) {
                    assertThat(db.get(k)).as(k).isEqualTo(model.get(k));
                }
                closeAndCheckFiles(db, dir);
            } catch (Throwable t) {
                throw new AssertionError("random operations failed: seed=" + seed + " step=" + step + " op=" + op
                        + " options=" + options + " (replay with -Dkvstore.seed=" + seed + ")", t);
            } finally {
                db.close();
            }
        }

        /** Runs one operation chosen by {@code r} in [0, 1000); returns its name. */
        String step(int r) {
            if (r < 330) {
                String k = key();
                byte[] v = rnd.nextInt(20) == 0 ? new byte[0] : value(rnd, rnd.nextInt(300));
                db.put(k, v);
                model.put(k, v);
                return "put";
            } else if (r < 450) {
                String k = key();
                db.delete(k);
                model.remove(k);
                return "delete";
            } else if (r < 530) {
                WriteBatch batch = new WriteBatch();
                int n = 1 + rnd.nextInt(30);
                List<Runnable> effects = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String k = key();
                    if (rnd.nextInt(3) == 0) {
                        batch.delete(k);
                        effects.add(() -> model.remove(k));
                    } else {
                        byte[] v = value(rnd, rnd.nextInt(300));
                        batch.put(k, v);
                        effects.add(() -> model.put(k, v));
                    }
                }
                db.write(batch);
                effects.forEach(Runnable::run);
                return "batch";
            } else if (r < 580) {
                // a burst of writes: forces flushes and background compactions
                for (int i = 0; i < 300; i++) {
                    String k = key();
                    byte[] v = value(rnd, 100 + rnd.nextInt(200));
                    db.put(k, v);
                    model.put(k, v);
                }
                return "burst";
            } else if (r < 730) {
                String k = key();
                assertThat(db.get(k)).as("get %s", k).isEqualTo(model.get(k));
                return "get";
            } else if (r < 770) {
                String prefix = "abcd".charAt(rnd.nextInt(4)) + "/" + (rnd.nextBoolean() ? "" : rnd.nextInt(10));
                assertScan(db.scan(KeyRange.prefix(prefix)), prefixOf(model, prefix), "prefix scan " + prefix);
                return "prefix scan";
            } else if (r < 810) {
                String a = key();
                String b = key();
                String from = a.compareTo(b) <= 0 ? a : b;
                String to = a.compareTo(b) <= 0 ? b : a;
                assertScan(db.scan(KeyRange.between(from, to)), model.subMap(from, to), "range scan");
                return "range scan";
            } else if (r < 830) {
                if (snapshots.size() < 3) {
                    snapshots.add(Map.entry(db.snapshot(), new TreeMap<>(model)));
                }
                return "snapshot";
            } else if (r < 860) {
                if (!snapshots.isEmpty()) {
                    var entry = snapshots.get(rnd.nextInt(snapshots.size()));
                    Snapshot s = entry.getKey();
                    TreeMap<String, byte[]> then = entry.getValue();
                    for (int i = 0; i < 20; i++) {
                        String k = key();
                        assertThat(db.get(k, s)).as("get %s in a snapshot", k).isEqualTo(then.get(k));
                    }
                    assertScan(db.scan(KeyRange.all(), s), then, "scan of a snapshot");
                    if (rnd.nextBoolean()) {
                        s.close();
                        snapshots.remove(entry);
                    }
                }
                return "snapshot read";
            } else if (r < 900) {
                db.flush();
                return "flush";
            } else if (r < 915) {
                db.compact();
                checkLevels(db, "after compact()");
                return "compact";
            } else if (r < 940) {
                String a = key();
                String b = key();
                db.compact(KeyRange.between(a.compareTo(b) <= 0 ? a : b, a.compareTo(b) <= 0 ? b : a));
                checkLevels(db, "after compact(range)");
                return "compact range";
            } else if (r < 955) {
                closeSnapshots();
                db.close();
                db = open(dir, options);
                checkLevels(db, "after reopen");
                return "reopen";
            } else {
                checkLevels(db, "while running");
                return "check levels";
            }
        }

        void closeSnapshots() {
            snapshots.forEach(e -> e.getKey().close());
            snapshots.clear();
        }
    }

    private static SortedMap<String, byte[]> prefixOf(NavigableMap<String, byte[]> model, String prefix) {
        return model.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    // ------------------------------------------------------------------ 8: compression changes

    @Test
    void tablesWrittenWithEveryCompressionStayReadableAfterTheSettingChanges() {
        Path dir = root.resolve("compression");
        KvStoreOptions base = smallLsm(CompactionStrategy.LEVELED).withMemtableSize(128 << 10);
        TreeMap<String, byte[]> model = new TreeMap<>();
        Random rnd = new Random(8);
        Compression[] sequence = {Compression.NONE, Compression.LZ4, Compression.ZSTD, Compression.NONE};
        for (int phase = 0; phase < sequence.length; phase++) {
            try (KvStore db = open(dir, base.withCompression(sequence[phase]))) {
                assertStoreMatches(db, model, 0, 15_000);
                int start = phase * 3_000;
                for (int i = start; i < start + 6_000; i++) { // half overwrites what the last phase wrote
                    put(db, model, key5(i), value(rnd, 150));
                }
                for (int i = start; i < start + 6_000; i += 11) {
                    db.delete(key5(i));
                    model.remove(key5(i));
                }
                db.flush();
                if (phase % 2 == 1) {
                    db.compact(KeyRange.between(key5(start), key5(start + 2_000)));
                }
                assertStoreMatches(db, model, 0, 15_000);
                checkLevels(db, "after writing with " + sequence[phase]);
                db.close();
                Census census = census(dir, db.liveFiles()); // reads every entry of every table
                assertThat(census.entries).isPositive();
            }
        }
        try (KvStore db = open(dir, base.withCompression(Compression.ZSTD))) {
            db.compact();
            assertStoreMatches(db, model, 0, 15_000);
            db.close();
            assertThat(census(dir, db.liveFiles()).entries).isEqualTo(model.size());
        }
    }

    // ------------------------------------------------------------------ invariants

    /** Reopens every store a test left and checks its levels and files once more. */
    @AfterEach
    void levelInvariantsHoldInEveryStoreLeftBehind() {
        for (Map.Entry<Path, KvStoreOptions> e : stores.entrySet()) {
            Path dir = e.getKey();
            if (!Files.exists(dir.resolve(FileNames.CURRENT))) {
                continue;
            }
            KvStore db = KvStore.open(dir, e.getValue());
            try {
                checkLevels(db, "on reopen after the test");
                awaitCompactionsDone(db);
            } finally {
                closeAndCheckFiles(db, dir);
            }
        }
    }

    /**
     * Checks the shape of the current version: below L0 each level is sorted and no two files
     * overlap; L0 is newest data first, its files' sequence ranges disjoint.
     */
    static void checkLevels(KvStore db, String when) {
        checkLevels(db.liveFiles(), when);
    }

    static void checkLevels(List<List<FileMetadata>> levels, String when) {
        List<FileMetadata> l0 = levels.get(0);
        for (int i = 0; i + 1 < l0.size(); i++) {
            FileMetadata newer = l0.get(i);
            FileMetadata older = l0.get(i + 1);
            assertThat(newer.smallestSequence())
                    .as("%s: L0 %s (sequences %d..%d) must hold only data newer than the next, %s (%d..%d)", when,
                            newer, newer.smallestSequence(), newer.largestSequence(), older,
                            older.smallestSequence(), older.largestSequence())
                    .isGreaterThan(older.largestSequence());
        }
        for (int level = 0; level < levels.size(); level++) {
            for (FileMetadata f : levels.get(level)) {
                assertThat(Arrays.compareUnsigned(f.smallestUserKey(), f.largestUserKey()))
                        .as("%s: L%d %s smallest key after its largest", when, level, f).isLessThanOrEqualTo(0);
            }
        }
        for (int level = 1; level < levels.size(); level++) {
            List<FileMetadata> files = levels.get(level);
            for (int i = 0; i + 1 < files.size(); i++) {
                FileMetadata a = files.get(i);
                FileMetadata b = files.get(i + 1);
                assertThat(Arrays.compareUnsigned(a.smallestUserKey(), b.smallestUserKey()))
                        .as("%s: L%d files %s and %s out of order", when, level, a, b).isLessThan(0);
                assertThat(Arrays.compareUnsigned(a.largestUserKey(), b.smallestUserKey()))
                        .as("%s: L%d files overlap: %s ends at %s, %s starts at %s", when, level, a,
                                describe(a.largestUserKey()), b, describe(b.smallestUserKey()))
                        .isLessThan(0);
            }
        }
    }

    /**
     * Closes {@code db} and checks its last version against the directory: every listed table
     * exists with the listed size and no other table file is left.
     */
    static void closeAndCheckFiles(KvStore db, Path dir) {
        db.close();
        List<List<FileMetadata>> levels = db.liveFiles();
        checkLevels(levels, "after close");
        Set<Long> live = new TreeSet<>();
        try {
            for (List<FileMetadata> level : levels) {
                for (FileMetadata f : level) {
                    live.add(f.number());
                    Path table = FileNames.table(dir, f.number());
                    assertThat(table).as("live table").exists();
                    assertThat(Files.size(table)).as("size of %s", table.getFileName()).isEqualTo(f.size());
                }
            }
            Set<Long> onDisk = new TreeSet<>();
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(p -> {
                    FileNames.Parsed parsed = FileNames.parse(p.getFileName().toString());
                    if (parsed != null && parsed.kind() == FileNames.Kind.TABLE) {
                        onDisk.add(parsed.number());
                    }
                });
            }
            assertThat(onDisk).as("table files on disk").isEqualTo(live);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (bounded) until compaction has nothing left to do; returns the stats then. */
    static KvStoreStats awaitCompactionsDone(KvStore db) {
        int trigger = db.options().level0FileTrigger();
        boolean leveled = db.options().compactionStrategy() == CompactionStrategy.LEVELED;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            KvStoreStats s = db.stats();
            return s.pendingCompactionBytes() == 0 && s.immutableMemtableBytes() == 0
                    && (!leveled || s.tableFilesPerLevel().get(0) < trigger);
        });
        return db.stats();
    }

    /** Entries, deletes and versions per user key in the given tables, read entry by entry from the files. */
    private record Census(long entries, long deletes, Map<String, Integer> perKey, Set<String> deletedKeys) {
    }

    private static Census census(Path dir, List<List<FileMetadata>> levels) {
        long entries = 0;
        long deletes = 0;
        Map<String, Integer> perKey = new HashMap<>();
        Set<String> deletedKeys = new HashSet<>();
        for (List<FileMetadata> level : levels) {
            for (FileMetadata f : level) {
                try (TableReader reader = TableReader.open(NioFileSystem.INSTANCE, FileNames.table(dir, f.number()),
                        f.size(), new ReadCounters()); InternalIterator it = reader.iterator()) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        String key = new String(it.keyArray(), it.keyOffset(), it.keyLength(), StandardCharsets.UTF_8);
                        entries++;
                        perKey.merge(key, 1, Integer::sum);
                        if (InternalKey.type(it.trailer()) == InternalKey.TYPE_DELETE) {
                            deletes++;
                            deletedKeys.add(key);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new Census(entries, deletes, perKey, deletedKeys);
    }

    // ------------------------------------------------------------------ helpers

    private static void print(String what, KvStoreStats s, long liveBytes) {
        System.out.printf("%s: files per level %s, bytes per level %s, flushes %d, compactions %d, "
                + "write amplification %.2f, stalls %d, bytes on disk %d%s%n", what, s.tableFilesPerLevel(),
                s.tableBytesPerLevel(), s.flushes(), s.compactions(), s.writeAmplification(), s.writeStalls(),
                s.bytesOnDisk(), liveBytes > 0 ? ", live data " + liveBytes : "");
    }

    private static String key5(int i) {
        return String.format("k%05d", i);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(KvStore db, Map<String, byte[]> model, String key, byte[] value) {
        db.put(key, value);
        model.put(key, value);
    }

    /** A value of {@code length} bytes: a random head and a repetitive tail, so compression has work. */
    static byte[] value(Random rnd, int length) {
        byte[] v = new byte[length];
        int head = Math.min(length, 16);
        for (int i = 0; i < head; i++) {
            v[i] = (byte) rnd.nextInt(256);
        }
        byte fill = (byte) ('a' + rnd.nextInt(26));
        for (int i = head; i < length; i++) {
            v[i] = (i % 8 == 0) ? (byte) i : fill;
        }
        return v;
    }

    private static byte[] randomBytes(Random rnd, int length) {
        byte[] v = new byte[length];
        rnd.nextBytes(v);
        return v;
    }

    /** Every key {@code key5(from)..key5(to - 1)} reads as in the model, and a full scan equals it. */
    private static void assertStoreMatches(KvStore db, NavigableMap<String, byte[]> model, int from, int to) {
        for (int i = from; i < to; i++) {
            String k = key5(i);
            byte[] got = db.get(k);
            if (!Arrays.equals(got, model.get(k))) {
                fail("get(%s) = %s, model has %s", k, describe(got), describe(model.get(k)));
            }
        }
        assertScan(db.scan(KeyRange.all()), model, "full scan");
    }

    /** The scan yields exactly {@code expected}, in order. Closes the iterator. */
    static void assertScan(KvIterator it, SortedMap<String, byte[]> expected, String what) {
        try (it) {
            Iterator<Map.Entry<String, byte[]>> want = expected.entrySet().iterator();
            int n = 0;
            while (it.hasNext()) {
                KvEntry got = it.next();
                if (!want.hasNext()) {
                    fail("%s: unexpected entry %s after %d expected ones", what, got.keyAsString(), n);
                }
                Map.Entry<String, byte[]> w = want.next();
                if (!got.keyAsString().equals(w.getKey())) {
                    fail("%s: entry %d is %s, expected %s", what, n, got.keyAsString(), w.getKey());
                }
                if (!Arrays.equals(got.value(), w.getValue())) {
                    fail("%s: value of %s is %s, expected %s", what, w.getKey(), describe(got.value()),
                            describe(w.getValue()));
                }
                n++;
            }
            if (want.hasNext()) {
                fail("%s: ended after %d entries, missing %s", what, n, want.next().getKey());
            }
        }
    }

    private static String describe(byte[] b) {
        if (b == null) {
            return "null";
        }
        return b.length + " bytes " + java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 12));
    }
}
