package io.kvstore.engine.sstable;

import io.kvstore.engine.io.KeyHash;
import java.util.Arrays;

/**
 * A whole-table bloom filter over user keys.
 *
 * <pre>
 * filter := bits[m / 8] probes:u8        m = bitsPerKey × keys, at least 64, a multiple of 8
 * </pre>
 *
 * Probe positions use Kirsch–Mitzenmacher double hashing over a 64-bit hash of the key
 * ({@code g_i = h1 + i·h2}), which keeps the false-positive rate at the textbook
 * {@code (1 − e^(−k·n/m))^k} for {@code k = round(bitsPerKey · ln 2)} probes.
 */
public final class BloomFilter {

    private final byte[] filter;
    private final int bits;
    private final int probes;

    private BloomFilter(byte[] filter, int bits, int probes) {
        this.filter = filter;
        this.bits = bits;
        this.probes = probes;
    }

    /** Reads a filter block; {@code null} if the block is too short to be a filter. */
    static BloomFilter read(byte[] block, int length) {
        if (length < 2) {
            return null;
        }
        int probes = block[length - 1] & 0xFF;
        if (probes < 1 || probes > 30) {
            return null;
        }
        return new BloomFilter(block, (length - 1) * 8, probes);
    }

    /** Number of probes for {@code bitsPerKey}: {@code round(bitsPerKey · ln 2)}, in 1..30. */
    public static int probesFor(int bitsPerKey) {
        return Math.max(1, Math.min(30, (int) Math.round(bitsPerKey * Math.log(2))));
    }

    /** Builds the filter block for keys given by their {@link #hash} values. */
    public static byte[] build(long[] hashes, int count, int bitsPerKey) {
        int bits = Math.max(64, count * bitsPerKey);
        bits = (bits + 7) & ~7;
        int probes = probesFor(bitsPerKey);
        byte[] filter = new byte[bits / 8 + 1];
        filter[filter.length - 1] = (byte) probes;
        for (int i = 0; i < count; i++) {
            long h = hashes[i];
            long delta = (h >>> 32) | 1;
            long g = h;
            for (int p = 0; p < probes; p++) {
                int bit = reduce(g, bits);
                filter[bit >>> 3] |= (byte) (1 << (bit & 7));
                g += delta;
            }
        }
        return filter;
    }

    /** Whether {@code key} may be in the table; {@code false} means it is certainly not. */
    public boolean mayContain(byte[] key, int off, int len) {
        return mayContain(hash(key, off, len));
    }

    /** {@link #mayContain(byte[], int, int)} for a key given by its {@link #hash}. */
    public boolean mayContain(long h) {
        long delta = (h >>> 32) | 1;
        long g = h;
        for (int p = 0; p < probes; p++) {
            int bit = reduce(g, bits);
            if ((filter[bit >>> 3] & (1 << (bit & 7))) == 0) {
                return false;
            }
            g += delta;
        }
        return true;
    }

    /** Maps 64 hash bits uniformly to {@code [0, bits)} without a division. */
    private static int reduce(long g, int bits) {
        long mixed = g ^ (g >>> 29);
        return (int) (((mixed & 0xFFFFFFFFL) * bits) >>> 32);
    }

    /**
     * 64-bit hash of {@code key[off..off+len)}: {@link KeyHash#of}. Part of the table format: a
     * filter block is only valid for the hash function it was built with.
     */
    public static long hash(byte[] key, int off, int len) {
        return KeyHash.of(key, off, len);
    }

    /** Growable list of key hashes collected while a table is built. */
    static final class HashList {
        private long[] hashes = new long[1024];
        private int count;

        void add(long hash) {
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
            }
            hashes[count++] = hash;
        }

        long[] array() {
            return hashes;
        }

        int size() {
            return count;
        }
    }
}
