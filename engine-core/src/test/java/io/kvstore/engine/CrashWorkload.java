package io.kvstore.engine;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link KvStoreCrashTest}: opens a store and writes to it from several
 * threads until it is killed, printing one line per acknowledged write to stdout.
 *
 * <p>Usage: {@code CrashWorkload <dir> <SYNC|PERIODIC|NONE> <cycle> <seed>}.
 *
 * <p>Each writer thread {@code t} numbers its operations {@code n = 0, 1, 2, ...} and does them
 * strictly one after another. Operation {@code n} is one of:
 * <ul>
 *   <li>a single put of {@link #putKey} = {@link #putValue}, acknowledged as {@code P t n};</li>
 *   <li>a {@link WriteBatch} of {@code k} member keys {@link #batchKey}{@code (..., i)} plus the
 *       marker {@link #batchMarker}, all set to {@link #batchValue}, acknowledged as
 *       {@code B t n k};</li>
 *   <li>an overwrite of the counter key {@link #counterKey}{@code (t)} with
 *       {@link #counterValue}{@code (cycle, n)}, which grows over operations and cycles,
 *       acknowledged as {@code C t n}.</li>
 * </ul>
 * An ack line is printed (and flushed into the pipe) only after the store call returned, and the
 * thread starts operation {@code n + 1} only after the ack of {@code n} is in the pipe. So at the
 * kill, each thread has at most one written-but-unacknowledged operation: the one after its last
 * ack.
 *
 * <p>Other lines: {@code READY} once the store is open, {@code ERROR t <message>} if a write
 * fails (the thread then stops), {@code DONE} if every thread ran out of operations.
 */
public final class CrashWorkload {

    static final int THREADS = 4;
    /** Small, so background flushes and WAL switches happen many times per run. */
    static final long MEMTABLE_SIZE = 256 << 10;
    /** Short, so PERIODIC mode really syncs in the background during the run. */
    static final Duration SYNC_INTERVAL = Duration.ofMillis(20);
    /** Upper bound of operations per thread; far more than any run reaches before its kill. */
    static final int MAX_OPS_PER_THREAD = 10_000_000 / THREADS;
    static final int MAX_BATCH_MEMBERS = 8;

    private static final Object OUT_LOCK = new Object();
    private static final OutputStream OUT = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 256);

    private CrashWorkload() {
    }

    static KvStoreOptions options(SyncMode mode) {
        return KvStoreOptions.defaults()
                .withSyncMode(mode)
                .withSyncInterval(SYNC_INTERVAL)
                .withMemtableSize(MEMTABLE_SIZE);
    }

    // -------------------------------------------------------------- key and value scheme (shared with the test)

    static String putKey(int cycle, int thread, long n) {
        return "s:" + cycle + ":" + thread + ":" + n;
    }

    static String putValue(int cycle, int thread, long n) {
        return "v:" + cycle + ":" + thread + ":" + n + ":" + padding(cycle, thread, n);
    }

    static String batchId(int cycle, int thread, long n) {
        return cycle + ":" + thread + ":" + n;
    }

    static String batchKey(int cycle, int thread, long n, int member) {
        return "b:" + batchId(cycle, thread, n) + ":" + member;
    }

    static String batchMarker(int cycle, int thread, long n) {
        return "b:" + batchId(cycle, thread, n) + ":m";
    }

    /** The value of every key of a batch; names the batch and its member count. */
    static String batchValue(int cycle, int thread, long n, int members) {
        return "B:" + batchId(cycle, thread, n) + ":k=" + members + ":" + padding(cycle, thread, n);
    }

    static String counterKey(int thread) {
        return "c:" + thread;
    }

    /** Grows with the operation number within a cycle and with the cycle: compare as longs. */
    static long counterValue(int cycle, long n) {
        return cycle * 1_000_000_000L + n;
    }

    /** Deterministic filler so values are 30 to 150 bytes and memtables fill quickly. */
    private static String padding(int cycle, int thread, long n) {
        int len = Math.floorMod(n * 31 + thread * 7L + cycle * 13L, 121) + 30;
        return "x".repeat(len);
    }

    // -------------------------------------------------------------- main

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: CrashWorkload <dir> <SYNC|PERIODIC|NONE> <cycle> <seed>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        SyncMode mode = SyncMode.valueOf(args[1]);
        int cycle = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);

        KvStore db = KvStore.open(dir, options(mode));
        emit("READY");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread w = new Thread(() -> runWriter(db, cycle, thread, new Random(seed * 31 + thread)),
                    "crash-writer-" + t);
            threads.add(w);
            w.start();
        }
        for (Thread w : threads) {
            w.join();
        }
        // Only reached if the parent never killed us: close cleanly and say so.
        db.close();
        emit("DONE");
    }

    private static void runWriter(KvStore db, int cycle, int thread, Random random) {
        WriteBatch batch = new WriteBatch();
        for (long n = 0; n < MAX_OPS_PER_THREAD; n++) {
            int kind = random.nextInt(10);
            try {
                if (kind < 5) {
                    db.put(putKey(cycle, thread, n), putValue(cycle, thread, n));
                    emit("P " + thread + " " + n);
                } else if (kind < 8) {
                    int members = 1 + random.nextInt(MAX_BATCH_MEMBERS);
                    String value = batchValue(cycle, thread, n, members);
                    batch.clear();
                    for (int i = 0; i < members; i++) {
                        batch.put(batchKey(cycle, thread, n, i), value);
                    }
                    batch.put(batchMarker(cycle, thread, n), value);
                    db.write(batch);
                    emit("B " + thread + " " + n + " " + members);
                } else {
                    db.put(counterKey(thread), Long.toString(counterValue(cycle, n)));
                    emit("C " + thread + " " + n);
                }
            } catch (RuntimeException e) {
                emit("ERROR " + thread + " " + e.toString().replace('\n', ' '));
                e.printStackTrace();
                return;
            }
        }
    }

    /** Writes one line into the stdout pipe and flushes it: once this returns, the parent can read it. */
    private static void emit(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (OUT_LOCK) {
            try {
                OUT.write(bytes);
                OUT.flush();
            } catch (IOException e) {
                // The parent went away; nothing can be acknowledged any more.
                Runtime.getRuntime().halt(3);
            }
        }
    }
}
