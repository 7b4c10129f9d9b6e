package io.kvstore.engine.wal;

import io.kvstore.engine.io.Coding;

/**
 * The encoding of a write batch: the payload of one WAL record, and the bytes memtable entries
 * point into (a write allocates its encoded record and nothing else of its size).
 *
 * <pre>
 * batch      := sequence:u64 count:u32 op*            (big-endian; header is 12 bytes)
 * op         := PUT     keyLen:varint32 key valueLen:varint32 value
 *             | PUT_TTL keyLen:varint32 key valueLen:varint32 expiresAtMillis:u64 value
 *             | DELETE  keyLen:varint32 key
 * PUT = 0x01, PUT_TTL = 0x02 (valueLen counts the 8 expiry bytes), DELETE = 0x00
 *                                                     (the same codes as in internal keys)
 * </pre>
 *
 * The i-th op (from 0) of a batch is applied with sequence number {@code sequence + i}, so the
 * last op on a key within a batch is the newest version of it. A group commit concatenates the
 * ops of several batches under one header.
 */
public final class BatchRecord {

    public static final int HEADER_SIZE = 12;
    public static final byte TYPE_DELETE = 0x00;
    public static final byte TYPE_PUT = 0x01;
    public static final byte TYPE_PUT_TTL = 0x02;

    private BatchRecord() {
    }

    /** Receives the ops of a batch; offsets point into the record's own array. */
    public interface Visitor {
        /** A put; for {@code type == TYPE_PUT_TTL} the value range starts with the 8-byte expiry. */
        void put(long sequence, byte type, byte[] record, int keyOff, int keyLen, int valueOff, int valueLen);

        void delete(long sequence, byte[] record, int keyOff, int keyLen);
    }

    public static long sequence(byte[] record) {
        return Coding.getLong(record, 0);
    }

    public static void setSequence(byte[] record, long sequence) {
        Coding.putLong(record, 0, sequence);
    }

    public static int count(byte[] record) {
        return Coding.getInt(record, 8);
    }

    public static void setCount(byte[] record, int count) {
        Coding.putInt(record, 8, count);
    }

    /** Encoded size of a put op. */
    public static int putSize(int keyLen, int valueLen) {
        return 1 + Coding.varintLength(keyLen) + keyLen + Coding.varintLength(valueLen) + valueLen;
    }

    /** Encoded size of a delete op. */
    public static int deleteSize(int keyLen) {
        return 1 + Coding.varintLength(keyLen) + keyLen;
    }

    /** Writes a put op at {@code off}; returns the offset after it. */
    public static int writePut(byte[] dst, int off, byte[] key, byte[] value) {
        dst[off++] = TYPE_PUT;
        off = Coding.putVarint32(dst, off, key.length);
        System.arraycopy(key, 0, dst, off, key.length);
        off += key.length;
        off = Coding.putVarint32(dst, off, value.length);
        System.arraycopy(value, 0, dst, off, value.length);
        return off + value.length;
    }

    /** Encoded size of a put-with-expiry op. */
    public static int putWithExpirySize(int keyLen, int valueLen) {
        return putSize(keyLen, valueLen + 8);
    }

    /** Writes a put op whose value expires at {@code expiresAtMillis}; returns the offset after it. */
    public static int writePutWithExpiry(byte[] dst, int off, byte[] key, byte[] value, long expiresAtMillis) {
        dst[off++] = TYPE_PUT_TTL;
        off = Coding.putVarint32(dst, off, key.length);
        System.arraycopy(key, 0, dst, off, key.length);
        off += key.length;
        off = Coding.putVarint32(dst, off, value.length + 8);
        Coding.putLong(dst, off, expiresAtMillis);
        off += 8;
        System.arraycopy(value, 0, dst, off, value.length);
        return off + value.length;
    }

    /** Writes a delete op at {@code off}; returns the offset after it. */
    public static int writeDelete(byte[] dst, int off, byte[] key) {
        dst[off++] = TYPE_DELETE;
        off = Coding.putVarint32(dst, off, key.length);
        System.arraycopy(key, 0, dst, off, key.length);
        return off + key.length;
    }

    /**
     * Calls {@code visitor} for each op of {@code record[0..length)}, with sequence numbers from
     * the header on.
     *
     * @throws IllegalArgumentException if the record is malformed (the caller names the file)
     */
    public static void forEach(byte[] record, int length, Visitor visitor) {
        if (length < HEADER_SIZE) {
            throw new IllegalArgumentException("batch record of " + length + " bytes is shorter than its header");
        }
        long sequence = sequence(record);
        int count = count(record);
        int[] pos = {HEADER_SIZE};
        try {
            for (int i = 0; i < count; i++) {
                byte type = record[pos[0]++];
                int keyLen = Coding.getVarint32(record, pos, length);
                int keyOff = pos[0];
                pos[0] += keyLen;
                if (type == TYPE_PUT || type == TYPE_PUT_TTL) {
                    int valueLen = Coding.getVarint32(record, pos, length);
                    int valueOff = pos[0];
                    pos[0] += valueLen;
                    checkBounds(pos[0], length);
                    if (type == TYPE_PUT_TTL && valueLen < 8) {
                        throw new IllegalArgumentException("put-with-expiry op without its expiry at offset " + keyOff);
                    }
                    visitor.put(sequence + i, type, record, keyOff, keyLen, valueOff, valueLen);
                } else if (type == TYPE_DELETE) {
                    checkBounds(pos[0], length);
                    visitor.delete(sequence + i, record, keyOff, keyLen);
                } else {
                    throw new IllegalArgumentException("unknown op type " + type + " at offset " + (pos[0] - 1));
                }
            }
        } catch (IllegalStateException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed batch record: " + e.getMessage(), e);
        }
        if (pos[0] != length) {
            throw new IllegalArgumentException("batch record has " + (length - pos[0]) + " bytes after its "
                    + count + " ops");
        }
    }

    private static void checkBounds(int end, int length) {
        if (end > length) {
            throw new IllegalArgumentException("op runs past the end of the batch record (" + end + " > "
                    + length + ")");
        }
    }
}
