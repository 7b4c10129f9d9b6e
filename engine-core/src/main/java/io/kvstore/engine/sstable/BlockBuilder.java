package io.kvstore.engine.sstable;

import io.kvstore.engine.io.Coding;
import java.util.Arrays;

/**
 * Builds one block of sorted entries with prefix-compressed keys; see {@link Block} for the layout.
 *
 * <p>Every {@code restartInterval}-th key is stored whole (a restart point) so a reader can
 * binary-search the restart array and decode forward from there.
 */
final class BlockBuilder {

    private final int restartInterval;
    private byte[] buf = new byte[8192];
    private int size;
    private int[] restarts = new int[64];
    private int restartCount;
    private int sinceRestart;
    private byte[] lastKey = new byte[64];
    private int lastKeyLen;
    private int entries;

    BlockBuilder(int restartInterval) {
        this.restartInterval = restartInterval;
        reset();
    }

    void reset() {
        size = 0;
        restartCount = 0;
        addRestart();
        sinceRestart = 0;
        lastKeyLen = 0;
        entries = 0;
    }

    /** Adds an entry; {@code key} must sort after the previous key of this block. */
    void add(byte[] key, int keyOff, int keyLen, byte[] value, int valueOff, int valueLen) {
        int shared = 0;
        if (sinceRestart < restartInterval) {
            int limit = Math.min(lastKeyLen, keyLen);
            int mismatch = Arrays.mismatch(lastKey, 0, limit, key, keyOff, keyOff + limit);
            shared = mismatch < 0 ? limit : mismatch;
        } else {
            addRestart();
            sinceRestart = 0;
        }
        int unshared = keyLen - shared;
        ensure(15 + unshared + valueLen);
        size = Coding.putVarint32(buf, size, shared);
        size = Coding.putVarint32(buf, size, unshared);
        size = Coding.putVarint32(buf, size, valueLen);
        System.arraycopy(key, keyOff + shared, buf, size, unshared);
        size += unshared;
        System.arraycopy(value, valueOff, buf, size, valueLen);
        size += valueLen;
        if (lastKey.length < keyLen) {
            lastKey = new byte[Math.max(keyLen, lastKey.length * 2)];
        }
        System.arraycopy(key, keyOff, lastKey, 0, keyLen);
        lastKeyLen = keyLen;
        sinceRestart++;
        entries++;
    }

    boolean isEmpty() {
        return entries == 0;
    }

    /** Size of the block if finished now. */
    int estimatedSize() {
        return size + restartCount * 4 + 4;
    }

    /** The last key added (valid until the next add or reset). */
    byte[] lastKey() {
        return lastKey;
    }

    int lastKeyLength() {
        return lastKeyLen;
    }

    /** Appends the restart array; the block's contents are {@link #buffer()}[0..returned). */
    int finish() {
        ensure(restartCount * 4 + 4);
        for (int i = 0; i < restartCount; i++) {
            Coding.putInt(buf, size, restarts[i]);
            size += 4;
        }
        Coding.putInt(buf, size, restartCount);
        size += 4;
        return size;
    }

    byte[] buffer() {
        return buf;
    }

    private void addRestart() {
        if (restartCount == restarts.length) {
            restarts = Arrays.copyOf(restarts, restartCount * 2);
        }
        restarts[restartCount++] = size;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + extra, buf.length * 2));
        }
    }
}
