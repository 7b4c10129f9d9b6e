package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.WriteStep.WriteOp;
import io.kvstore.engine.io.FaultInjectingFileSystem;
import io.kvstore.engine.io.FaultInjectingFileSystem.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power cuts and failed I/O on the {@link FaultInjectingFileSystem}: what the store holds after it
 * reopens, compared with a model of every write it acknowledged.
 *
 * <p>The contract under test: the recovered store equals the model after <em>some prefix</em> of
 * the writes issued (no holes, no half batches), and in {@code SYNC} mode that prefix holds every
 * acknowledged write. A write that threw may or may not have happened (it is the only candidate
 * beyond the acknowledged ones). Workloads are seeded; every failure message names the seed.
 *
 * <p>About the old instance after a cut: a real power cut kills the process. Here the abandoned
 * {@link KvStore} object lives on, and its background flush may still be running. Every file
 * handle it holds is dead (the file system rejects handles that predate the cut), so it can no
 * longer make anything durable, but it could still create or delete names. So after the cut the
 * test calls {@link KvStore#close()} on it, only to join that background thread before the reopen;
 * the close may throw (its WAL handle is dead) and must not hang.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang guard only; the class runs in seconds
class KvStorePowerCutTest {

    private static final Path DIR = Path.of("/db");
    private static final int KEY_SPACE = 300;

    // ================================================================== power cuts between writes

    enum Cut {
        /** Between two random writes. */
        AT_RANDOM_POINT,
        /** Right after {@link KvStore#flush()} returned. */
        RIGHT_AFTER_FLUSH,
        /** Right after a write that switched the memtable; its background flush is likely running. */
        RIGHT_AFTER_MEMTABLE_SWITCH
    }

    static Stream<Arguments> syncSeeds() {
        List<Arguments> runs = new ArrayList<>();
        Cut[] cuts = Cut.values();
        for (long seed = 1; seed <= 30; seed++) {
            runs.add(Arguments.of(seed, cuts[(int) (seed % cuts.length)], seed % 2 == 0));
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "seed {0}, cut {1}, torn {2}")
    @MethodSource("syncSeeds")
    void syncModeLosesNoAcknowledgedWriteAcrossPowerCuts(long seed, Cut cut, boolean torn) {
        powerCutCycles(SyncMode.SYNC, seed, cut, torn);
    }

    static Stream<Arguments> everyModeSeeds() {
        List<Arguments> runs = new ArrayList<>();
        for (SyncMode mode : SyncMode.values()) {
            for (Cut cut : Cut.values()) {
                for (long seed = 100; seed < 106; seed++) {
                    runs.add(Arguments.of(mode, seed, cut, seed % 2 == 1));
                }
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0}, seed {1}, cut {2}, torn {3}")
    @MethodSource("everyModeSeeds")
    void everyModeRecoversAPrefixOfTheWritesWithNoHolesAndNoHalfBatches(SyncMode mode, long seed, Cut cut,
            boolean torn) {
        powerCutCycles(mode, seed, cut, torn);
    }

    /**
     * Three cycles of: open, check what was recovered against the previous cycle's history, run a
     * random workload (puts, deletes, batches, an occasional flush), cut the power at the chosen
     * point. A last open checks the third cut.
     */
    private static void powerCutCycles(SyncMode mode, long seed, Cut cut, boolean torn) {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        Random random = new Random(seed);
        Workload workload = new Workload(new Random(seed * 7919));
        History previous = null;
        int cycles = 3;
        for (int cycle = 0; cycle <= cycles; cycle++) {
            String context = mode + " seed " + seed + " cut " + cut + " torn " + torn + " after cycle " + cycle;
            KvStore db = KvStore.open(DIR, options(fs, mode));
            TreeMap<String, String> recovered = readAll(db, context);
            if (previous != null) {
                checkRecovered(context, mode, previous, recovered);
            }
            if (cycle == cycles) {
                db.close();
                return;
            }
            History history = new History(recovered);
            int length = 150 + random.nextInt(1200);
            boolean switched = false;
            for (int i = 0;; i++) {
                if (i < length && random.nextInt(120) == 0) {
                    db.flush();
                    continue;
                }
                if (i >= length && cut == Cut.RIGHT_AFTER_FLUSH) {
                    apply(db, history, workload.next());
                    db.flush();
                    break;
                }
                long creates = fs.count(Operation.CREATE);
                apply(db, history, workload.next());
                if (i >= length && cut == Cut.AT_RANDOM_POINT) {
                    break;
                }
                if (i >= length && fs.count(Operation.CREATE) > creates) {
                    switched = true; // a new WAL or the flush's table was created during this write
                    break;
                }
                if (i >= length + 20_000) {
                    throw new AssertionError(context + ": no memtable switch within " + i + " writes");
                }
            }
            assertThat(switched || cut != Cut.RIGHT_AFTER_MEMTABLE_SWITCH).as("%s: cut after a switch", context)
                    .isTrue();
            if (torn) {
                fs.powerCut(new Random(random.nextLong()));
            } else {
                fs.powerCut();
            }
            abandon(db);
            previous = history;
        }
    }

    private static void apply(KvStore db, History history, WriteStep step) {
        step.applyTo(db);
        history.acknowledged(step);
    }

    /** SYNC: exactly the acknowledged writes. Other modes: the state after some prefix of them. */
    private static void checkRecovered(String context, SyncMode mode, History history,
            Map<String, String> recovered) {
        Match match = history.match(recovered);
        assertThat(match.prefixes())
                .as("%s: recovered state (%d keys) is not the model after any prefix of the %d writes issued (%d"
                        + " acknowledged); closest is prefix %d with %d differing keys: %s", context,
                        recovered.size(), history.steps.size(), history.acknowledged, match.closest(),
                        match.closestMismatches(), diff(history.stateAfter(match.closest()), recovered))
                .isNotEmpty();
        if (mode == SyncMode.SYNC) {
            assertThat(match.longest())
                    .as("%s: SYNC mode lost acknowledged writes: recovered prefixes %s of %d acknowledged; vs all"
                            + " acknowledged: %s", context, match.prefixes(), history.acknowledged,
                            diff(history.stateAfter(history.acknowledged), recovered))
                    .isGreaterThanOrEqualTo(history.acknowledged);
        }
    }

    // ================================================================== failed operations

    enum After {
        /** Cut the power: only durable bytes and names survive. */
        POWER_CUT,
        /** Cut the power mid-write: files keep a random prefix of their unsynced bytes. */
        TORN_POWER_CUT,
        /** No cut: the process lives on, closes the read-only store and opens it again. */
        CLOSE_AND_REOPEN
    }

    static Stream<Arguments> walFailureRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (SyncMode mode : new SyncMode[] {SyncMode.SYNC, SyncMode.NONE}) {
            for (Operation op : new Operation[] {Operation.SYNC, Operation.APPEND}) {
                for (After after : After.values()) {
                    runs.add(Arguments.of(mode, op, after));
                }
            }
        }
        return runs.stream();
    }

    /**
     * For every n up to the number of {@code op}s the workload performs: the n-th {@code op} after
     * open fails. The call that performed it throws {@link KvStoreException}; every call before it
     * succeeded; every write after it fails saying the store is read-only; reads still answer the
     * acknowledged state. After the cut (or a plain close) the reopened store holds a prefix that,
     * in SYNC mode, includes every acknowledged write.
     */
    @ParameterizedTest(name = "{0}: {1} #n fails, then {2}")
    @MethodSource("walFailureRuns")
    void aFailedWriteIsNotAcknowledgedTheStoreTurnsReadOnlyAndRecoveryKeepsEveryAcknowledgedWrite(SyncMode mode,
            Operation op, After after) {
        long total = failedWriteWorkload(mode, op, Integer.MAX_VALUE, after);
        assertThat(total).as("the workload performs some %s", op).isGreaterThan(3);
        List<String> problems = new ArrayList<>();
        for (int n = 1; n <= total; n++) {
            try {
                failedWriteWorkload(mode, op, n, after);
            } catch (AssertionError | RuntimeException e) {
                problems.add(mode + " " + op + " #" + n + " then " + after + ": " + e);
            }
        }
        assertThat(problems).as("failing cases").isEmpty();
    }

    /** The failed-write workload: 60 writes with a flush before the 20th and the 40th. Under 64 KiB. */
    private static final int FAILED_WRITE_STEPS = 60;

    /**
     * Runs the failed-write workload on a fresh store with the {@code n}-th {@code op} after open failing (none
     * if n is past the end), checks it, cuts/closes per {@code after}, reopens and checks. Returns how
     * many {@code op}s the workload performed after open.
     */
    private static long failedWriteWorkload(SyncMode mode, Operation op, int n, After after) {
        String context = mode + ", " + op + " #" + n + " fails, then " + after;
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        KvStore db = KvStore.open(DIR, options(fs, mode));
        long start = fs.count(op);
        long target = start + n;
        if (n != Integer.MAX_VALUE) {
            fs.failNth(op, n);
        }
        Workload workload = new Workload(new Random(20240611L));
        History history = new History(new TreeMap<>());
        KvStoreException failure = null;
        for (int i = 0; i < FAILED_WRITE_STEPS; i++) {
            boolean flush = i == 20 || i == 40;
            WriteStep step = workload.next();
            for (int call = flush ? 0 : 1; call < 2; call++) {
                long before = fs.count(op);
                String what = call == 0 ? "flush() before write " + i : "write " + i + " " + step;
                try {
                    if (call == 0) {
                        db.flush();
                    } else {
                        step.applyTo(db);
                    }
                    assertThat(failure).as("%s: %s succeeded after the store failed with %s", context, what, failure)
                            .isNull();
                    assertThat(fs.count(op)).as("%s: %s performed the failing %s but succeeded", context, what, op)
                            .isLessThan(target);
                    if (call == 1) {
                        history.acknowledged(step);
                    }
                } catch (KvStoreException e) {
                    assertThat(e).as("%s: %s", context, what).isNotInstanceOf(CorruptionException.class);
                    if (failure == null) {
                        assertThat(before < target && fs.count(op) >= target)
                                .as("%s: %s failed (%s) but did not perform %s #%d", context, what, e, op, n).isTrue();
                        failure = e;
                        if (call == 1) {
                            history.unknownOutcome(step); // it threw: it may or may not have happened
                        }
                    } else {
                        assertThat(e.getMessage()).as("%s: %s after the failure", context, what).contains("read-only");
                    }
                }
            }
        }
        if (n == Integer.MAX_VALUE) {
            long performed = fs.count(op) - start;
            db.close();
            return performed;
        }
        assertThat(failure).as("%s: no call failed", context).isNotNull();
        assertThat(failure.getMessage()).as(context).contains("read-only");
        // Reads still work and show exactly the acknowledged writes.
        assertThat(readAll(db, context)).as("%s: reads after the failure", context)
                .isEqualTo(history.stateAfter(history.acknowledged));
        KvStoreException refused = null;
        try {
            db.put("k-after-failure", "x");
        } catch (KvStoreException e) {
            refused = e;
        }
        assertThat(refused).as("%s: a write after the failure", context).isNotNull();
        assertThat(refused.getMessage()).as(context).contains("read-only");

        switch (after) {
            case POWER_CUT -> {
                fs.powerCut();
                abandon(db);
            }
            case TORN_POWER_CUT -> {
                fs.powerCut(new Random(n));
                abandon(db);
            }
            case CLOSE_AND_REOPEN -> abandon(db);
        }
        fs.clearFaults();
        KvStore reopened;
        try {
            reopened = KvStore.open(DIR, options(fs, mode));
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": the reopen failed: " + e + "; files: " + listing(fs), e);
        }
        try (reopened) {
            checkRecovered(context, mode, history, readAll(reopened, context));
        }
        return n;
    }

    static Stream<Arguments> crashPointRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (SyncMode mode : SyncMode.values()) {
            for (Operation op : new Operation[] {Operation.SYNC, Operation.SYNC_DIRECTORY, Operation.RENAME,
                    Operation.CREATE}) {
                for (boolean tornMidCut : new boolean[] {false, true}) {
                    runs.add(Arguments.of(mode, op, tornMidCut));
                }
            }
        }
        return runs.stream();
    }

    /**
     * Every crash point of a short workload: open a fresh store, write, flush, write, cut the power
     * (plain or torn), reopen (recovery with data to replay), write, flush, write. A dry run counts
     * the {@code op}s; then for each k the workload runs fresh with the k-th {@code op} failing, and
     * stops at the first exception. A failed operation has no effect, so "fails, then the power is
     * cut" is the same disk state as "the power went just before it". Then the power is cut (plain,
     * and torn in a second run) and the store must reopen without an exception, holding the state
     * after a prefix of the writes (all acknowledged ones in SYNC mode).
     *
     * <p>On "a clear KvStoreException is acceptable only if the store was never opened": the first
     * open's commit point is the rename of CURRENT, made durable by the directory sync that ends it.
     * Until then no durable CURRENT exists, and a directory without CURRENT is opened as a new,
     * empty store; leftovers of the failed open (an empty WAL, a manifest CURRENT never named, a
     * temp file) are numbered files the next open overwrites or deletes. So even then a reopen has
     * no reason to fail, and this test does not tolerate it: a failing open itself is accepted
     * (the first open, the recovery open), a failing reopen after the cut is not.
     */
    @ParameterizedTest(name = "{0}: every {1} fails in turn, torn mid-workload cut {2}")
    @MethodSource("crashPointRuns")
    void everyCrashPointOfAShortWorkloadReopensToAPrefix(SyncMode mode, Operation op, boolean tornMidCut) {
        long count = crashPointWorkload(mode, op, 0, tornMidCut, false);
        assertThat(count).as("the workload performs some %s", op).isPositive();
        List<String> problems = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            for (boolean tornFinalCut : new boolean[] {false, true}) {
                try {
                    crashPointWorkload(mode, op, k, tornMidCut, tornFinalCut);
                } catch (AssertionError | RuntimeException e) {
                    problems.add(mode + " " + op + " #" + k + " (torn mid cut " + tornMidCut + ", torn final cut "
                            + tornFinalCut + "): " + e);
                }
            }
        }
        assertThat(problems).as("%d of %d crash points failed", problems.size(), 2 * count).isEmpty();
    }

    /**
     * The crash-point workload with the {@code k}-th {@code op} failing (none if k == 0). Returns
     * the number of {@code op}s performed before the final cut.
     */
    private static long crashPointWorkload(SyncMode mode, Operation op, int k, boolean tornMidCut,
            boolean tornFinalCut) {
        String context = mode + ", " + op + " #" + k + " fails, torn mid cut " + tornMidCut + ", torn final cut "
                + tornFinalCut;
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        if (k > 0) {
            fs.failNth(op, k);
        }
        Workload workload = new Workload(new Random(77));
        // Phase 1 history (from the empty store) and phase 2 history (from what recovery found).
        History phase1 = new History(new TreeMap<>());
        History phase2 = null;
        boolean failed = false;
        KvStore db = null;
        try {
            db = KvStore.open(DIR, options(fs, mode));
            runPhase(db, workload, phase1, 10, 8);
            if (tornMidCut) {
                fs.powerCut(new Random(4242));
            } else {
                fs.powerCut();
            }
            abandon(db);
            db = null;
            db = KvStore.open(DIR, options(fs, mode));
            TreeMap<String, String> recovered = readAll(db, context);
            checkRecovered(context + " (mid-workload recovery)", mode, phase1, recovered);
            phase2 = new History(recovered);
            runPhase(db, workload, phase2, 8, 8);
        } catch (KvStoreException e) {
            assertThat(k).as("%s: the workload failed without an injected fault: %s", context, e).isPositive();
            assertThat(e).as(context).isNotInstanceOf(CorruptionException.class);
            failed = true;
        }
        long performed = fs.count(op);
        if (k > 0) {
            assertThat(failed || performed < k).as("%s: %s #%d happened but nothing failed", context, op, k)
                    .isTrue();
        }
        if (tornFinalCut) {
            fs.powerCut(new Random(k));
        } else {
            fs.powerCut();
        }
        if (db != null) {
            abandon(db);
        }
        fs.clearFaults();
        KvStore reopened;
        try {
            reopened = KvStore.open(DIR, options(fs, mode));
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": the reopen after the final cut failed: " + e + "; files: "
                    + listing(fs), e);
        }
        try (reopened) {
            TreeMap<String, String> state = readAll(reopened, context);
            checkRecovered(context, mode, phase2 != null ? phase2 : phase1, state);
        }
        return performed;
    }

    /** {@code before} writes, a flush, {@code after} writes; the first exception propagates. */
    private static void runPhase(KvStore db, Workload workload, History history, int before, int after) {
        for (int i = 0; i < before + after; i++) {
            if (i == before) {
                db.flush();
            }
            WriteStep step = workload.next();
            try {
                step.applyTo(db);
            } catch (KvStoreException e) {
                history.unknownOutcome(step);
                throw e;
            }
            history.acknowledged(step);
        }
    }

    /**
     * An open that fails on an I/O error (and there are many in recovery: replayed tables, a new
     * WAL, a new manifest, CURRENT, deleting old files) must leave the directory such that, the
     * error gone, the next open succeeds with all the data. No power cut here: a transient error.
     */
    @ParameterizedTest(name = "every {0} of a recovery fails in turn")
    @EnumSource(value = Operation.class)
    void anOpenThatFailsOnATransientErrorCanSimplyBeRetried(Operation op) {
        long count = transientOpenFailure(op, 0);
        assertThat(count).as("an open performs some %s", op).isPositive();
        List<String> problems = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            try {
                transientOpenFailure(op, k);
            } catch (AssertionError | RuntimeException e) {
                problems.add(op + " #" + k + " of the reopen: " + e);
            }
        }
        assertThat(problems).as("%d of %d failure points", problems.size(), count).isEmpty();
    }

    /** Returns how many {@code op}s the (re)open performed. */
    private static long transientOpenFailure(Operation op, int k) {
        String context = op + " #" + k + " of the reopen fails";
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        Workload workload = new Workload(new Random(99));
        History history = new History(new TreeMap<>());
        KvStore db = KvStore.open(DIR, options(fs, SyncMode.NONE));
        runPhase(db, workload, history, 12, 12); // a table, and a WAL to replay
        db.close();
        long start = fs.count(op);
        if (k > 0) {
            fs.failNth(op, k);
        }
        try {
            KvStore.open(DIR, options(fs, SyncMode.NONE)).close();
            assertThat(k == 0 || fs.count(op) - start < k).as("%s: the open succeeded", context).isTrue();
        } catch (KvStoreException e) {
            assertThat(k).as("%s: the open failed without a fault: %s", context, e).isPositive();
            assertThat(e).as("%s: the failed open", context).isNotInstanceOf(CorruptionException.class);
        }
        long performed = fs.count(op) - start;
        fs.clearFaults();
        KvStore reopened;
        try {
            reopened = KvStore.open(DIR, options(fs, SyncMode.NONE));
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": the retried open failed: " + e + "; files: " + listing(fs), e);
        }
        try (reopened) {
            TreeMap<String, String> state = readAll(reopened, context);
            assertThat(state).as("%s: everything written and closed is there", context)
                    .isEqualTo(history.stateAfter(history.acknowledged));
        }
        return performed;
    }

    // ================================================================== sanity of the harness

    @Test
    void theHistoryMatcherFindsPrefixesAndRejectsHoles() {
        History h = new History(new TreeMap<>(Map.of("a", "0")));
        WriteStep s1 = new WriteStep(1, List.of(new WriteOp("a", "1")), false);
        WriteStep s2 = new WriteStep(2, List.of(new WriteOp("b", "2"), new WriteOp("a", null)), true);
        WriteStep s3 = new WriteStep(3, List.of(new WriteOp("c", "3")), false);
        h.acknowledged(s1);
        h.acknowledged(s2);
        h.acknowledged(s3);
        assertThat(h.match(Map.of("a", "0")).prefixes()).containsExactly(0);
        assertThat(h.match(Map.of("a", "1")).prefixes()).containsExactly(1);
        assertThat(h.match(Map.of("b", "2")).prefixes()).containsExactly(2);
        assertThat(h.match(Map.of("b", "2", "c", "3")).prefixes()).containsExactly(3);
        assertThat(h.match(Map.of("a", "1", "c", "3")).prefixes()).isEmpty(); // a hole
        assertThat(h.match(Map.of("a", "1", "b", "2")).prefixes()).isEmpty(); // half a batch
    }

    // ================================================================== helpers

    private static KvStoreOptions options(FaultInjectingFileSystem fs, SyncMode mode) {
        return KvStoreOptions.defaults()
                .withFileSystem(fs)
                .withSyncMode(mode)
                .withSyncInterval(Duration.ofHours(1)) // PERIODIC: the timer never fires during a test
                .withMemtableSize(64 << 10)
                .withBlockSize(1024);
    }

    /** See the class comment: joins the dead instance's background work; its exception is expected. */
    private static void abandon(KvStore db) {
        try {
            db.close();
        } catch (KvStoreException expected) {
            // its WAL handle predates the cut (or the store already failed)
        }
    }

    /** Every entry by a full scan, cross-checked key by key with get(). */
    private static TreeMap<String, String> readAll(KvStore db, String context) {
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
        for (int i = 0; i < KEY_SPACE; i++) {
            String key = key(i);
            byte[] v = db.get(key);
            assertThat(v == null ? null : new String(v, StandardCharsets.UTF_8))
                    .as("%s: get(%s) agrees with the scan", context, key).isEqualTo(scanned.get(key));
        }
        return scanned;
    }

    /** The store directory's files and sizes, for failure messages. */
    private static String listing(FaultInjectingFileSystem fs) {
        try {
            List<String> out = new ArrayList<>();
            for (String name : new TreeSet<>(fs.list(DIR))) {
                out.add(name + "=" + fs.fileSize(DIR.resolve(name)));
            }
            return out.toString();
        } catch (java.io.IOException e) {
            return "(cannot list: " + e + ")";
        }
    }

    private static String key(int i) {
        return String.format("k%04d", i);
    }

    /** Up to 10 keys whose values differ, as "key: expected -> actual". */
    private static String diff(Map<String, String> expected, Map<String, String> actual) {
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> out = new ArrayList<>();
        int differing = 0;
        for (String k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k))) {
                if (differing++ < 10) {
                    out.add(k + ": " + abbreviate(expected.get(k)) + " -> " + abbreviate(actual.get(k)));
                }
            }
        }
        return differing + " differing " + out;
    }

    private static String abbreviate(String v) {
        return v == null ? "absent" : v.length() <= 12 ? "'" + v + "'" : "'" + v.substring(0, 12) + "...'";
    }

    /** Random steps: 60% puts, 15% deletes, 25% batches of 2..8 (keys may repeat within a batch). */
    static final class Workload {
        private static final char[] FILL = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
        private final Random random;
        private int nextId = 1;

        Workload(Random random) {
            this.random = random;
        }

        WriteStep next() {
            int id = nextId++;
            int kind = random.nextInt(100);
            if (kind < 60) {
                return new WriteStep(id, List.of(new WriteOp(randomKey(), value(id, 0))), false);
            }
            if (kind < 75) {
                return new WriteStep(id, List.of(new WriteOp(randomKey(), null)), false);
            }
            int size = 2 + random.nextInt(7);
            List<WriteOp> ops = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String key = i > 0 && random.nextInt(5) == 0 ? ops.get(i - 1).key() : randomKey();
                ops.add(random.nextInt(4) == 0 ? new WriteOp(key, null) : new WriteOp(key, value(id, i)));
            }
            return new WriteStep(id, List.copyOf(ops), true);
        }

        private String randomKey() {
            return key(random.nextInt(KEY_SPACE));
        }

        /** Unique per step and op (so a state points at one prefix), sometimes empty. */
        private String value(int id, int op) {
            if (random.nextInt(25) == 0) {
                return "";
            }
            StringBuilder sb = new StringBuilder().append(id).append('.').append(op).append(':');
            int fill = random.nextInt(160);
            for (int i = 0; i < fill; i++) {
                sb.append(FILL[random.nextInt(FILL.length)]);
            }
            return sb.toString();
        }
    }

    record Match(List<Integer> prefixes, int closest, int closestMismatches) {
        int longest() {
            return prefixes.isEmpty() ? -1 : Collections.max(prefixes);
        }
    }

    /**
     * The writes issued to one store instance on top of the state it opened with: first the
     * acknowledged ones, then at most one that threw (outcome unknown).
     */
    static final class History {
        final Map<String, String> base;
        final List<WriteStep> steps = new ArrayList<>();
        int acknowledged;

        History(Map<String, String> base) {
            this.base = Map.copyOf(base);
        }

        void acknowledged(WriteStep step) {
            assertThat(acknowledged).as("no write is acknowledged after one failed").isEqualTo(steps.size());
            steps.add(step);
            acknowledged++;
        }

        void unknownOutcome(WriteStep step) {
            steps.add(step);
        }

        TreeMap<String, String> stateAfter(int prefix) {
            TreeMap<String, String> m = new TreeMap<>(base);
            for (WriteStep s : steps.subList(0, prefix)) {
                for (WriteOp op : s.ops()) {
                    if (op.value() == null) {
                        m.remove(op.key());
                    } else {
                        m.put(op.key(), op.value());
                    }
                }
            }
            return m;
        }

        /** Every prefix length whose state equals {@code recovered}; linear, by counting differing keys. */
        Match match(Map<String, String> recovered) {
            Map<String, String> model = new TreeMap<>(base);
            TreeSet<String> keys = new TreeSet<>(model.keySet());
            keys.addAll(recovered.keySet());
            int mismatches = 0;
            for (String k : keys) {
                if (!Objects.equals(model.get(k), recovered.get(k))) {
                    mismatches++;
                }
            }
            List<Integer> prefixes = new ArrayList<>();
            int closest = 0;
            int closestMismatches = mismatches;
            if (mismatches == 0) {
                prefixes.add(0);
            }
            for (int i = 0; i < steps.size(); i++) {
                for (WriteOp op : steps.get(i).ops()) {
                    boolean before = Objects.equals(model.get(op.key()), recovered.get(op.key()));
                    if (op.value() == null) {
                        model.remove(op.key());
                    } else {
                        model.put(op.key(), op.value());
                    }
                    boolean after = Objects.equals(model.get(op.key()), recovered.get(op.key()));
                    mismatches += (before ? 0 : -1) + (after ? 0 : 1);
                }
                if (mismatches == 0) {
                    prefixes.add(i + 1);
                }
                if (mismatches <= closestMismatches) {
                    closest = i + 1;
                    closestMismatches = mismatches;
                }
            }
            return new Match(prefixes, closest, closestMismatches);
        }
    }
}
