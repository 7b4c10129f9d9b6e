package io.kvstore.engine.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit key hash behind every bloom filter of the engine (table filter blocks and memtable
 * filters): xxHash64's rounds over 8-, 4- and 1-byte steps, without its 32-byte stripes, and its
 * final avalanche. Table filter blocks store bits derived from it, so it must never change
 * without a table format version bump.
 */
public final class KeyHash {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class,
            ByteOrder.LITTLE_ENDIAN);

    private KeyHash() {
    }

    /** The hash of {@code key[off..off+len)}. */
    public static long of(byte[] key, int off, int len) {
        long h = P5 + len;
        int p = off;
        int end = off + len;
        while (p + 8 <= end) {
            long k = (long) LONG_LE.get(key, p);
            k *= P2;
            k = Long.rotateLeft(k, 31);
            k *= P1;
            h ^= k;
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= ((int) INT_LE.get(key, p) & 0xFFFFFFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (key[p] & 0xFF) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }
}
