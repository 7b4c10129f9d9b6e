package io.kvstore.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs db_bench- and YCSB-style workloads against KvStore and its peers and writes the results.
 *
 * <pre>
 * ./mvnw -q -pl kvstore-bench -am package -DskipTests
 * java -jar kvstore-bench/target/kvstore-bench.jar --n 1000000
 * </pre>
 *
 * See {@code docs/benchmarks/README.md} for the method and the committed results.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /** Every peer with its defaults, in the order they run. */
    static List<Peer> allPeers() {
        return allPeers(0);
    }

    /** Every peer, in the order they run; {@code blockCacheMiB > 0} sets the block cache of those that have one. */
    static List<Peer> allPeers(long blockCacheMiB) {
        return List.of(new KvStorePeer(blockCacheMiB), KvStorePeer.withListener(blockCacheMiB),
                new RocksDbPeer(blockCacheMiB), new LevelDbPeer(blockCacheMiB),
                new MvStorePeer(), new LmdbPeer(), new SqlitePeer(), new MemoryPeers.HashMapPeer(),
                new MemoryPeers.SkipListPeer());
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            checkPeers(options);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        List<Result> results = run(options);
        System.out.println("results in " + options.out().toAbsolutePath());
        if (results.isEmpty()) {
            System.exit(1);
        }
    }

    private static void checkPeers(BenchOptions options) {
        List<String> names = allPeers().stream().map(Peer::name).toList();
        for (String p : options.peers()) {
            if (!names.contains(p)) {
                throw new IllegalArgumentException("unknown peer '" + p + "' in --peers; known: " + String.join(",", names));
            }
        }
    }

    /** Runs everything the options ask for, prints progress, writes the report, returns the rows. */
    static List<Result> run(BenchOptions options) throws Exception {
        checkPeers(options);
        Files.createDirectories(options.dataDir());
        StringBuilder header = new StringBuilder("# KvStore benchmark results\n\n");
        header.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        header.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" processors, max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        header.append(String.format(Locale.ROOT, "- options: n=%d reads=%d sync-n=%d threads=%d value=%d B key=16 B "
                + "max-seconds=%.0f data=%s%n", options.n(), options.reads(), options.syncN(), options.threads(),
                options.valueSize(), options.maxSeconds(), options.dataDir()));
        header.append("- method: ops/s = operations / wall time of the loop; latency sampled on 1 op in ")
                .append(LoadLoop.SAMPLE_EVERY).append(" (HdrHistogram); ops/CPU-s = operations / CPU time of the client ")
                .append("threads (background flush and compaction threads not included)\n");

        if (options.ceilings()) {
            double fsyncs = Ceilings.fsyncRate(options.dataDir(), 3);
            double mibps = Ceilings.sequentialWriteMiBps(options.dataDir(), 512L << 20);
            String ceilings = String.format(Locale.ROOT, "- device ceilings (data dir): fsync of a 4 KiB append: "
                    + "%,.0f/s; sequential write: %,.0f MiB/s (512 MiB, one fsync)%n", fsyncs, mibps);
            System.out.print(ceilings);
            header.append(ceilings);
        }

        List<Result> results = new ArrayList<>();
        BenchRunner runner = new BenchRunner(options);
        StringBuilder peerNotes = new StringBuilder("\n## Peers\n\n| peer | configuration and durability mapping |\n|---|---|\n");
        for (Peer peer : allPeers(options.blockCacheMiB())) {
            boolean named = options.peers().contains(peer.name());
            if (!named && (!options.peers().isEmpty() || peer.onRequest())) {
                continue;
            }
            System.out.println("== " + peer.name());
            try {
                runner.run(peer, options.dataDir(), results);
                peerNotes.append("| ").append(peer.name()).append(" | ").append(peer.durabilityNote())
                        .append(peer.indexed().map(i -> "; indexed workloads: " + i.indexNote()).orElse(""))
                        .append(" |\n");
            } catch (Throwable e) {
                StringBuilder why = new StringBuilder();
                for (Throwable c = e; c != null; c = c.getCause()) {
                    why.append(why.length() == 0 ? "" : " <- ").append(c.getClass().getSimpleName()).append(": ")
                            .append(c.getMessage());
                }
                String reason = why.toString();
                System.out.println("  skipped " + peer.name() + ": " + reason);
                peerNotes.append("| ").append(peer.name()).append(" | **skipped**: ").append(reason.replace('|', '/'))
                        .append(" |\n");
            } finally {
                DirectorySize.delete(options.dataDir().resolve(peer.name()));
            }
            System.gc();
        }
        header.append(peerNotes);
        Report.write(options.out(), header.toString(), results);
        return results;
    }
}
