package io.kvstore.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs one operation many times on T threads and measures it.
 *
 * <p>Method: throughput is operations completed divided by the wall time of the whole loop (all
 * threads released together, timed from release to the last thread's end). Latency is sampled:
 * one operation in {@value #SAMPLE_EVERY} reads the clock before and after itself and is recorded
 * in a per-thread HdrHistogram (merged at the end), so the clock's cost barely touches throughput.
 * A loop stops early once {@code maxSeconds} have passed (checked every 256 operations); the row
 * then reports the operations actually done.
 *
 * <p>Each worker also reads its own thread's CPU time ({@link ThreadMXBean}) at release and at its
 * end; their sum is the client CPU time of the row. On a machine shared with other work, ops per
 * client CPU-second stays meaningful when wall-clock ops/s does not (it leaves out the store's own
 * background threads, and time a thread waits for a lock or the CPU).
 */
final class LoadLoop {

    static final int SAMPLE_EVERY = 16;

    /** One operation; {@code index} is global across threads (thread t runs t, t+T, t+2T, ...). */
    interface Op {
        void run(long index, SplittableRandom random);
    }

    /** {@code cpuSeconds} is NaN when the JVM cannot measure thread CPU time. */
    record Measurement(long ops, double seconds, double cpuSeconds, Histogram latencyNanos, boolean stoppedEarly) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LoadLoop() {
    }

    /** Runs {@code op} on threads named {@code <name>-<n>} (so a profile can be split by workload). */
    static Measurement run(String name, int threads, long totalOps, double maxSeconds, long seed, Op op)
            throws InterruptedException {
        int t = (int) Math.max(1, Math.min(threads, totalOps));
        long[] done = new long[t];
        long[] cpuNanos = new long[t];
        boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
        Histogram[] histograms = new Histogram[t];
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[t];
        long[] deadline = new long[1];
        for (int w = 0; w < t; w++) {
            int id = w;
            histograms[w] = new Histogram(3_600_000_000_000L, 3);
            workers[w] = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003L + id);
                Histogram h = histograms[id];
                long n = 0;
                long cpu0 = 0;
                try {
                    go.await();
                    cpu0 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
                    long end = deadline[0];
                    for (long index = id; index < totalOps; index += t) {
                        if ((n & 255) == 0 && System.nanoTime() > end) {
                            break;
                        }
                        if ((n % SAMPLE_EVERY) == 0) {
                            long t0 = System.nanoTime();
                            op.run(index, random);
                            h.recordValue(Math.max(1, System.nanoTime() - t0));
                        } else {
                            op.run(index, random);
                        }
                        n++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done[id] = n;
                    cpuNanos[id] = cpu ? THREADS.getCurrentThreadCpuTime() - cpu0 : 0;
                }
            }, name + "-" + w);
            workers[w].start();
        }
        long start = System.nanoTime();
        deadline[0] = start + (long) (maxSeconds * 1e9);
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("workload failed: " + failure.get(), failure.get());
        }
        Histogram merged = new Histogram(3_600_000_000_000L, 3);
        long ops = 0;
        long cpuTotal = 0;
        for (int w = 0; w < t; w++) {
            merged.add(histograms[w]);
            ops += done[w];
            cpuTotal += cpuNanos[w];
        }
        return new Measurement(ops, seconds, cpu ? cpuTotal / 1e9 : Double.NaN, merged, ops < totalOps);
    }
}
