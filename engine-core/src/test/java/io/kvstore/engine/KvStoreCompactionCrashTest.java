package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.WriteStep.WriteOp;
import io.kvstore.engine.io.FaultInjectingFileSystem;
import io.kvstore.engine.io.FaultInjectingFileSystem.Operation;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.ReadableFile;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.version.FileMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash at any point of a compaction recovers to a correct state: no acknowledged write lost, no
 * deleted key back, no stale value shadowing a newer one. Everything runs on the in-memory
 * {@link FaultInjectingFileSystem} in {@code SYNC} mode, so every acknowledged write must survive
 * every power cut.
 *
 * <h2>Every crash point of a manual compaction</h2>
 *
 * A deterministic workload builds a layout where a wrongly dropped delete would resurrect an old
 * value: generation 1 (every key) is flushed in chunks and {@code compact()}ed into the deepest
 * level; generation 2 (overwrites and deletes) is flushed in four chunks, which leveled compaction
 * merges into L1 above it (tiered: one newer run); generation 3 (overwrites, deletes of keys whose
 * only other versions are deep down, re-puts of deleted keys) is two L0 files plus a memtable.
 * Between steps the test waits until the picker has nothing pending, so no background compaction
 * runs concurrently and the layout and the I/O counts are the same in every run. Then
 * {@code compact()} runs on the test thread.
 *
 * <p>A dry run counts, per {@link Operation} kind, the operations {@code compact()} performs (and
 * records which file each one touched). For each kind and each k among them (all, or ~30 chosen:
 * every one on a manifest/WAL/CURRENT file, the last one on each table, and evenly spaced others),
 * the workload runs again on a fresh file system with the k-th operation of that kind failing.
 * {@code compact()} must succeed or throw {@link KvStoreException}; reads on the live store must
 * still show exactly the model; then the power is cut (each crash point twice: plain, and torn
 * with a seed derived from strategy, kind and k), the store is abandoned as in {@link KvStorePowerCutTest} (close, exception ignored) and reopened with
 * the same options. The reopened store must hold exactly the model (full scan and a get of every
 * key ever written), pass {@link KvStore#verify()}, keep the level invariants, and stay usable:
 * more writes, another {@code compact()}, the same checks, a clean reopen.
 *
 * <h2>Power cuts during background compactions</h2>
 *
 * A writer thread runs a random workload (puts, deletes, batches) with small settings, so flushes
 * and background compactions run all the time. The power is cut either after a random number of
 * acknowledged writes, or from inside a compaction thread at its j-th file operation of one kind
 * (so the cut is guaranteed to land mid-compaction). The old instance's file system view dies with the cut (a
 * dead process does nothing more). The reopened store must hold exactly the acknowledged writes,
 * plus possibly the one write that was in flight, applied whole.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang guard only
class KvStoreCompactionCrashTest {

    private static final Path DIR = Path.of("/db");
    private static final Operation[] KINDS = {Operation.CREATE, Operation.APPEND, Operation.SYNC,
            Operation.SYNC_DIRECTORY, Operation.RENAME, Operation.DELETE};
    /** Crash points per operation kind when a compaction performs more than this many. */
    private static final int SAMPLE = 30;
    /** Generation 1 writes keys [0, KEYS); later generations also use [KEYS, ALL_KEYS). */
    private static final int KEYS = 2400;
    private static final int ALL_KEYS = KEYS + 100;

    /** The engine logs every injected failure with a stack trace (hundreds here); the assertions say what matters. */
    private static final java.util.logging.Logger ENGINE_LOG = java.util.logging.Logger.getLogger("io.kvstore");
    private static java.util.logging.Level engineLogLevel;

    @BeforeAll
    static void quietEngineLog() {
        engineLogLevel = ENGINE_LOG.getLevel();
        ENGINE_LOG.setLevel(java.util.logging.Level.OFF);
    }

    @AfterAll
    static void restoreEngineLog() {
        ENGINE_LOG.setLevel(engineLogLevel);
    }

    // ================================================================== every crash point of compact()

