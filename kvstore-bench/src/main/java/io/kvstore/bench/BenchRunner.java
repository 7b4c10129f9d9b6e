package io.kvstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;

/**
 * Runs the workloads on one peer and returns a row per workload.
 *
 * <p>NONE, in this order: {@code fillseq} (own fresh store), then on a second fresh store
 * {@code fillrandom} (N keys in random order; the loaded set), {@code overwrite}, {@code readrandom}
 * (1 and T threads, warm), {@code readmissing}, {@code readseq} (one full scan), {@code seekrandom}
 * (seek + 10 next), YCSB A, B, C, F, E (T threads, scrambled zipfian over the loaded keys), and last
 * {@code deleterandom}. SYNC, on a third fresh store: {@code fillsync} with 1 and 16 threads.
 *
 * <p>Indexed (NONE, peers with {@link Peer#indexed()}), each on a fresh store of
 * {@link IndexedDocs} JSON records written in random id order: {@code indexedfill-0}, {@code -1}
 * and {@code -3} (the same fill with no index, an email index, and email + city + ts indexes);
 * then, on the three-index store, {@code indexedread} (equality lookup of a random loaded record's
 * email: exactly one record, 1 and T threads) and {@code indexedrange} (a {@code ts} range holding
 * 100 records, a tenth as many operations, 1 and T threads). Every query's answer is checked; a
 * wrong one is counted in the row's note.
 */
final class BenchRunner {

    private final BenchOptions options;
    private final Keys keys;

    BenchRunner(BenchOptions options) {
        this.options = options;
        this.keys = new Keys(options.valueSize(), 42);
    }

    /** Adds a row per workload to {@code results} as it goes, so a peer failing midway keeps its rows. */
    void run(Peer peer, Path dataRoot, List<Result> results) throws Exception {
        Path dir = dataRoot.resolve(peer.name());
        if (options.durabilities().contains(Durability.NONE)) {
            runNone(peer, dir, results);
        }
        if (options.durabilities().contains(Durability.SYNC) && !peer.inMemory()) {
            runSync(peer, dir, results);
        }
        if (options.durabilities().contains(Durability.NONE) && peer.indexed().isPresent()) {
            runIndexed(peer, peer.indexed().get(), dir, results);
        }
    }

    private static boolean indexedOnly(Set<String> workloads) {
        return !workloads.isEmpty() && workloads.stream().allMatch(w -> w.startsWith("indexed"));
    }

    private boolean wanted(String workload) {
        Set<String> w = options.workloads();
        // "indexedfill" names all three indexedfill-N.
        return w.isEmpty() || w.contains(workload)
                || workload.startsWith("indexedfill-") && w.contains("indexedfill");
    }

    private int recordBytes() {
        return Keys.KEY_SIZE + keys.valueSize();
    }

