package io.kvstore.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Keys and values in db_bench's shape. Key {@code i} of the loaded set is the 16-digit decimal of
 * {@code 2i} (so keys sort as their numbers); the missing keys {@code 2i+1} fall between loaded
 * ones, so a store cannot answer them from a table's key range alone. Values are 100 bytes sliced
 * from a buffer that is half random, half repeated, so they compress to about half (db_bench's
 * default compression ratio).
 */
final class Keys {

    static final int KEY_SIZE = 16;

    private final byte[] valueSource;
    private final int valueSize;

    Keys(int valueSize, long seed) {
        this.valueSize = valueSize;
        SplittableRandom random = new SplittableRandom(seed);
        valueSource = new byte[1 << 20];
        for (int off = 0; off < valueSource.length; off += 100) {
            int len = Math.min(100, valueSource.length - off);
            for (int i = 0; i < len; i++) {
                valueSource[off + i] = i < len / 2 ? (byte) (' ' + random.nextInt(95)) : (byte) 'x';
            }
        }
    }

    static byte[] present(long i) {
        return decimal(2 * i);
    }

    static byte[] missing(long i) {
        return decimal(2 * i + 1);
    }

    private static byte[] decimal(long n) {
        byte[] key = new byte[KEY_SIZE];
        for (int i = KEY_SIZE - 1; i >= 0; i--) {
            key[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        return key;
    }

    byte[] value(SplittableRandom random) {
        int off = random.nextInt(valueSource.length - valueSize);
        return Arrays.copyOfRange(valueSource, off, off + valueSize);
    }

    int valueSize() {
        return valueSize;
    }

    /** A random permutation of 0..n-1 (the fillrandom order). */
    static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