    @ParameterizedTest(name = "{0}")
    @EnumSource(CompactionStrategy.class)
    void aFailureOrPowerCutAtAnyIoOfACompactionRecoversExactlyTheAcknowledgedState(CompactionStrategy strategy) {
        long started = System.nanoTime();
        DryRun dry = dryRun(strategy);
        Map<Operation, String> tried = new EnumMap<>(Operation.class);
        List<String> problems = new ArrayList<>();
        int runs = 0;
        int threw = 0;
        Map<Operation, List<Integer>> returned = new EnumMap<>(Operation.class);
        for (Operation op : KINDS) {
            List<String> files = dry.trace.get(op);
            List<Integer> ks = crashPoints(files);
            tried.put(op, ks.size() + "/" + files.size());
            for (int k : ks) {
                // Every crash point twice: a plain cut (only synced bytes and names survive) and a
                // torn one (each file also keeps a random prefix of its unsynced bytes).
                for (boolean tornCut : new boolean[] {false, true}) {
                    Long tornSeed = tornCut ? seed(strategy) * 1_000_003L + op.ordinal() * 10_007L + k : null;
                    String context = strategy + ": " + op + " #" + k + " of compact() (on " + files.get(k - 1)
                            + ") fails, then " + (tornCut ? "torn power cut, seed " + tornSeed : "plain power cut");
                    runs++;
                    try {
                        if (crashRun(strategy, dry, op, k, tornSeed, context)) {
                            threw++;
                        } else if (!tornCut) {
                            returned.computeIfAbsent(op, o -> new ArrayList<>()).add(k);
                        }
                    } catch (AssertionError | RuntimeException e) {
                        problems.add(context + ": " + e);
                    }
                }
            }
        }
        String summary = String.format("%s: crash points tried (tried/performed by compact()) %s, each with a plain"
                + " and a torn cut: %d runs; compact() threw in %d; returned normally despite the failed operation"
                + " at %s; %d runs failed their checks; layout before compact(): %s; %d ms", strategy, tried, runs,
                threw, returned, problems.size(), dry.layout, (System.nanoTime() - started) / 1_000_000);
        System.out.println("[KvStoreCompactionCrashTest] " + summary);
        assertThat(problems).as("%d of %d crash points failed; %s", problems.size(), runs, summary).isEmpty();
    }

    /** The performed operations of compact() per kind (the file each touched) and the layout it starts from. */
    private record DryRun(Map<Operation, Long> before, Map<Operation, List<String>> trace, String layout) {
    }

    private static DryRun dryRun(CompactionStrategy strategy) {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        ObservedFileSystem observed = new ObservedFileSystem(fs);
        Map<Operation, Long> before = new EnumMap<>(Operation.class);
        String layout;
        try (KvStore db = KvStore.open(DIR, crashOptions(observed, strategy))) {
            Model model = buildLayout(db, seed(strategy));
            layout = layout(db) + " + memtable";
            List<List<FileMetadata>> levels = db.liveFiles();
            if (strategy == CompactionStrategy.LEVELED) {
                assertThat(levels.get(0)).as("harness: %s L0 before compact()", strategy).hasSize(2);
                assertThat(levels.get(1)).as("harness: %s L1 before compact()", strategy).isNotEmpty();
                assertThat(levels.get(2)).as("harness: %s L2 before compact()", strategy).isNotEmpty();
            } else {
                assertThat(levels.get(0)).as("harness: %s runs before compact()", strategy).hasSizeGreaterThan(3);
            }
            for (Operation op : KINDS) {
                before.put(op, fs.count(op));
            }
            observed.tracing = true;
            db.compact();
            observed.tracing = false;
            for (Operation op : KINDS) {
                assertThat((long) observed.trace.get(op).size()).as("harness: traced %s vs counted", op)
                        .isEqualTo(fs.count(op) - before.get(op));
            }
            checkStore(db, model, strategy, strategy + " dry run after compact()");
            int deepest = levels.size() - 1;
            while (deepest > 0 && db.liveFiles().get(deepest).isEmpty()) {
                deepest--;
            }
            List<List<FileMetadata>> after = db.liveFiles();
            for (int level = 0; level < deepest; level++) {
                assertThat(after.get(level)).as("harness: %s dry run: compact() leaves L%d empty (%s)", strategy,
                        level, layout(db)).isEmpty();
            }
        }
        return new DryRun(before, observed.trace, layout);
    }

    /**
     * One crash point. Returns whether compact() threw. Throws AssertionError on any violation.
     */
    private static boolean crashRun(CompactionStrategy strategy, DryRun dry, Operation op, int k, Long tornSeed,
            String context) {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        KvStore db = KvStore.open(DIR, crashOptions(fs, strategy));
        Model model;
        boolean threw = false;
        try {
            model = buildLayout(db, seed(strategy));
            for (Operation kind : KINDS) {
                assertThat(fs.count(kind)).as("%s: harness: the setup is deterministic (%s count before compact())",
                        context, kind).isEqualTo(dry.before.get(kind));
            }
            fs.failNth(op, k);
            try {
                db.compact();
            } catch (KvStoreException e) {
                assertThat(e).as("%s: compact() threw", context).isNotInstanceOf(CorruptionException.class);
                threw = true;
            }
            assertThat(fs.count(op)).as("%s: harness: compact() reached the crash point", context)
                    .isGreaterThanOrEqualTo(dry.before.get(op) + k);
            fs.clearFaults();
            checkContents(db, model, context + ", live reads after compact() " + (threw ? "threw" : "returned"));
        } finally {
            fs.clearFaults();
            if (tornSeed != null) {
                fs.powerCut(new Random(tornSeed));
            } else {
                fs.powerCut();
            }
            abandon(db);
        }
        KvStore reopened = reopen(fs, crashOptions(fs, strategy), context);
        try {
            checkStore(reopened, model, strategy, context + ", after the reopen");
            moreWritesAndCompact(reopened, model, strategy, new Random(k * 31L + op.ordinal()), context);
        } finally {
            reopened.close();
        }
        try (KvStore again = reopen(fs, crashOptions(fs, strategy), context + ", clean reopen")) {
            checkContents(again, model, context + ", after a clean reopen");
        }
        return threw;
    }

