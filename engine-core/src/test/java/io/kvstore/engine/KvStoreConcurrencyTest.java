package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads on one store at once, with a small memtable so background flushes (and write
 * stalls) happen while they run. Every thread's exceptions reach the test through its Future;
 * every loop is bounded by an operation count.
 */
class KvStoreConcurrencyTest {

    /** Keys per group: a batch always writes (or deletes) a whole group. */
    private static final int GROUP_SIZE = 16;
    private static final int GROUPS = 4;
    /** Longest a whole phase of threads may take before the test calls it a hang. */
    private static final long HANG_MINUTES = 3;

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).as("test threads stopped").isTrue();
    }

    private static KvStoreOptions options(SyncMode syncMode) {
        return KvStoreOptions.defaults().withSyncMode(syncMode).withMemtableSize(64 << 10).withBlockSize(512);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] key(int group, int i) {
        return b(String.format("g%d:%02d", group, i));
    }

    /** Waits for every future, failing with the first thread's exception (and stopping the rest). */
    private static <T> List<T> awaitAll(List<Future<T>> futures) throws InterruptedException {
        List<T> results = new ArrayList<>();
        try {
            for (Future<T> f : futures) {
                results.add(f.get(HANG_MINUTES, TimeUnit.MINUTES));
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw new AssertionError("a test thread failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            futures.forEach(f -> f.cancel(true));
            throw new AssertionError("test threads did not finish within " + HANG_MINUTES
                    + " minutes: deadlock or lost wake-up?", e);
        }
        return results;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SyncMode.class, names = {"NONE", "SYNC"})
    void readersNeverSeePartOfABatchWhileWritersAndFlushesRun(SyncMode syncMode) throws Exception {
        int writers = 3;
        int readers = 3;
        int batchesPerWriter = syncMode == SyncMode.SYNC ? 200 : 1000;
        // Values padded so the 64 KiB memtable fills every few dozen batches.
        String padding = "x".repeat(120);
        AtomicLong opsWritten = new AtomicLong();
        AtomicBoolean writersDone = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);

        try (KvStore db = KvStore.open(dir, options(syncMode))) {
            List<Future<Integer>> writerFutures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writerFutures.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int n = 0; n < batchesPerWriter; n++) {
                        int group = random.nextInt(GROUPS);
                        WriteBatch batch = new WriteBatch();
                        if (random.nextInt(10) == 0) {
                            for (int i = 0; i < GROUP_SIZE; i++) {
                                batch.delete(key(group, i));
                            }
                        } else {
                            byte[] value = b("w" + writer + "-n" + n + "-" + padding);
                            for (int i = 0; i < GROUP_SIZE; i++) {
                                batch.put(key(group, i), value);
                            }
                        }
                        db.write(batch);
                        opsWritten.addAndGet(GROUP_SIZE);
                    }
                    return batchesPerWriter;
                }));
            }
            // Manual flushes racing with the background ones the full memtables start.
            Future<Integer> flusher = pool.submit(() -> {
                start.await();
                for (int n = 0; n < 20; n++) {
                    db.flush();
                }
                return 20;
            });
            List<Future<Integer>> readerFutures = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                readerFutures.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    int checks = 0;
                    // Until the writers finish (at least 50 rounds, at most 100 000): bounded either way.
                    while ((checks < 50 || !writersDone.get()) && checks < 100_000) {
                        checkGroupIsWhole(db, random.nextInt(GROUPS));
                        checks++;
                    }
                    return checks;
                }));
            }
            start.countDown();
            awaitAll(writerFutures);
            writersDone.set(true);
            awaitAll(List.of(flusher));
            List<Integer> checks = awaitAll(readerFutures);
            assertThat(checks).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(50));

            KvStoreStats stats = db.stats();
            long expectedOps = (long) writers * batchesPerWriter * GROUP_SIZE;
            assertThat(opsWritten.get()).isEqualTo(expectedOps);
            assertThat(stats.entriesWritten()).as("entriesWritten").isEqualTo(expectedOps);
            assertThat(stats.lastSequence()).as("lastSequence").isEqualTo(expectedOps);
            assertThat(stats.flushes()).as("flushes").isGreaterThan(20);
            assertThat(stats.openSnapshots()).as("openSnapshots").isZero();
            for (int group = 0; group < GROUPS; group++) {
                checkGroupIsWhole(db, group);
            }
        }
        try (KvStore db = KvStore.open(dir, options(syncMode))) {
            assertThat(db.stats().lastSequence()).as("lastSequence after reopen")
                    .isEqualTo((long) writers * batchesPerWriter * GROUP_SIZE);
            for (int group = 0; group < GROUPS; group++) {
                checkGroupIsWhole(db, group);
            }
        }
    }

    /**
     * A group is whole if all its keys have one value or none has any: by a scan of its prefix, by
     * gets through a snapshot, and by a scan through the same snapshot, which must agree with the gets.
     */
    private static void checkGroupIsWhole(KvStore db, int group) {
        byte[] prefix = b("g" + group + ":");
        List<String> scanned = new ArrayList<>();
        try (KvIterator it = db.scan(KeyRange.prefix(prefix))) {
            it.forEachRemaining(e -> scanned.add(e.keyAsString() + "=" + e.valueAsString()));
        }
        assertWhole("scan of group " + group, scanned);

        try (Snapshot snapshot = db.snapshot()) {
            List<String> viaGets = new ArrayList<>();
            for (int i = 0; i < GROUP_SIZE; i++) {
                byte[] value = db.get(key(group, i), snapshot);
                if (value != null) {
                    viaGets.add(s(key(group, i)) + "=" + s(value));
                }
            }
            assertWhole("gets through snapshot @" + snapshot.sequence() + " of group " + group, viaGets);
            List<String> viaScan = new ArrayList<>();
            try (KvIterator it = db.scan(KeyRange.prefix(prefix), snapshot)) {
                it.forEachRemaining(e -> viaScan.add(e.keyAsString() + "=" + e.valueAsString()));
            }
            assertThat(viaScan).as("scan through snapshot @%d of group %d", snapshot.sequence(), group)
                    .isEqualTo(viaGets);
        }
    }

    private static void assertWhole(String what, List<String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        assertThat(entries).as(what + ": all or none of the group's keys").hasSize(GROUP_SIZE);
        String firstValue = entries.get(0).substring(entries.get(0).indexOf('=') + 1);
        assertThat(entries).as(what + ": one value for the whole group")
                .allSatisfy(e -> assertThat(e.substring(e.indexOf('=') + 1)).isEqualTo(firstValue));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = SyncMode.class, names = {"NONE", "SYNC"})
    void concurrentSinglePutsFromManyThreadsAreAllPresentAfterwardsAndAfterReopen(SyncMode syncMode)
            throws Exception {
        int threads = 8;
        int putsPerThread = syncMode == SyncMode.SYNC ? 300 : 3000;
        long expected = (long) threads * putsPerThread;
        CountDownLatch start = new CountDownLatch(1);

        try (KvStore db = KvStore.open(dir, options(syncMode))) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < putsPerThread; i++) {
                        db.put(String.format("t%d:%05d", thread, i), "value-" + thread + "-" + i + "-" + "y".repeat(40));
                        if (i % 97 == 0) {
                            // Its own writes are visible to the writer right away.
                            assertThat(db.get(String.format("t%d:%05d", thread, i))).isNotNull();
                        }
                    }
                    return putsPerThread;
                }));
            }
            start.countDown();
            awaitAll(futures);

            KvStoreStats stats = db.stats();
            assertThat(stats.entriesWritten()).as("entriesWritten").isEqualTo(expected);
            assertThat(stats.lastSequence()).as("lastSequence").isEqualTo(expected);
            assertThat(stats.flushes()).as("background flushes").isPositive();
            assertAllPresent(db, threads, putsPerThread);
        }
        try (KvStore db = KvStore.open(dir, options(syncMode))) {
            KvStoreStats stats = db.stats();
            assertThat(stats.lastSequence()).as("lastSequence after reopen").isEqualTo(expected);
            assertThat(stats.entriesWritten()).as("entriesWritten since reopen").isZero();
            assertAllPresent(db, threads, putsPerThread);
        }
    }

    private static void assertAllPresent(KvStore db, int threads, int putsPerThread) {
        List<String> missing = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < putsPerThread; i++) {
                byte[] v = db.get(String.format("t%d:%05d", t, i));
                String want = "value-" + t + "-" + i + "-" + "y".repeat(40);
                if (v == null || !Arrays.equals(v, b(want))) {
                    missing.add(String.format("t%d:%05d=%s", t, i, s(v)));
                }
            }
        }
        assertThat(missing).as("keys missing or wrong").isEmpty();
        long scanned = 0;
        try (KvIterator it = db.scan(KeyRange.all())) {
            while (it.hasNext()) {
                it.next();
                scanned++;
            }
        }
        assertThat(scanned).as("entries in a full scan").isEqualTo((long) threads * putsPerThread);
    }

    @Test
    void readsNeverGoBackToAnOlderValueWhileFlushesDropShadowedVersions() throws Exception {
        int rounds = 15_000;
        int readers = 2;
        AtomicLong acknowledged = new AtomicLong();
        AtomicBoolean writerDone = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        try (KvStore db = KvStore.open(dir, options(SyncMode.NONE))) {
            db.put("counter", "0");
            // One writer counts a key up, with filler between so memtables fill and flush, each
            // flush keeping only the newest version of the counter.
            Future<Integer> writer = pool.submit(() -> {
                start.await();
                byte[] filler = new byte[200];
                for (int n = 1; n <= rounds; n++) {
                    db.put("counter", Integer.toString(n));
                    acknowledged.set(n);
                    db.put("filler-" + n % 300, filler);
                }
                return rounds;
            });
            List<Future<Integer>> readerFutures = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                readerFutures.add(pool.submit(() -> {
                    start.await();
                    long last = 0;
                    int checks = 0;
                    while ((checks < 50 || !writerDone.get()) && checks < 1_000_000) {
                        long before = acknowledged.get();
                        long value = Long.parseLong(s(db.get("counter")));
                        assertThat(value).as("get after put %d was acknowledged, previous get saw %d", before, last)
                                .isGreaterThanOrEqualTo(Math.max(before, last));
                        last = value;
                        if (checks % 16 == 0) {
                            before = acknowledged.get();
                            List<KvEntry> scanned = new ArrayList<>();
                            try (KvIterator it = db.scan(KeyRange.prefix("counter"))) {
                                it.forEachRemaining(scanned::add);
                            }
                            assertThat(scanned).as("scan of the counter").hasSize(1);
                            value = Long.parseLong(scanned.get(0).valueAsString());
                            assertThat(value).as("scan after put %d was acknowledged, previous read saw %d", before,
                                    last).isGreaterThanOrEqualTo(Math.max(before, last));
                            last = value;
                        }
                        checks++;
                    }
                    return checks;
                }));
            }
            start.countDown();
            awaitAll(List.of(writer));
            writerDone.set(true);
            awaitAll(readerFutures);
            assertThat(db.stats().flushes()).as("flushes").isGreaterThan(10);
            assertThat(db.get("counter")).isEqualTo(b(Integer.toString(rounds)));
        }
    }

    @Test
    void callsRacingWithCloseEitherSucceedOrFailWithStoreClosedExceptionAndAcknowledgedWritesSurvive()
            throws Exception {
        int writers = 3;
        int readers = 2;
        int maxPuts = 20_000;
        // Close once every writer has 300 puts acknowledged, while they keep writing.
        CountDownLatch warmedUp = new CountDownLatch(writers);
        KvStore db = KvStore.open(dir, options(SyncMode.NONE));
        List<Future<Integer>> writerFutures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            writerFutures.add(pool.submit(() -> {
                byte[] value = new byte[100];
                for (int i = 0; i < maxPuts; i++) {
                    try {
                        db.put(String.format("w%d:%05d", writer, i), value);
                    } catch (StoreClosedException e) {
                        return i; // the first refused put; every earlier one was acknowledged
                    }
                    if (i == 299) {
                        warmedUp.countDown();
                    }
                }
                return maxPuts;
            }));
        }
        List<Future<Integer>> readerFutures = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            readerFutures.add(pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < 1_000_000; n++) {
                    try {
                        if (n % 50 == 0) {
                            try (KvIterator it = db.scan(KeyRange.prefix("w" + random.nextInt(writers)))) {
                                for (int i = 0; i < 100 && it.hasNext(); i++) {
                                    it.next();
                                }
                            }
                        } else {
                            db.get(String.format("w%d:%05d", random.nextInt(writers), random.nextInt(300)));
                        }
                    } catch (StoreClosedException e) {
                        return n;
                    }
                }
                return 1_000_000;
            }));
        }
        warmedUp.await(HANG_MINUTES, TimeUnit.MINUTES);
        db.close();
        List<Integer> acknowledged = awaitAll(writerFutures);
        awaitAll(readerFutures);
        assertThatThrownBy(() -> db.put("late", "x")).isInstanceOf(StoreClosedException.class);

        try (KvStore reopened = KvStore.open(dir, options(SyncMode.NONE))) {
            for (int w = 0; w < writers; w++) {
                int count = acknowledged.get(w);
                assertThat(count).as("writer %d acknowledged puts", w).isGreaterThanOrEqualTo(300);
                for (int i = 0; i < count; i++) {
                    assertThat(reopened.get(String.format("w%d:%05d", w, i))).as("writer %d put %d", w, i)
                            .isNotNull();
                }
                assertThat(reopened.get(String.format("w%d:%05d", w, count))).as("writer %d's refused put", w)
                        .isNull();
            }
            assertThat(reopened.stats().lastSequence()).isEqualTo(
                    acknowledged.stream().mapToLong(Integer::longValue).sum());
        }
    }

    /**
     * Runs {@code call} on a pool thread whose interrupt flag is set (as after {@code Future.cancel(true)}
     * or {@code shutdownNow()}), and returns its value or the exception it threw.
     */
    private Object onInterruptedThread(Callable<?> call) throws Exception {
        return pool.submit(() -> {
            Thread.currentThread().interrupt();
            try {
                return call.call();
            } catch (RuntimeException e) {
                return e;
            } finally {
                Thread.interrupted();
            }
        }).get(HANG_MINUTES, TimeUnit.MINUTES);
    }

    private <T> T onAnotherThread(Callable<T> call) throws Exception {
        try {
            return pool.submit(call).get(HANG_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new AssertionError("failed on another thread: " + e.getCause(), e.getCause());
        }
    }

    @Test
    void aReadOnAnInterruptedThreadDoesNotBreakReadsOfOtherThreads() throws Exception {
        try (KvStore db = KvStore.open(dir, options(SyncMode.NONE))) {
            for (int i = 0; i < 100; i++) {
                db.put(String.format("k%03d", i), "v" + i);
            }
            db.flush(); // the keys now live only in a table file, which reads must open and read
            assertThat(db.get("k000")).isEqualTo(b("v0"));

            Object outcome = onInterruptedThread(() -> db.get("k050"));

            assertThat(onAnotherThread(() -> db.get("k050"))).as("get on another thread after a get on an"
                    + " interrupted thread (which gave %s)", outcome).isEqualTo(b("v50"));
            assertThat(onAnotherThread(() -> {
                try (KvIterator it = db.scan(KeyRange.all())) {
                    int n = 0;
                    while (it.hasNext()) {
                        it.next();
                        n++;
                    }
                    return n;
                }
            })).as("entries scanned on another thread").isEqualTo(100);
        }
    }

    @Test
    void aWriteOnAnInterruptedThreadDoesNotMakeTheStoreReadOnly() throws Exception {
        try (KvStore db = KvStore.open(dir, options(SyncMode.NONE))) {
            db.put("before", "1");

            Object outcome = onInterruptedThread(() -> {
                db.put("during", "2");
                return "acknowledged";
            });

            assertThatCode(() -> onAnotherThread(() -> {
                db.put("after", "3");
                return null;
            })).as("put on another thread after a put on an interrupted thread (which gave %s)", outcome)
                    .doesNotThrowAnyException();
            assertThat(db.get("after")).isEqualTo(b("3"));
        }
        try (KvStore db = KvStore.open(dir, options(SyncMode.NONE))) {
            assertThat(db.get("before")).isEqualTo(b("1"));
            assertThat(db.get("after")).isEqualTo(b("3"));
        }
    }

    @Test
    void snapshotsTakenWhileWritersRunKeepSeeingTheirValuesAcrossFlushes() throws Exception {
        int writers = 4;
        int rounds = 300;
        CountDownLatch start = new CountDownLatch(1);
        try (KvStore db = KvStore.open(dir, options(SyncMode.NONE))) {
            // Each writer counts its own key up; a snapshot taken after writer w's n-th put (by w
            // itself) must keep answering n, however many newer versions are flushed meanwhile.
            List<Future<Integer>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    start.await();
                    byte[] key = b("counter-" + writer);
                    List<Snapshot> held = new ArrayList<>();
                    List<Integer> heldValues = new ArrayList<>();
                    String padding = "z".repeat(200);
                    try {
                        for (int n = 1; n <= rounds; n++) {
                            db.put(key, b(n + ":" + padding));
                            if (n % 25 == 0) {
                                held.add(db.snapshot());
                                heldValues.add(n);
                            }
                            for (int i = 0; i < held.size(); i++) {
                                if ((n + i) % 10 == 0) {
                                    assertThat(s(db.get(key, held.get(i))))
                                            .as("writer %d, snapshot after put %d, read at put %d", writer,
                                                    heldValues.get(i), n)
                                            .isEqualTo(heldValues.get(i) + ":" + padding);
                                }
                            }
                        }
                        for (int i = 0; i < held.size(); i++) {
                            assertThat(s(db.get(key, held.get(i)))).as("writer %d, snapshot after put %d", writer,
                                    heldValues.get(i)).isEqualTo(heldValues.get(i) + ":" + padding);
                        }
                    } finally {
                        held.forEach(Snapshot::close);
                    }
                    return rounds;
                }));
            }
            start.countDown();
            awaitAll(futures);
            assertThat(db.stats().flushes()).as("flushes").isPositive();
            assertThat(db.stats().openSnapshots()).as("openSnapshots").isZero();
            assertThat(db.stats().lastSequence()).isEqualTo((long) writers * rounds);
        }
    }
}