    private void runNone(Peer peer, Path dir, List<Result> results) throws Exception {
        if (indexedOnly(options.workloads())) {
            return; // the fillrandom the key-value reads need would be wasted
        }
        int n = options.n();
        long reads = options.reads();
        int threads = options.threads();
        Durability d = Durability.NONE;

        if (wanted("fillseq")) {
            DirectorySize.delete(dir);
            try (Store store = peer.open(dir, d)) {
                results.add(write(peer, store, d, "fill", "fillseq", 1, n, 0,
                        (i, r) -> store.put(Keys.present(i), keys.value(r))));
            }
        }

        DirectorySize.delete(dir);
        int[] order = Keys.permutation(n, 7);
        Store store = peer.open(dir, d);
        try {
            // The loaded set: order[0..loaded). fillrandom always runs (the reads need data).
            Result fill = write(peer, store, d, "fill", "fillrandom", 1, n, 0,
                    (i, r) -> store.put(Keys.present(order[(int) i]), keys.value(r)));
            int loaded = (int) fill.ops();
            if (wanted("fillrandom")) {
                results.add(fill);
            }
            if (wanted("overwrite")) {
                results.add(write(peer, store, d, "fill", "overwrite", 1, n, loaded,
                        (i, r) -> store.put(Keys.present(order[r.nextInt(loaded)]), keys.value(r))));
                results.add(write(peer, store, d, "fill", "overwrite", threads, n, loaded,
                        (i, r) -> store.put(Keys.present(order[r.nextInt(loaded)]), keys.value(r))));
            }
            if (wanted("readrandom")) {
                for (int t : new int[] {1, threads}) {
                    AtomicLong misses = new AtomicLong();
                    Result row = read(peer, d, "read", "readrandom", t, reads, (i, r) -> {
                        if (store.get(Keys.present(order[r.nextInt(loaded)])) == null) {
                            misses.incrementAndGet();
                        }
                    });
                    results.add(withNote(row, misses.get() == 0 ? "" : misses.get() + " keys not found (bug?)"));
                }
            }
            if (wanted("readmissing")) {
                AtomicLong hits = new AtomicLong();
                Result row = read(peer, d, "read", "readmissing", 1, reads, (i, r) -> {
                    if (store.get(Keys.missing(order[r.nextInt(loaded)])) != null) {
                        hits.incrementAndGet();
                    }
                });
                results.add(withNote(row, hits.get() == 0 ? "" : hits.get() + " missing keys found (bug?)"));
            }
            if (peer.ordered() && wanted("readseq")) {
                long start = System.nanoTime();
                int read = store.scan(new byte[] {0}, Integer.MAX_VALUE);
                double seconds = (System.nanoTime() - start) / 1e9;
                Result row = new Result(peer.name(), d, "read", "readseq", 1, read, seconds, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, -1, Double.NaN, Double.NaN,
                        read == loaded ? "one full scan; ops = entries read" : "scan read " + read + " of " + loaded);
                print(row);
                results.add(row);
            }
            if (peer.ordered() && wanted("seekrandom")) {
                results.add(read(peer, d, "read", "seekrandom", 1, reads / 4,
                        (i, r) -> store.scan(Keys.present(order[r.nextInt(loaded)]), 11)));
            }
            if (loaded > 0) {
                ycsb(peer, store, d, order, loaded, results);
            }
            if (wanted("deleterandom")) {
                results.add(write(peer, store, d, "fill", "deleterandom", 1, n, loaded,
                        (i, r) -> store.delete(Keys.present(order[r.nextInt(loaded)]))));
            }
        } finally {
            store.close();
        }
        DirectorySize.delete(dir);
    }

    private void ycsb(Peer peer, Store store, Durability d, int[] order, int loaded, List<Result> results)
            throws Exception {
        int threads = options.threads();
        long ops = options.reads();
        Zipfian zipf = new Zipfian(loaded);
        if (wanted("ycsb-a")) {
            results.add(read(peer, d, "ycsb", "ycsb-a", threads, ops, (i, r) -> {
                byte[] key = Keys.present(order[(int) zipf.next(r)]);
                if (r.nextInt(100) < 50) {
                    store.get(key);
                } else {
                    store.put(key, keys.value(r));
                }
            }));
        }
        if (wanted("ycsb-b")) {
            results.add(read(peer, d, "ycsb", "ycsb-b", threads, ops, (i, r) -> {
                byte[] key = Keys.present(order[(int) zipf.next(r)]);
                if (r.nextInt(100) < 95) {
                    store.get(key);
                } else {
                    store.put(key, keys.value(r));
                }
            }));
        }
        if (wanted("ycsb-c")) {
            results.add(read(peer, d, "ycsb", "ycsb-c", threads, ops,
                    (i, r) -> store.get(Keys.present(order[(int) zipf.next(r)]))));
        }
        if (wanted("ycsb-f")) {
            results.add(read(peer, d, "ycsb", "ycsb-f", threads, ops, (i, r) -> {
                byte[] key = Keys.present(order[(int) zipf.next(r)]);
                byte[] value = store.get(key);
                if (value != null) {
                    value[0]++;
                    store.put(key, value);
                }
            }));
        }
        if (peer.ordered() && wanted("ycsb-e")) {
            AtomicLong inserted = new AtomicLong(options.n());
            results.add(read(peer, d, "ycsb", "ycsb-e", threads, ops / 10, (i, r) -> {
                if (r.nextInt(100) < 95) {
                    store.scan(Keys.present(order[(int) zipf.next(r)]), 1 + r.nextInt(100));
                } else {
                    store.put(Keys.present(inserted.getAndIncrement()), keys.value(r));
                }
            }));
        }
    }

