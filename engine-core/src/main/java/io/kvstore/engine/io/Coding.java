package io.kvstore.engine.io;

/**
 * Fixed-width (big-endian) and variable-length integer coding shared by every on-disk format.
 *
 * <p>Varints are LEB128: seven bits per byte, least significant group first, the high bit set on
 * every byte but the last. A {@code varint32} takes at most 5 bytes, a {@code varint64} at most 10.
 */
public final class Coding {

    private Coding() {
    }

    public static void putInt(byte[] dst, int off, int value) {
        dst[off] = (byte) (value >>> 24);
        dst[off + 1] = (byte) (value >>> 16);
        dst[off + 2] = (byte) (value >>> 8);
        dst[off + 3] = (byte) value;
    }

    public static int getInt(byte[] src, int off) {
        return ((src[off] & 0xFF) << 24) | ((src[off + 1] & 0xFF) << 16) | ((src[off + 2] & 0xFF) << 8)
                | (src[off + 3] & 0xFF);
    }

    public static void putLong(byte[] dst, int off, long value) {
        putInt(dst, off, (int) (value >>> 32));
        putInt(dst, off + 4, (int) value);
    }

    public static long getLong(byte[] src, int off) {
        return ((long) getInt(src, off) << 32) | (getInt(src, off + 4) & 0xFFFFFFFFL);
    }

    /** Number of bytes {@link #putVarint64} writes for {@code value}. */
    public static int varintLength(long value) {
        int len = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            len++;
        }
        return len;
    }

    /** Writes {@code value} at {@code off}; returns the offset after it. */
    public static int putVarint64(byte[] dst, int off, long value) {
        while ((value & ~0x7FL) != 0) {
            dst[off++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        dst[off++] = (byte) value;
        return off;
    }

    public static int putVarint32(byte[] dst, int off, int value) {
        return putVarint64(dst, off, value & 0xFFFFFFFFL);
    }

    /**
     * Reads a varint at {@code pos[0]} not past {@code limit}, advancing {@code pos[0]}.
     *
     * @throws IllegalStateException if the varint is truncated or longer than 64 bits
     *         (callers turn this into a {@code CorruptionException} naming the file)
     */
    public static long getVarint64(byte[] src, int[] pos, int limit) {
        long result = 0;
        int p = pos[0];
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= limit) {
                throw new IllegalStateException("truncated varint at offset " + pos[0]);
            }
            byte b = src[p++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                pos[0] = p;
                return result;
            }
        }
        throw new IllegalStateException("varint longer than 64 bits at offset " + pos[0]);
    }

    /** Like {@link #getVarint64} but refuses values that do not fit a non-negative int. */
    public static int getVarint32(byte[] src, int[] pos, int limit) {
        int start = pos[0];
        long v = getVarint64(src, pos, limit);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalStateException("varint out of int range at offset " + start + ": " + v);
        }
        return (int) v;
    }
}
