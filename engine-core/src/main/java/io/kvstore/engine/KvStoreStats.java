package io.kvstore.engine;

import java.util.List;

/**
 * A point-in-time reading of a store's counters and shape, from {@link KvStore#stats()}.
 * Counters count since the store was opened.
 *
 * @param entriesWritten         puts and deletes acknowledged
 * @param memtableBytes          approximate bytes in the active memtable
 * @param immutableMemtableBytes approximate bytes in the memtable being flushed (0 if none)
 * @param tableFilesPerLevel     number of table files at each level, L0 first
 * @param tableBytesPerLevel     bytes of table files at each level, L0 first
 * @param walBytes               bytes in write-ahead log files not yet flushed
 * @param bytesOnDisk            bytes of every file the store owns in its directory
 * @param lastSequence           sequence number of the last acknowledged write
 * @param flushes                memtables flushed to tables
 * @param compactions            compactions run (background and manual, including trivial moves)
 * @param pendingCompactionBytes bytes the compaction strategy still wants to rewrite
 * @param compactionBytesRead    bytes of table files read by compactions
 * @param compactionBytesWritten bytes of table files written by compactions
 * @param userBytesWritten       bytes of encoded writes acknowledged (keys, values, framing)
 * @param diskBytesWritten       bytes written to disk: WAL, flushes and compactions
 * @param writeStalls            times a writer waited for a flush or compaction, or was slowed down
 * @param writeStallNanos        total time writers spent stalled
 * @param blockCacheHits         data block reads served by the block cache
 * @param blockCacheMisses       data block reads that went to a file
 * @param bloomNegatives         point lookups a bloom filter answered without reading a block
 * @param blockReads             data blocks read from table files
 * @param openSnapshots          snapshots not yet closed
 */
public record KvStoreStats(long entriesWritten, long memtableBytes, long immutableMemtableBytes,
        List<Integer> tableFilesPerLevel, List<Long> tableBytesPerLevel, long walBytes, long bytesOnDisk,
        long lastSequence, long flushes, long compactions, long pendingCompactionBytes, long compactionBytesRead,
        long compactionBytesWritten, long userBytesWritten, long diskBytesWritten, long writeStalls,
        long writeStallNanos, long blockCacheHits, long blockCacheMisses, long bloomNegatives, long blockReads,
        int openSnapshots, long walSyncs) {

    /** Number of table files at all levels. */
    public int tableFiles() {
        return tableFilesPerLevel.stream().mapToInt(Integer::intValue).sum();
    }

    /** Bytes of table files at all levels. */
    public long tableBytes() {
        return tableBytesPerLevel.stream().mapToLong(Long::longValue).sum();
    }

    /** Bytes written to disk per byte written by users (0 before the first write). */
    public double writeAmplification() {
        return userBytesWritten == 0 ? 0 : (double) diskBytesWritten / userBytesWritten;
    }
}