    /**
     * The deterministic layout (see the class comment): returns the model of what the store holds.
     * Every write is acknowledged. No background compaction is running when it returns.
     */
    private static Model buildLayout(KvStore db, long seed) {
        Model m = new Model(new Random(seed));
        // Generation 1: every key, flushed in chunks well below the memtable size (no automatic
        // switch); background compactions spread it over the levels, compact() puts it at the bottom.
        for (int i = 0; i < KEYS; i++) {
            m.put(db, key(i));
            if ((i + 1) % 200 == 0) {
                db.flush();
                awaitQuiescence(db);
            }
        }
        db.flush();
        awaitQuiescence(db);
        db.compact();
        awaitQuiescence(db);
        // Generation 2: overwrites and deletes in four flushed chunks (leveled: merged into L1 above
        // generation 1 once L0 reaches its trigger; tiered: merged into one newer run).
        Random r = m.random;
        for (int chunk = 0; chunk < 4; chunk++) {
            for (int i = 0; i < 150; i++) {
                String key = key(r.nextInt(KEYS));
                if (r.nextInt(4) == 0) {
                    m.delete(db, key);
                } else {
                    m.put(db, key);
                }
            }
            db.flush();
            awaitQuiescence(db);
        }
        // Generation 3: two L0 files and a memtable. Deletes of keys whose only other version is in
        // the deepest level, overwrites, re-puts of deleted keys, several versions of one key, and
        // keys generation 1 never wrote.
        List<String> putHere = new ArrayList<>();
        List<String> deletedHere = new ArrayList<>();
        int[] sizes = {150, 150, 100};
        for (int chunk = 0; chunk < sizes.length; chunk++) {
            for (int i = 0; i < sizes[chunk]; i++) {
                int kind = r.nextInt(100);
                String key;
                if (kind < 35) {
                    key = key(r.nextInt(ALL_KEYS));
                    m.delete(db, key);
                    deletedHere.add(key);
                } else if (kind < 70 || putHere.isEmpty() || deletedHere.isEmpty()) {
                    key = key(r.nextInt(ALL_KEYS));
                    m.put(db, key);
                    putHere.add(key);
                } else if (kind < 85) {
                    key = putHere.get(r.nextInt(putHere.size()));
                    m.delete(db, key);
                    deletedHere.add(key);
                } else {
                    key = deletedHere.get(r.nextInt(deletedHere.size()));
                    m.put(db, key);
                    putHere.add(key);
                }
            }
            if (chunk < sizes.length - 1) {
                db.flush();
                awaitQuiescence(db);
            }
        }
        return m;
    }

    // ================================================================== power cuts during background compactions

    private static final int BACKGROUND_SEEDS = 14;
    private static final int BACKGROUND_KEYS = 3000;
    /** The kinds a compaction thread performs (it never renames), cut at in turn. */
    private static final Operation[] COMPACTOR_KINDS = {Operation.CREATE, Operation.APPEND, Operation.SYNC,
            Operation.SYNC_DIRECTORY, Operation.DELETE};

