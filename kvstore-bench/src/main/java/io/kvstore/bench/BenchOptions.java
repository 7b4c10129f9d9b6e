package io.kvstore.bench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command-line options (plain parsing, {@code --name value}).
 *
 * @param n           keys loaded by the fills (and operations of overwrite and deleterandom)
 * @param reads       operations of readrandom, readmissing and the YCSB mixes (seekrandom runs a
 *                    quarter, YCSB E a tenth)
 * @param syncN       operations of each SYNC fill (fsync-bound, so far fewer)
 * @param threads     client threads of the multi-threaded rows
 * @param valueSize   value bytes (keys are 16 bytes)
 * @param maxSeconds  a workload stops after this long and reports what it did
 * @param peers       peers to run, empty for all
 * @param workloads   workloads to run, empty for all
 * @param durabilities NONE and/or SYNC
 * @param out         where the Markdown, CSV and PNG files go
 * @param dataDir     where the stores keep their files (wiped per peer)
 * @param ceilings    whether to measure the device's fsync rate and write bandwidth first
 * @param blockCacheMiB block cache of kvstore, rocksdb and leveldb-java in MiB; 0 keeps each one's default
 */
record BenchOptions(int n, long reads, int syncN, int threads, int valueSize, double maxSeconds, Set<String> peers,
        Set<String> workloads, Set<Durability> durabilities, Path out, Path dataDir, boolean ceilings,
        long blockCacheMiB) {

    static final String USAGE = """
            usage: java -jar kvstore-bench.jar [options]
              --n N             keys loaded by the fills, ops of overwrite/deleterandom (default 1000000)
              --reads N         ops of readrandom/readmissing/YCSB (default: --n)
              --sync-n N        ops of each SYNC fill, 1 and 16 threads (default 5000)
              --threads T       threads of the multi-threaded rows (default 4)
              --value-size B    value bytes, keys are 16 bytes (default 100)
              --max-seconds S   stop a workload after S seconds, report what it did (default 60)
              --peers a,b       kvstore,rocksdb,leveldb-java,h2-mvstore,lmdb,sqlite,hashmap,skiplist (default all);
                                kvstore+listener (kvstore with a no-op OperationListener) only when named
              --workloads a,b   fillseq,fillrandom,overwrite,readrandom,readmissing,readseq,seekrandom,
                                ycsb-a,ycsb-b,ycsb-c,ycsb-e,ycsb-f,deleterandom,fillsync,
                                indexedfill (= indexedfill-0,indexedfill-1,indexedfill-3),indexedread,
                                indexedrange (indexed: kvstore, rocksdb, sqlite) (default all)
              --durability d    none, sync or none,sync (default none,sync)
              --out DIR         results: results.md, results.csv, one PNG per family (default bench-results)
              --data DIR        data directory for the stores (default /tmp/kvstore-bench-data)
              --ceilings B      measure fsync rate and write bandwidth first: true or false (default true)
              --block-cache-mib M  block cache of kvstore, rocksdb and leveldb-java, same size for all
                                (default 0: each one's own default: 32, 32 and 8 MiB)
            """;

    static final List<String> WORKLOADS = List.of("fillseq", "fillrandom", "overwrite", "readrandom",
            "readmissing", "readseq", "seekrandom", "ycsb-a", "ycsb-b", "ycsb-c", "ycsb-e", "ycsb-f", "deleterandom",
            "fillsync", "indexedfill", "indexedfill-0", "indexedfill-1", "indexedfill-3", "indexedread",
            "indexedrange");

    static BenchOptions parse(String[] args) {
        int n = 1_000_000;
        long reads = -1;
        int syncN = 5000;
        int threads = 4;
        int valueSize = 100;
        double maxSeconds = 60;
        Set<String> peers = new LinkedHashSet<>();
        Set<String> workloads = new LinkedHashSet<>();
        Set<Durability> durabilities = EnumSet.allOf(Durability.class);
        Path out = Path.of("bench-results");
        Path data = Path.of("/tmp/kvstore-bench-data");
        boolean ceilings = true;
        long blockCacheMiB = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--n" -> n = Integer.parseInt(v.replace("_", ""));
                case "--reads" -> reads = Long.parseLong(v.replace("_", ""));
                case "--sync-n" -> syncN = Integer.parseInt(v.replace("_", ""));
                case "--threads" -> threads = Integer.parseInt(v);
                case "--value-size" -> valueSize = Integer.parseInt(v);
                case "--max-seconds" -> maxSeconds = Double.parseDouble(v);
                case "--peers" -> peers.addAll(List.of(v.split(",")));
                case "--workloads" -> {
                    for (String w : v.split(",")) {
                        if (!WORKLOADS.contains(w)) {
                            throw new IllegalArgumentException("unknown workload '" + w + "' in --workloads; known: "
                                    + String.join(",", WORKLOADS));
                        }
                        workloads.add(w);
                    }
                }
                case "--durability" -> {
                    durabilities = EnumSet.noneOf(Durability.class);
                    for (String d : v.split(",")) {
                        durabilities.add(Durability.valueOf(d.trim().toUpperCase(java.util.Locale.ROOT)));
                    }
                }
                case "--out" -> out = Path.of(v);
                case "--data" -> data = Path.of(v);
                case "--ceilings" -> ceilings = Boolean.parseBoolean(v);
                case "--block-cache-mib" -> blockCacheMiB = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (n < 1 || syncN < 1 || threads < 1 || valueSize < 1) {
            throw new IllegalArgumentException("--n, --sync-n, --threads and --value-size must be at least 1");
        }
        if (blockCacheMiB < 0 || blockCacheMiB > 1 << 20) {
            throw new IllegalArgumentException("--block-cache-mib must be between 0 and 1048576, was " + blockCacheMiB);
        }
        return new BenchOptions(n, reads < 0 ? n : reads, syncN, threads, valueSize, maxSeconds, peers, workloads,
                durabilities, out, data, ceilings, blockCacheMiB);
    }
}
