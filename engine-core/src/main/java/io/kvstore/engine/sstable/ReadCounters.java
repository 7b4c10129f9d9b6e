package io.kvstore.engine.sstable;

import java.util.concurrent.atomic.LongAdder;

/** Counters of table reads, shared by all tables of one store and reported in its stats. */
public final class ReadCounters {

    /** Point lookups the bloom filter answered "certainly absent" without reading a block. */
    public final LongAdder bloomNegatives = new LongAdder();
    /** Data blocks read from table files (block cache misses, uncached reads and verification). */
    public final LongAdder blockReads = new LongAdder();
    /** Data blocks found in the block cache; counted only while the cache is on. */
    public final LongAdder blockCacheHits = new LongAdder();
    /** Data blocks looked for in the block cache and not found; counted only while the cache is on. */
    public final LongAdder blockCacheMisses = new LongAdder();
}
