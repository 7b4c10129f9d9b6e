package io.kvstore.engine.sstable;

import java.util.concurrent.atomic.LongAdder;

/** Counters of table reads, shared by all tables of one store and reported in its stats. */
public final class ReadCounters {

    /** Point lookups the bloom filter answered "certainly absent" without reading a block. */
    public final LongAdder bloomNegatives = new LongAdder();
    /** Data blocks read from table files. */
    public final LongAdder blockReads = new LongAdder();
}
