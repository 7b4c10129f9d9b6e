package io.kvstore.bench;

/**
 * One row of the results: a workload on a peer.
 *
 * @param peer        the store
 * @param durability  NONE or SYNC
 * @param family      fill, read, ycsb or sync (one chart each)
 * @param workload    db_bench / YCSB name
 * @param threads     client threads
 * @param ops         operations completed (a workload stops early at --max-seconds)
 * @param seconds     wall time of the whole loop
 * @param cpuSeconds  CPU time of the client threads during the loop (NaN when not measured)
 * @param p50Micros   sampled median latency, microseconds (NaN when not sampled)
 * @param p99Micros   sampled 99th percentile
 * @param p999Micros  sampled 99.9th percentile
 * @param bytesOnDisk bytes on disk right after the workload (-1 when not measured)
 * @param spaceAmp    bytes on disk per byte of live user data (NaN when not meaningful)
 * @param writeAmp    bytes the process wrote to disk per byte written by the user (NaN when n/a)
 * @param note        anything the numbers need (early stop, misses)
 */
record Result(String peer, Durability durability, String family, String workload, int threads, long ops,
        double seconds, double cpuSeconds, double p50Micros, double p99Micros, double p999Micros, long bytesOnDisk, double spaceAmp,
        double writeAmp, String note) {

    double opsPerSecond() {
        return seconds > 0 ? ops / seconds : Double.NaN;
    }

    /** Operations per second of client-thread CPU time: robust to other processes taking the CPU. */
    double opsPerCpuSecond() {
        return cpuSeconds > 0 ? ops / cpuSeconds : Double.NaN;
    }

    /** The label used in ratio tables and charts: workload plus thread count. */
    String label() {
        return workload + (threads > 1 ? " " + threads + "t" : "");
    }
}
