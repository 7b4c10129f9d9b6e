package io.kvstore.engine;

import io.kvstore.engine.wal.BatchRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Puts and deletes applied by {@link KvStore#write(WriteBatch)} all together or not at all. Within
 * a batch the last operation on a key wins. Not thread-safe; reusable after {@link #clear()}.
 *
 * <pre>{@code
 * db.write(new WriteBatch().put("user:1", json).delete("user:0"));
 * }</pre>
 *
 * Null and empty keys are refused when added; size limits are checked by the store's options
 * when the batch is written.
 */
public final class WriteBatch {

    private byte[] record = new byte[64];
    private int length = BatchRecord.HEADER_SIZE;
    private int count;
    private int largestKey;
    private int largestValue;
    /** Whether some put has a time-to-live, whose expiry the store stamps when writing. */
    private boolean hasTtl;
    /** Conditions checked atomically with the write; see {@link #requireValue}. */
    private final java.util.List<io.kvstore.engine.index.Op> conditions = new java.util.ArrayList<>();

    public WriteBatch put(byte[] key, byte[] value) {
        Arguments.checkKey(key);
        Objects.requireNonNull(value, "value must not be null");
        byte[] k = StorageKeys.user(key);
        ensureCapacity(BatchRecord.putSize(k.length, value.length));
        length = BatchRecord.writePut(record, length, k, value);
        count++;
        largestKey = Math.max(largestKey, key.length);
        largestValue = Math.max(largestValue, value.length);
        return this;
    }

    /**
     * Puts a value that expires {@code ttl} after the batch is written (by the store's clock): from
     * then on reads see the key as absent, and compaction removes the entry.
     */
    public WriteBatch put(byte[] key, byte[] value, Duration ttl) {
        Arguments.checkKey(key);
        Objects.requireNonNull(value, "value must not be null");
        long ttlMillis = Arguments.checkTtl(ttl);
        byte[] k = StorageKeys.user(key);
        ensureCapacity(BatchRecord.putWithExpirySize(k.length, value.length));
        // The expiry slot holds the ttl until KvStore.write adds the clock's time to it.
        length = BatchRecord.writePutWithExpiry(record, length, k, value, ttlMillis);
        count++;
        hasTtl = true;
        largestKey = Math.max(largestKey, key.length);
        largestValue = Math.max(largestValue, value.length);
        return this;
    }

    /** {@link #put(byte[], byte[], Duration)} with a UTF-8 encoded key. */
    public WriteBatch put(String key, byte[] value, Duration ttl) {
        return put(Arguments.utf8Key(key), value, ttl);
    }

    /** Puts a UTF-8 encoded key. */
    public WriteBatch put(String key, byte[] value) {
        return put(Arguments.utf8Key(key), value);
    }

    /** Puts a UTF-8 encoded key and value. */
    public WriteBatch put(String key, String value) {
        Objects.requireNonNull(value, "value must not be null");
        return put(Arguments.utf8Key(key), value.getBytes(StandardCharsets.UTF_8));
    }

    public WriteBatch delete(byte[] key) {
        Arguments.checkKey(key);
        byte[] k = StorageKeys.user(key);
        ensureCapacity(BatchRecord.deleteSize(k.length));
        length = BatchRecord.writeDelete(record, length, k);
        count++;
        largestKey = Math.max(largestKey, key.length);
        return this;
    }

    /** Deletes a UTF-8 encoded key. */
    public WriteBatch delete(String key) {
        return delete(Arguments.utf8Key(key));
    }

    /**
     * Makes the batch conditional: it is written only if {@code key} holds exactly
     * {@code expectedValue} at that moment, checked atomically with the write (no other write can
     * come between). Otherwise {@link KvStore#write} throws {@link WriteConflictException} and
     * writes nothing. The basis of optimistic locking: read, change, write if unchanged.
     */
    public WriteBatch requireValue(byte[] key, byte[] expectedValue) {
        Arguments.checkKey(key);
        Objects.requireNonNull(expectedValue, "expectedValue must not be null (use requireAbsent)");
        conditions.add(io.kvstore.engine.index.Op.put(key.clone(), expectedValue.clone(), 0));
        return this;
    }

    /** {@link #requireValue(byte[], byte[])} with a UTF-8 encoded key. */
    public WriteBatch requireValue(String key, byte[] expectedValue) {
        return requireValue(Arguments.utf8Key(key), expectedValue);
    }

    /** Makes the batch conditional on {@code key} having no value (absent, deleted or expired). */
    public WriteBatch requireAbsent(byte[] key) {
        Arguments.checkKey(key);
        conditions.add(io.kvstore.engine.index.Op.delete(key.clone()));
        return this;
    }

    /** {@link #requireAbsent(byte[])} with a UTF-8 encoded key. */
    public WriteBatch requireAbsent(String key) {
        return requireAbsent(Arguments.utf8Key(key));
    }

    /** Number of operations in the batch. */
    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Encoded size in bytes, about what the batch adds to the log and the memtable. */
    public int encodedSize() {
        return length;
    }

    /** Removes every operation. */
    public WriteBatch clear() {
        length = BatchRecord.HEADER_SIZE;
        count = 0;
        largestKey = 0;
        largestValue = 0;
        hasTtl = false;
        conditions.clear();
        return this;
    }

    int largestKey() {
        return largestKey;
    }

    int largestValue() {
        return largestValue;
    }

    boolean hasTtl() {
        return hasTtl;
    }

    /** The conditions, as ops: a put expects that value, a delete expects no value. */
    java.util.List<io.kvstore.engine.index.Op> conditions() {
        return java.util.List.copyOf(conditions);
    }

    /** An exact-size copy of the encoded batch, with its op count set: what the store logs and indexes. */
    byte[] toRecord() {
        byte[] copy = Arrays.copyOf(record, length);
        BatchRecord.setCount(copy, count);
        return copy;
    }

    private void ensureCapacity(int extra) {
        long needed = (long) length + extra;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("write batch would exceed 2 GiB (" + needed + " bytes)");
        }
        if (needed > record.length) {
            record = Arrays.copyOf(record, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * record.length)));
        }
    }

    @Override
    public String toString() {
        return "WriteBatch[" + count + " ops, " + length + " bytes]";
    }
}
