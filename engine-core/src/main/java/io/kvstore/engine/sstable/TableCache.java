package io.kvstore.engine.sstable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.Memtable;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

/**
 * The tables of one store, read by file number: opened on first use (so opening a store reads no
 * table), kept open up to a bound, and sharing one block cache.
 *
 * <p>Every read goes through a method that pins the table for exactly as long as it needs it:
 * {@link #get} and {@link #verify} release it before returning, {@link #iterator} when the
 * iterator is closed. Thread-safe; lookups take no lock beyond Caffeine's own.
 */
public final class TableCache implements Closeable {

    /*
     * Open tables:
     *   A Caffeine cache of file number -> Handle (reader + reference count), bounded by entry
     *   count. A table is opened before the cache evicts to make room for it, so the cache holds at
     *   most maxOpenFiles - 1 tables: with one open in progress the handles stay within
     *   maxOpenFiles. Concurrent opens and tables pinned past their eviction (below) can exceed
     *   the bound briefly. Maintenance runs on the calling thread (executor Runnable::run) so an
     *   evicted table is closed at once, not whenever a background task gets to it.
     * Reference counting:
     *   A handle starts with one reference, the cache's, dropped by the removal listener on
     *   eviction, deletion or close. Each reader takes one with tryAcquire, which fails once the
     *   count reached zero; it then looks the table up again and finds it gone, so it opens it
     *   anew. The reader file closes on the last release: an evicted table keeps serving the
     *   lookups and iterators that pinned it.
     * Block cache:
     *   See BlockCache: keyed by (file number, offset), which a store never reuses.
     */

    private static final long DEFAULT_BLOCK_CACHE_BYTES = 32L << 20;
    private static final int DEFAULT_MAX_OPEN_FILES = 1000;
    private static final int MIN_OPEN_FILES = 2;

    private final FileSystem fs;
    private final LongFunction<Path> pathOf;
    private final ReadCounters counters;
    /** {@code null} when the block cache is off. */
    private final BlockCache blockCache;
    private final Cache<Long, Handle> open;

    /** A table cache with a 32 MiB block cache and at most 1000 open files. */
    public TableCache(FileSystem fs, LongFunction<Path> pathOf, ReadCounters counters) {
        this(fs, pathOf, counters, DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_MAX_OPEN_FILES);
    }

    /**
     * @param pathOf          the path of the table with a given file number
     * @param counters        where reads, bloom negatives and block cache hits and misses are counted
     * @param blockCacheBytes bytes of decoded data blocks to keep in memory; 0 turns the block cache off
     * @param maxOpenFiles    table files to keep open, at least 2
     */
    public TableCache(FileSystem fs, LongFunction<Path> pathOf, ReadCounters counters, long blockCacheBytes,
            int maxOpenFiles) {
        if (blockCacheBytes < 0) {
            throw new IllegalArgumentException("blockCacheBytes must be at least 0, was " + blockCacheBytes);
        }
        if (maxOpenFiles < MIN_OPEN_FILES) {
            throw new IllegalArgumentException("maxOpenFiles must be at least " + MIN_OPEN_FILES + ", was "
                    + maxOpenFiles);
        }
        this.fs = fs;
        this.pathOf = pathOf;
        this.counters = counters;
        this.blockCache = blockCacheBytes == 0 ? null : new BlockCache(blockCacheBytes);
        this.open = Caffeine.newBuilder()
                .maximumSize(maxOpenFiles - 1)
                .executor(Runnable::run)
                .removalListener((Long number, Handle handle, RemovalCause cause) -> {
                    if (handle != null) {
                        handle.release();
                    }
                })
                .build();
    }

    /**
     * Looks {@code key} up in table {@code number}, whose manifest size is {@code size}: a copy of
     * the newest value visible at {@code sequence}, {@link Memtable#DELETED} (deleted, or expired at
     * {@code nowMillis}), or {@code null} if the table has no version of the key visible there.
     *
     * @throws CorruptionException naming the file and offset if the table or the block read is damaged
     */
    public byte[] get(long number, long size, byte[] key, long sequence) {
        return get(number, size, key, sequence, Long.MIN_VALUE);
    }

