package io.kvstore.engine.sstable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Decoded (decompressed, checksum-verified) data blocks of all tables of one store, bounded by
 * their bytes.
 *
 * <pre>
 * Keys:
 *   (table file number, block offset). File numbers are never reused while a store is open, so an
 *   entry can never be mistaken for a block of another file: blocks of a deleted table are
 *   harmless. {@link TableCache#evict} still drops those of a table it has open, to free their
 *   memory early; the rest age out, as nothing reads them again.
 * Eviction:
 *   Caffeine's W-TinyLFU by weight = bytes of the block; maintenance runs on Caffeine's default
 *   executor, so the retained weight can exceed the bound briefly until it runs ({@link #weightedSize()}
 *   runs it first).
 * </pre>
 */
final class BlockCache {

    /** A block's identity; the only object a cache hit allocates. */
    record Key(long table, long offset) {
    }

    private final Cache<Key, Block> cache;

    /** Requires: {@code maxBytes > 0}. */
    BlockCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key key, Block block) -> block.weight())
                .build();
    }

    Block get(Key key) {
        return cache.getIfPresent(key);
    }

    void put(Key key, Block block) {
        cache.put(key, block);
    }

    /** Drops the blocks of table {@code table} at {@code offsets}. */
    void forget(long table, long[] offsets) {
        for (long offset : offsets) {
            cache.invalidate(new Key(table, offset));
        }
    }

    /** Bytes of blocks retained now, after running pending evictions. */
    long weightedSize() {
        cache.cleanUp();
        return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }
}