    private void runSync(Peer peer, Path dir, List<Result> results) throws Exception {
        if (!wanted("fillsync")) {
            return;
        }
        Durability d = Durability.SYNC;
        DirectorySize.delete(dir);
        int n = options.syncN();
        int[] order = Keys.permutation(2 * n, 11);
        try (Store store = peer.open(dir, d)) {
            Result single = write(peer, store, d, "sync", "fillsync", 1, n, 0,
                    (i, r) -> store.put(Keys.present(order[(int) i]), keys.value(r)));
            results.add(single);
            results.add(write(peer, store, d, "sync", "fillsync", 16, n, single.ops(),
                    (i, r) -> store.put(Keys.present(order[(int) (n + i)]), keys.value(r))));
        }
        DirectorySize.delete(dir);
    }

    private void runIndexed(Peer peer, IndexedPeer indexed, Path dir, List<Result> results) throws Exception {
        int n = options.n();
        int threads = options.threads();
        Durability d = Durability.NONE;
        int[] order = Keys.permutation(n, 7);
        // Raw data size for space amplification: key + JSON bytes, averaged over a sample.
        int recordBytes = Keys.KEY_SIZE + (int) IntStream.range(0, Math.min(n, 1000))
                .map(p -> IndexedDocs.doc(order[p], p).json().length).average().orElse(0);
        for (IndexSet set : IndexSet.values()) {
            boolean fillWanted = wanted(set.fillWorkload());
            boolean queries = set == IndexSet.EMAIL_CITY_TS && (wanted("indexedread") || wanted("indexedrange"));
            if (!fillWanted && !queries) {
                continue;
            }
            DirectorySize.delete(dir);
            try (IndexedStore store = indexed.open(dir, d, set)) {
                // Record order[p] is written p-th, with ts = TS_BASE + p.
                Result fill = write(peer, () -> store.bytesOnDisk(), d, "indexed", set.fillWorkload(), 1, n, 0,
                        recordBytes, (i, r) -> store.put(IndexedDocs.doc(order[(int) i], i)));
                if (fillWanted) {
                    results.add(fill);
                }
                int loaded = (int) fill.ops();
                if (queries && loaded > 0) {
                    indexedQueries(peer, store, d, order, loaded, threads, results);
                }
            }
            DirectorySize.delete(dir);
        }
    }

    private void indexedQueries(Peer peer, IndexedStore store, Durability d, int[] order, int loaded, int threads,
            List<Result> results) throws Exception {
        if (wanted("indexedread")) {
            for (int t : new int[] {1, threads}) {
                AtomicLong wrong = new AtomicLong();
                Result row = read(peer, d, "indexed", "indexedread", t, options.reads(), (i, r) -> {
                    long id = order[r.nextInt(loaded)];
                    List<IndexedStore.Found> found = store.byEmail(IndexedDocs.email(id));
                    if (found.size() != 1 || !Arrays.equals(found.get(0).key(), Keys.present(id))) {
                        wrong.incrementAndGet();
                    }
                });
                results.add(withNote(row, wrong.get() == 0 ? "" : wrong.get() + " wrong answers (bug?)"));
            }
        }
        if (wanted("indexedrange")) {
            int span = 100;
            for (int t : new int[] {1, threads}) {
                AtomicLong wrong = new AtomicLong();
                Result row = read(peer, d, "indexed", "indexedrange", t, Math.max(1, options.reads() / 10), (i, r) -> {
                    // Positions from..from+99 hold ts TS_BASE+from..TS_BASE+from+99: 100 records
                    // (fewer only when fewer were loaded), the p-th being order[p].
                    int from = r.nextInt(Math.max(1, loaded - span + 1));
                    List<IndexedStore.Found> found = store.byTs(IndexedDocs.ts(from), IndexedDocs.ts(from + span - 1),
                            span);
                    boolean right = found.size() == Math.min(span, loaded - from);
                    for (int k = 0; right && k < found.size(); k++) {
                        right = Arrays.equals(found.get(k).key(), Keys.present(order[from + k]));
                    }
                    if (!right) {
                        wrong.incrementAndGet();
                    }
                });
                results.add(withNote(row, wrong.get() == 0 ? "" : wrong.get() + " wrong answers (bug?)"));
            }
        }
    }