    /**
     * Odd seeds: the test thread cuts the power once the writer has a random number of acknowledged
     * writes. Even seeds: a compaction thread cuts it at its j-th operation of one kind (CREATE,
     * APPEND, SYNC, SYNC_DIRECTORY, DELETE in turn), j random within what a run performs. Every
     * second pair of seeds cuts torn.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(CompactionStrategy.class)
    void aPowerCutWhileBackgroundCompactionsRunLosesNoAcknowledgedWriteAndResurrectsNoDeletedKey(
            CompactionStrategy strategy) {
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> cuts = new ArrayList<>();
        long acked = 0;
        long[] compactorOps = new long[Operation.values().length];
        long compactorTables = 0;
        int insideCompaction = 0;
        int inflightApplied = 0;
        for (int seed = 1; seed <= BACKGROUND_SEEDS; seed++) {
            Operation cutKind = seed % 2 == 0 ? COMPACTOR_KINDS[(seed / 2) % COMPACTOR_KINDS.length] : null;
            boolean torn = (seed / 2) % 2 == 1;
            String context = strategy + " background seed " + seed + " (cut " + (cutKind != null
                    ? "by a compaction thread at one of its " + cutKind + "s" : "after N acknowledged writes") + ", "
                    + (torn ? "torn" : "plain") + ")";
            try {
                BackgroundResult result = backgroundRun(strategy, seed, cutKind, torn, context);
                acked += result.acked;
                compactorTables += result.compactorTables;
                for (int i = 0; i < compactorOps.length; i++) {
                    compactorOps[i] += result.compactorOps[i];
                }
                if (result.cutInsideCompaction) {
                    insideCompaction++;
                }
                if (result.inflightApplied) {
                    inflightApplied++;
                }
                cuts.add("seed " + seed + ": " + result.cut);
            } catch (AssertionError | RuntimeException e) {
                problems.add(context + ": " + e);
            }
        }
        Map<Operation, Long> ops = new EnumMap<>(Operation.class);
        for (Operation op : COMPACTOR_KINDS) {
            ops.put(op, compactorOps[op.ordinal()]);
        }
        String summary = String.format("%s background: %d runs, %d acknowledged writes; compaction threads wrote %d"
                + " tables and performed %s before the cuts; %d cuts inside a compaction's I/O; the in-flight write"
                + " was recovered as applied in %d; %d runs failed; %d ms; cuts %s", strategy, BACKGROUND_SEEDS,
                acked, compactorTables, ops, insideCompaction, inflightApplied, problems.size(),
                (System.nanoTime() - started) / 1_000_000, cuts);
        System.out.println("[KvStoreCompactionCrashTest] " + summary);
        assertThat(problems).as("%d of %d runs failed; %s", problems.size(), BACKGROUND_SEEDS, summary).isEmpty();
    }

    private record BackgroundResult(int acked, long compactorTables, long[] compactorOps,
            boolean cutInsideCompaction, boolean inflightApplied, String cut) {
    }

    /** Roughly how many operations of each kind the compaction threads perform in one run of up to 25k writes. */
    private static int compactorOpRange(CompactionStrategy strategy, Operation kind) {
        int tables = strategy == CompactionStrategy.LEVELED ? 80 : 30;
        return switch (kind) {
            case APPEND -> tables * 3;
            case DELETE -> tables * 2;
            default -> tables;
        };
    }

