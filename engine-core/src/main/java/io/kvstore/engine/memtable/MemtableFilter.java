package io.kvstore.engine.memtable;

import io.kvstore.engine.io.KeyHash;

/**
 * A bloom filter over the user keys of one memtable, so that looking up a key the memtable does
 * not hold (most lookups, once a store is larger than its memtable) skips the skip-list walk and
 * its cache misses. It also holds the keys' {@link io.kvstore.engine.io.FilterPrefix filtered
 * prefixes}, so a scan of one prefix can skip the memtable.
 *
 * <pre>
 * Layout (memory only, never written to disk):
 *   words: long[8 × blocks], blocks a power of two. A key's 64-bit {@link KeyHash} picks one
 *   block of 512 bits (one 64-byte cache line) with its high 32 bits and sets PROBES bits inside
 *   it, 9 bits of a remixed hash each: a lookup costs one cache miss, not one per probe.
 * Sizing:
 *   one bit per 8 bytes of the memtable's budget. Every entry is accounted at least 64 bytes of
 *   node overhead plus its key and value, so a full memtable has at least 8 bits per key
 *   (about 2 % false positives with 6 probes); 100-byte records get over 20 bits per key.
 * Concurrency:
 *   one writer (the memtable's) sets bits with plain stores, before it links the entry in; a
 *   reader that may see the entry (its sequence was published after the insert) therefore sees
 *   the bits. A racing read of a word being changed sees some superset of the bits set before.
 * </pre>
 */
final class MemtableFilter {

    private static final int PROBES = 6;
    private static final long REMIX = 0x9E3779B97F4A7C15L;

    private final long[] words;
    private final int blockMask;

    /** A filter for a memtable of up to about {@code budgetBytes}. */
    MemtableFilter(long budgetBytes) {
        long bits = Math.max(512, budgetBytes / 8);
        long blocks = Long.highestOneBit(bits / 512 * 2 - 1); // the next power of two
        this.words = new long[(int) blocks * 8];
        this.blockMask = (int) blocks - 1;
    }

    void add(byte[] key, int off, int len) {
        add(KeyHash.of(key, off, len));
    }

    void add(long h) {
        int base = ((int) (h >>> 32) & blockMask) << 3;
        long g = h * REMIX;
        for (int p = 0; p < PROBES; p++) {
            int bit = (int) g & 511;
            words[base + (bit >>> 6)] |= 1L << bit;
            g >>>= 9;
        }
    }

    /** {@code false} when the memtable certainly holds no version of the key. */
    boolean mayContain(byte[] key, int off, int len) {
        return mayContain(KeyHash.of(key, off, len));
    }

    /** {@link #mayContain(byte[], int, int)} for a key (or filtered prefix) given by its {@link KeyHash}. */
    boolean mayContain(long h) {
        int base = ((int) (h >>> 32) & blockMask) << 3;
        long g = h * REMIX;
        for (int p = 0; p < PROBES; p++) {
            int bit = (int) g & 511;
            if ((words[base + (bit >>> 6)] & (1L << bit)) == 0) {
                return false;
            }
            g >>>= 9;
        }
        return true;
    }

    /** Bytes of memory the filter holds. */
    long bytes() {
        return words.length * 8L;
    }
}
