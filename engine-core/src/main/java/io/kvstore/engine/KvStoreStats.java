package io.kvstore.engine;

import java.util.List;

/**
 * A point-in-time reading of a store's counters and shape, from {@link KvStore#stats()}.
 *
 * @param entriesWritten         puts and deletes acknowledged since the store was opened
 * @param memtableBytes          approximate bytes in the active memtable
 * @param immutableMemtableBytes approximate bytes in the memtable being flushed (0 if none)
 * @param tableFilesPerLevel     number of table files at each level, L0 first
 * @param tableBytes             bytes in live table files
 * @param walBytes               bytes in write-ahead log files not yet flushed
 * @param bytesOnDisk            bytes of every file the store owns in its directory
 * @param lastSequence           sequence number of the last acknowledged write
 * @param flushes                memtables flushed to tables since open
 * @param bloomNegatives         point lookups a bloom filter answered without reading a block
 * @param blockReads             table data blocks read
 * @param writeStalls            times a writer waited for a memtable flush
 * @param writeStallNanos        total time writers waited for memtable flushes
 * @param openSnapshots          snapshots not yet closed
 */
public record KvStoreStats(long entriesWritten, long memtableBytes, long immutableMemtableBytes,
        List<Integer> tableFilesPerLevel, long tableBytes, long walBytes, long bytesOnDisk, long lastSequence,
        long flushes, long bloomNegatives, long blockReads, long writeStalls, long writeStallNanos,
        int openSnapshots) {

    /** Number of table files at all levels. */
    public int tableFiles() {
        return tableFilesPerLevel.stream().mapToInt(Integer::intValue).sum();
    }
}