    /**
     * A write workload. {@code liveKeys} is the number of live keys before it; a fill adds its
     * operations to that (fresh keys), other writes leave it as is. Live keys × record size is the
     * raw data size that space amplification divides by.
     */
    private Result write(Peer peer, Store store, Durability d, String family, String name, int threads, long ops,
            long liveKeys, LoadLoop.Op op) throws Exception {
        return write(peer, store::bytesOnDisk, d, family, name, threads, ops, liveKeys, recordBytes(), op);
    }

    private Result write(Peer peer, LongSupplier bytesOnDisk, Durability d, String family,
            String name, int threads, long ops, long liveKeys, int recordBytes, LoadLoop.Op op) throws Exception {
        long ioBefore = ProcessIo.writeBytes();
        LoadLoop.Measurement m = LoadLoop.run(name + "-" + threads + "t", threads, ops, options.maxSeconds(), name.hashCode() + threads, op);
        long ioAfter = ProcessIo.writeBytes();
        long disk = peer.inMemory() ? 0 : bytesOnDisk.getAsLong();
        long userBytes = m.ops() * (name.equals("deleterandom") ? Keys.KEY_SIZE : recordBytes);
        long live = name.startsWith("fill") || name.startsWith("indexedfill") ? liveKeys + m.ops() : liveKeys;
        double spaceAmp = peer.inMemory() || name.equals("deleterandom") ? Double.NaN
                : disk / (double) (live * recordBytes);
        double writeAmp = peer.inMemory() || ioBefore < 0 || userBytes == 0 ? Double.NaN
                : (ioAfter - ioBefore) / (double) userBytes;
        Result r = row(peer, d, family, name, threads, m, disk, spaceAmp, writeAmp);
        print(r);
        return r;
    }

    private Result read(Peer peer, Durability d, String family, String name, int threads, long ops, LoadLoop.Op op)
            throws Exception {
        LoadLoop.Measurement m = LoadLoop.run(name + "-" + threads + "t", threads, ops, options.maxSeconds(), name.hashCode() + threads, op);
        Result r = row(peer, d, family, name, threads, m, -1, Double.NaN, Double.NaN);
        print(r);
        return r;
    }

    private Result row(Peer peer, Durability d, String family, String name, int threads, LoadLoop.Measurement m,
            long disk, double spaceAmp, double writeAmp) {
        Histogram h = m.latencyNanos();
        boolean sampled = h.getTotalCount() > 0;
        return new Result(peer.name(), d, family, name, threads, m.ops(), m.seconds(), m.cpuSeconds(),
                sampled ? h.getValueAtPercentile(50) / 1e3 : Double.NaN,
                sampled ? h.getValueAtPercentile(99) / 1e3 : Double.NaN,
                sampled ? h.getValueAtPercentile(99.9) / 1e3 : Double.NaN,
                disk, spaceAmp, writeAmp, m.stoppedEarly() ? "stopped at --max-seconds" : "");
    }

    private static Result withNote(Result r, String note) {
        if (note.isEmpty()) {
            return r;
        }
        String joined = r.note().isEmpty() ? note : r.note() + "; " + note;
        return new Result(r.peer(), r.durability(), r.family(), r.workload(), r.threads(), r.ops(), r.seconds(), r.cpuSeconds(),
                r.p50Micros(), r.p99Micros(), r.p999Micros(), r.bytesOnDisk(), r.spaceAmp(), r.writeAmp(), joined);
    }

    private static void print(Result r) {
        System.out.printf("  %-12s %-5s %-14s %7d ops %8.2f s %12.0f ops/s %12.0f ops/cpu-s  p50 %8.1f us  p99 %9.1f us%s%n",
                r.peer(), r.durability(), r.label(), r.ops(), r.seconds(), r.opsPerSecond(), r.opsPerCpuSecond(), r.p50Micros(),
                r.p99Micros(), r.note().isEmpty() ? "" : "  (" + r.note() + ")");
    }

    static void ensureDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
    }
}