    private static BackgroundResult backgroundRun(CompactionStrategy strategy, int seed, Operation cutKind,
            boolean torn, String context) {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        ObservedFileSystem observed = new ObservedFileSystem(fs);
        Random random = new Random(seed * 7_919L + strategy.ordinal());
        Random tornRandom = torn ? new Random(seed * 104_729L + strategy.ordinal()) : null;
        int ackTarget = 1_500 + random.nextInt(10_000);
        int maxWrites = 25_000;
        if (cutKind != null) {
            observed.cutAtCompactorOp(cutKind, 1 + random.nextInt(compactorOpRange(strategy, cutKind)), tornRandom);
        }
        StepGenerator generator = new StepGenerator(new Random(random.nextLong()), BACKGROUND_KEYS);
        KvStore db = KvStore.open(DIR, backgroundOptions(observed, strategy));
        List<WriteStep> acked = new ArrayList<>();
        WriteStep[] inflight = new WriteStep[1];
        Throwable[] unexpected = new Throwable[1];
        CountDownLatch reached = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < maxWrites; i++) {
                    WriteStep step = generator.next();
                    try {
                        step.applyTo(db);
                    } catch (KvStoreException e) {
                        inflight[0] = step; // it threw: it may or may not have happened
                        return;
                    }
                    acked.add(step);
                    if (acked.size() == ackTarget) {
                        reached.countDown();
                    }
                }
            } catch (Throwable t) {
                unexpected[0] = t;
            } finally {
                reached.countDown();
            }
        }, "compaction-crash-writer-" + seed);
        writer.setDaemon(true);
        writer.start();
        try {
            if (cutKind == null) {
                reached.await();
            } else {
                writer.join(); // ends when a write fails after the cut (or, if j was never reached, after maxWrites)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(context + ": interrupted", e);
        } finally {
            observed.kill(tornRandom, "by the test thread after " + acked.size() + "+ acknowledged writes");
            joinUninterruptibly(writer);
            abandon(db);
        }
        assertThat(unexpected[0]).as("%s: the writer failed with an unexpected exception", context).isNull();
        String cut = observed.cutDescription + (torn ? " (torn)" : "");

        String ctx = context + " [" + acked.size() + " acknowledged, cut " + cut + "]";
        KvStore reopened = reopen(fs, backgroundOptions(fs, strategy), ctx);
        boolean inflightApplied;
        try {
            TreeMap<String, String> expected = applySteps(new TreeMap<>(), acked);
            TreeMap<String, String> withInflight = inflight[0] == null ? null
                    : applySteps(new TreeMap<>(expected), List.of(inflight[0]));
            TreeMap<String, String> recovered = scanAll(reopened, ctx);
            inflightApplied = withInflight != null && !withInflight.equals(expected)
                    && recovered.equals(withInflight);
            if (!recovered.equals(expected) && !inflightApplied) {
                throw new AssertionError(ctx + ": the recovered store is neither the acknowledged state nor that"
                        + " plus the in-flight write (" + inflight[0] + "); vs acknowledged: "
                        + diff(expected, recovered));
            }
            for (int i = 0; i < BACKGROUND_KEYS; i++) {
                String key = key(i);
                assertThat(get(reopened, key)).as("%s: get(%s) agrees with the scan", ctx, key)
                        .isEqualTo(recovered.get(key));
            }
            checkVerifyAndLevels(reopened, strategy, ctx);
            Model model = new Model(random, recovered);
            moreWritesAndCompact(reopened, model, strategy, random, ctx);
            reopened.close();
            try (KvStore again = reopen(fs, backgroundOptions(fs, strategy), ctx + ", clean reopen")) {
                checkContents(again, model, ctx + ", after a clean reopen");
            }
        } finally {
            reopened.close();
        }
        return new BackgroundResult(acked.size(), observed.compactorTables, observed.compactorOps(),
                observed.cutInsideCompaction, inflightApplied, cut);
    }

    // ================================================================== checks

    /** Contents equal the model, verify() passes, the level invariants hold. */
    private static void checkStore(KvStore db, Model model, CompactionStrategy strategy, String context) {
        checkContents(db, model, context);
        checkVerifyAndLevels(db, strategy, context);
    }

    private static void checkVerifyAndLevels(KvStore db, CompactionStrategy strategy, String context) {
        VerifyReport report = db.verify();
        assertThat(report.ok()).as("%s: verify() found %s", context, report.problems()).isTrue();
        checkLevels(db, strategy, context);
    }

    /** A full scan equals the model, and so does a get of every key ever written. */
    private static void checkContents(KvStore db, Model model, String context) {
        TreeMap<String, String> scanned = scanAll(db, context);
        if (!scanned.equals(model.map)) {
            throw new AssertionError(context + ": the full scan differs from the model: " + diff(model.map, scanned));
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < model.keySpace; i++) {
            String key = key(i);
            String got = get(db, key);
            if (!Objects.equals(got, model.map.get(key)) && wrong.size() < 10) {
                wrong.add(key + ": " + abbreviate(model.map.get(key)) + " -> " + abbreviate(got));
            }
        }
        assertThat(wrong).as("%s: get() of keys that differ from the model (expected -> got)", context).isEmpty();
    }

    /**
     * L1 and deeper: each file's key range in order, files sorted and disjoint. L0: newest data
     * first, disjoint sequence ranges. Tiered: everything is in L0. No file listed twice.
     */
    private static void checkLevels(KvStore db, CompactionStrategy strategy, String context) {
        List<List<FileMetadata>> levels = db.liveFiles();
        Set<Long> numbers = new HashSet<>();
        for (int level = 0; level < levels.size(); level++) {
            List<FileMetadata> files = levels.get(level);
            if (strategy == CompactionStrategy.TIERED && level > 0) {
                assertThat(files).as("%s: tiered keeps every run in L0, but L%d holds files", context, level)
                        .isEmpty();
            }
            for (int i = 0; i < files.size(); i++) {
                FileMetadata f = files.get(i);
                assertThat(numbers.add(f.number())).as("%s: %s is listed twice (%s)", context, f, layout(db)).isTrue();
                assertThat(Arrays.compareUnsigned(f.smallestUserKey(), f.largestUserKey()))
                        .as("%s: L%d %s has smallest > largest", context, level, f).isLessThanOrEqualTo(0);
                if (i == 0) {
                    continue;
                }
                FileMetadata prev = files.get(i - 1);
                if (level == 0) {
                    assertThat(prev.smallestSequence()).as("%s: L0 %s (seq %d..%d) is not entirely newer than %s"
                            + " (seq %d..%d)", context, prev, prev.smallestSequence(), prev.largestSequence(), f,
                            f.smallestSequence(), f.largestSequence()).isGreaterThan(f.largestSequence());
                } else {
                    assertThat(Arrays.compareUnsigned(prev.largestUserKey(), f.smallestUserKey()))
                            .as("%s: L%d %s [%s..%s] overlaps or is out of order with %s [%s..%s]", context, level,
                                    prev, utf8(prev.smallestUserKey()), utf8(prev.largestUserKey()), f,
                                    utf8(f.smallestUserKey()), utf8(f.largestUserKey()))
                            .isLessThan(0);
                }
            }
        }
    }

    /** A little more writing (puts, deletes of old keys, re-puts), a compact(), and the full checks. */
    private static void moreWritesAndCompact(KvStore db, Model model, CompactionStrategy strategy, Random random,
            String context) {
        String ctx = context + ", after more writes and another compact()";
        for (int i = 0; i < 200; i++) {
            String key = key(random.nextInt(model.keySpace));
            if (random.nextInt(3) == 0) {
                model.delete(db, key);
            } else {
                model.put(db, key);
            }
        }
        checkContents(db, model, ctx + " (before the compact())");
        db.compact();
        checkStore(db, model, strategy, ctx);
    }

    // ================================================================== helpers

    private static KvStoreOptions crashOptions(FileSystem fs, CompactionStrategy strategy) {
        return KvStoreOptions.defaults()
                .withFileSystem(fs)
                .withSyncMode(SyncMode.SYNC)
                .withCompactionStrategy(strategy)
                .withMemtableSize(64 << 10)
                .withTargetFileSize(64 << 10)
                .withMaxBytesForLevelBase(128 << 10)
                .withLevel0FileTrigger(4)
                .withBlockSize(1024);
    }

    private static KvStoreOptions backgroundOptions(FileSystem fs, CompactionStrategy strategy) {
        return KvStoreOptions.defaults()
                .withFileSystem(fs)
                .withSyncMode(SyncMode.SYNC)
                .withCompactionStrategy(strategy)
                .withMemtableSize(64 << 10)
                .withTargetFileSize(64 << 10)
                .withMaxBytesForLevelBase(128 << 10)
                .withLevel0FileTrigger(2)
                .withBlockSize(1024);
    }

    private static long seed(CompactionStrategy strategy) {
        return 20_240_700L + strategy.ordinal();
    }

    /**
     * Waits until the picker has nothing pending. A compaction only starts, and keeps running, while
     * its level is over its target (L0: at its file trigger; tiered: a bucket at the trigger), and
     * the pending bytes are read under the store's mutex, so zero means none runs and none will
     * start before the next flush.
     */
    private static void awaitQuiescence(KvStore db) {
        while (db.stats().pendingCompactionBytes() > 0) {
            Thread.yield();
        }
    }

    /** Which of the {@code n = files.size()} operations of one kind to fail (1-based). */
    static List<Integer> crashPoints(List<String> files) {
        int n = files.size();
        TreeSet<Integer> ks = new TreeSet<>();
        if (n <= SAMPLE) {
            for (int k = 1; k <= n; k++) {
                ks.add(k);
            }
            return new ArrayList<>(ks);
        }
        Map<String, Integer> lastOnTable = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String file = files.get(i);
            if (file.endsWith(".sst")) {
                lastOnTable.put(file, i + 1);
            } else {
                ks.add(i + 1); // manifest, WAL, CURRENT, temp: the commit points
            }
        }
        ks.addAll(lastOnTable.values());
        ks.add(1);
        ks.add(n);
        for (int j = 0; ks.size() < SAMPLE && j < SAMPLE; j++) {
            ks.add(1 + (int) ((long) j * (n - 1) / (SAMPLE - 1)));
        }
        for (int j = 0; ks.size() < SAMPLE && j < n; j++) {
            ks.add(1 + (int) ((j * 7919L) % n));
        }
        return new ArrayList<>(ks);
    }

    private static KvStore reopen(FaultInjectingFileSystem fs, KvStoreOptions options, String context) {
        try {
            return KvStore.open(DIR, options);
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": the reopen failed: " + e + "; files: " + listing(fs), e);
        }
    }

    /** As in KvStorePowerCutTest: joins the dead instance's background work; its exception is expected. */
    private static void abandon(KvStore db) {
        try {
            db.close();
        } catch (KvStoreException expected) {
            // its handles predate the cut (or the store already failed)
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static TreeMap<String, String> scanAll(KvStore db, String context) {
        TreeMap<String, String> scanned = new TreeMap<>();
        String last = null;
        try (KvIterator it = db.scan(KeyRange.all())) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                String key = e.keyAsString();
                assertThat(last == null || last.compareTo(key) < 0).as("%s: scan order at %s after %s", context, key,
                        last).isTrue();
                last = key;
                scanned.put(key, e.valueAsString());
            }
        }
        return scanned;
    }

    private static String get(KvStore db, String key) {
        byte[] v = db.get(key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    private static String layout(KvStore db) {
        List<List<FileMetadata>> levels = db.liveFiles();
        List<String> parts = new ArrayList<>();
        for (int level = 0; level < levels.size(); level++) {
            if (!levels.get(level).isEmpty()) {
                long bytes = levels.get(level).stream().mapToLong(FileMetadata::size).sum();
                parts.add("L" + level + "=" + levels.get(level).size() + " files/" + (bytes >> 10) + " KiB");
            }
        }
        return String.join(" ", parts);
    }

    private static String listing(FaultInjectingFileSystem fs) {
        try {
            List<String> out = new ArrayList<>();
            for (String name : new TreeSet<>(fs.list(DIR))) {
                out.add(name + "=" + fs.fileSize(DIR.resolve(name)));
            }
            return out.toString();
        } catch (IOException e) {
            return "(cannot list: " + e + ")";
        }
    }

    private static String key(int i) {
        return String.format("key%05d", i);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Differences as lost (expected, absent), resurrected (absent expected, present) and wrong values. */
    private static String diff(Map<String, String> expected, Map<String, String> actual) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> lost = new ArrayList<>();
        List<String> resurrected = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (String k : keys) {
            String e = expected.get(k);
            String a = actual.get(k);
            if (Objects.equals(e, a)) {
                continue;
            }
            List<String> bucket = a == null ? lost : e == null ? resurrected : wrong;
            bucket.add(k + ": " + abbreviate(e) + " -> " + abbreviate(a));
        }
        return lost.size() + " lost " + head(lost) + ", " + resurrected.size() + " resurrected " + head(resurrected)
                + ", " + wrong.size() + " with a wrong value " + head(wrong);
    }

    private static List<String> head(List<String> list) {
        return list.size() <= 6 ? list : list.subList(0, 6);
    }

    private static String abbreviate(String v) {
        return v == null ? "absent" : v.length() <= 16 ? "'" + v + "'" : "'" + v.substring(0, 16) + "...'";
    }

    private static String value(Random random, String tag) {
        StringBuilder sb = new StringBuilder(tag).append(':');
        int fill = 80 + random.nextInt(120);
        for (int i = 0; i < fill; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    /** What the store must hold; every write through it is acknowledged. Values are unique. */
    static final class Model {
        final Random random;
        final TreeMap<String, String> map;
        final int keySpace;
        private int writes;

        Model(Random random) {
            this.random = random;
            this.map = new TreeMap<>();
            this.keySpace = ALL_KEYS;
        }

        Model(Random random, TreeMap<String, String> recovered) {
            this.random = random;
            this.map = new TreeMap<>(recovered);
            this.keySpace = BACKGROUND_KEYS;
        }

        void put(KvStore db, String key) {
            String v = value(random, "w" + (++writes));
            db.put(key, v);
            map.put(key, v);
        }

        void delete(KvStore db, String key) {
            db.delete(key);
            map.remove(key);
        }
    }

    private static TreeMap<String, String> applySteps(TreeMap<String, String> state, List<WriteStep> steps) {
        for (WriteStep s : steps) {
            for (WriteOp op : s.ops()) {
                if (op.value() == null) {
                    state.remove(op.key());
                } else {
                    state.put(op.key(), op.value());
                }
            }
        }
        return state;
    }

    /** 65% puts, 25% deletes, 10% batches of 2..6 mixed puts and deletes. */
    static final class StepGenerator {
        private final Random random;
        private final int keySpace;
        private int nextId = 1;

        StepGenerator(Random random, int keySpace) {
            this.random = random;
            this.keySpace = keySpace;
        }

        WriteStep next() {
            int id = nextId++;
            int kind = random.nextInt(100);
            if (kind < 65) {
                return new WriteStep(id, List.of(new WriteOp(randomKey(), value(random, "s" + id))), false);
            }
            if (kind < 90) {
                return new WriteStep(id, List.of(new WriteOp(randomKey(), null)), false);
            }
            int size = 2 + random.nextInt(5);
            List<WriteOp> ops = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                ops.add(random.nextInt(3) == 0 ? new WriteOp(randomKey(), null)
                        : new WriteOp(randomKey(), value(random, "s" + id + "." + i)));
            }
            return new WriteStep(id, List.copyOf(ops), true);
        }

        private String randomKey() {
            return key(random.nextInt(keySpace));
        }
    }

    /**
     * A pass-through {@link FileSystem} over the fault-injecting one that (1) can trace, per
     * operation kind, the file each operation touched, (2) can cut the power from inside a
     * compaction thread at its j-th file operation, and (3) dies with a cut it performs: every
     * later operation through it fails, as the process would be dead. The check and the operation
     * run under the fault-injecting file system's monitor, so no operation of the dead instance
     * slips in after the cut.
     */
    static final class ObservedFileSystem implements FileSystem {
        private final FaultInjectingFileSystem fs;
        final Map<Operation, List<String>> trace = new EnumMap<>(Operation.class);
        volatile boolean tracing;
        private Operation cutKind;
        private long cutAtCompactorOp = Long.MAX_VALUE;
        private Random cutRandom;
        /** Operations performed by compaction threads, per kind. */
        private final long[] compactorOps = new long[Operation.values().length];
        private final Set<String> compactorCreates = new HashSet<>();
        volatile long compactorTables;
        volatile boolean dead;
        volatile boolean cutInsideCompaction;
        volatile String cutDescription = "none";

        ObservedFileSystem(FaultInjectingFileSystem fs) {
            this.fs = fs;
            for (Operation op : Operation.values()) {
                trace.put(op, new ArrayList<>());
            }
        }

        long[] compactorOps() {
            synchronized (fs) {
                return compactorOps.clone();
            }
        }

        /** Cuts the power when a compaction thread attempts its j-th operation of kind {@code kind}. */
        void cutAtCompactorOp(Operation kind, long j, Random torn) {
            synchronized (fs) {
                cutKind = kind;
                cutAtCompactorOp = j;
                cutRandom = torn;
            }
        }

        /** Cuts the power (unless it was already cut) and kills this view of the file system. */
        void kill(Random torn, String how) {
            synchronized (fs) {
                if (dead) {
                    return;
                }
                dead = true;
                cutDescription = how;
                if (torn != null) {
                    fs.powerCut(torn);
                } else {
                    fs.powerCut();
                }
            }
        }

        /** Requires: fs monitor held. */
        private void before(Operation op, Path path) throws IOException {
            if (dead) {
                throw new IOException("the process died in a power cut (" + op + " on " + path + ")");
            }
            String name = path.getFileName().toString();
            if (tracing) {
                trace.get(op).add(name);
            }
            if (Thread.currentThread().getName().startsWith("kvstore-compact-")) {
                if (op == Operation.CREATE && name.endsWith(".sst") && compactorCreates.add(name)) {
                    compactorTables++;
                }
                if (++compactorOps[op.ordinal()] == cutAtCompactorOp && op == cutKind) {
                    cutInsideCompaction = true;
                    kill(cutRandom, "at compaction thread " + op + " #" + cutAtCompactorOp + " on " + name);
                    throw new IOException("power cut at " + op + " on " + path);
                }
            }
        }

        @Override
        public WritableFile create(Path file) throws IOException {
            synchronized (fs) {
                before(Operation.CREATE, file);
                return new ObservedWritableFile(fs.create(file), file);
            }
        }

        @Override
        public ReadableFile openForRead(Path file) throws IOException {
            synchronized (fs) {
                if (dead) {
                    throw new IOException("the process died in a power cut (open " + file + ")");
                }
                return fs.openForRead(file);
            }
        }

        @Override
        public boolean exists(Path path) {
            synchronized (fs) {
                if (dead) {
                    throw new UncheckedIOException(new IOException("the process died in a power cut"));
                }
                return fs.exists(path);
            }
        }

        @Override
        public long size(Path file) throws IOException {
            synchronized (fs) {
                if (dead) {
                    throw new IOException("the process died in a power cut (size of " + file + ")");
                }
                return fs.size(file);
            }
        }

        @Override
        public List<String> list(Path dir) throws IOException {
            synchronized (fs) {
                if (dead) {
                    throw new IOException("the process died in a power cut (list " + dir + ")");
                }
                return fs.list(dir);
            }
        }

        @Override
        public void delete(Path file) throws IOException {
            synchronized (fs) {
                before(Operation.DELETE, file);
                fs.delete(file);
            }
        }

        @Override
        public void rename(Path source, Path target) throws IOException {
            synchronized (fs) {
                before(Operation.RENAME, target);
                fs.rename(source, target);
            }
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            synchronized (fs) {
                if (dead) {
                    throw new IOException("the process died in a power cut");
                }
                fs.createDirectories(dir);
            }
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            synchronized (fs) {
                before(Operation.SYNC_DIRECTORY, dir);
                fs.syncDirectory(dir);
            }
        }

        @Override
        public AutoCloseable lock(Path lockFile) throws IOException {
            synchronized (fs) {
                if (dead) {
                    throw new IOException("the process died in a power cut");
                }
                return fs.lock(lockFile);
            }
        }

        private final class ObservedWritableFile implements WritableFile {
            private final WritableFile file;
            private final Path path;

            ObservedWritableFile(WritableFile file, Path path) {
                this.file = file;
                this.path = path;
            }

            @Override
            public void append(byte[] src, int off, int len) throws IOException {
                synchronized (fs) {
                    before(Operation.APPEND, path);
                    file.append(src, off, len);
                }
            }

            @Override
            public void sync() throws IOException {
                synchronized (fs) {
                    before(Operation.SYNC, path);
                    file.sync();
                }
            }

            @Override
            public long size() {
                return file.size();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        }
    }
}