    /** {@link #get(long, long, byte[], long)} judging entries with a time-to-live at {@code nowMillis}. */
    public byte[] get(long number, long size, byte[] key, long sequence, long nowMillis) {
        return get(number, size, key, BloomFilter.hash(key, 0, key.length), sequence, nowMillis);
    }

    /** {@link #get(long, long, byte[], long, long)} for a key whose {@link BloomFilter#hash} the caller has. */
    public byte[] get(long number, long size, byte[] key, long keyHash, long sequence, long nowMillis) {
        Handle handle = acquire(number, size);
        try {
            return handle.reader.get(key, keyHash, sequence, nowMillis);
        } finally {
            handle.release();
        }
    }

    /** See {@link TableReader#mayContainPrefix}. */
    public boolean mayContainPrefix(long number, long size, long prefixHash) {
        Handle handle = acquire(number, size);
        try {
            return handle.reader.mayContainPrefix(prefixHash);
        } finally {
            handle.release();
        }
    }

    /**
     * An unpositioned iterator over table {@code number}; the table stays open until the iterator
     * is closed, even if evicted or deleted meanwhile.
     */
    public InternalIterator iterator(long number, long size) {
        Handle handle = acquire(number, size);
        try {
            return handle.reader.iterator(handle::release);
        } catch (RuntimeException e) {
            handle.release();
            throw e;
        }
    }

    /**
     * Reads every block of table {@code number} from its file and checks it.
     *
     * @throws CorruptionException naming the file and the offset of the first bad block
     */
    public void verify(long number, long size) {
        Handle handle = acquire(number, size);
        try {
            handle.reader.verifyBlocks();
        } finally {
            handle.release();
        }
    }

    /**
     * Forgets table {@code number}, whose file is being deleted: closes it once no lookup or
     * iterator uses it, and drops its blocks from the block cache.
     */
    public void evict(long number) {
        Handle handle = open.asMap().remove(number);
        if (handle != null) {
            handle.reader.forgetCachedBlocks();
        }
    }

    /** Bytes of decoded blocks the block cache holds now (0 when it is off). */
    public long blockCacheWeightedSize() {
        return blockCache == null ? 0 : blockCache.weightedSize();
    }

    /** Closes every table once no lookup or iterator uses it. */
    @Override
    public void close() {
        open.invalidateAll();
        open.cleanUp();
    }

    /** Whether table {@code number} is in the cache of open tables (tables pinned after eviction are not). */
    boolean isCached(long number) {
        return open.asMap().containsKey(number);
    }

    /** Pins table {@code number}, opening it if needed. Requires: a matching {@link Handle#release()}. */
    private Handle acquire(long number, long size) {
        while (true) {
            Handle handle = open.getIfPresent(number);
            if (handle == null) {
                Handle[] opened = new Handle[1];
                handle = open.get(number, n -> opened[0] = new Handle(openReader(n, size)));
                if (handle == opened[0]) {
                    return handle; // born with the caller's reference
                }
            }
            if (handle.tryAcquire()) {
                return handle;
            }
            // Evicted and closed between the lookup and the pin: look again.
        }
    }

    private TableReader openReader(long number, long size) {
        Path path = pathOf.apply(number);
        try {
            return TableReader.open(fs, path, size, number, blockCache, counters);
        } catch (IOException e) {
            throw new UncheckedIOException("opening table " + path, e);
        }
    }

    /** An open reader and its reference count: the cache's reference plus one per user. */
    private static final class Handle {
        final TableReader reader;
        /** Starts at 2: the cache's reference and that of the caller that opened it. */
        private final AtomicInteger refs = new AtomicInteger(2);

        Handle(TableReader reader) {
            this.reader = reader;
        }

        /** Pins this handle unless its reader is already closed; lock-free. */
        boolean tryAcquire() {
            while (true) {
                int n = refs.get();
                if (n == 0) {
                    return false;
                }
                if (refs.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            int n = refs.decrementAndGet();
            if (n == 0) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // a read handle: nothing was written that a failed close could lose
                }
            } else if (n < 0) {
                throw new IllegalStateException("table " + reader.path() + " released more often than pinned");
            }
        }
    }
}
