package io.kvstore.engine;

import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The user-level scan: turns the merged stream of internal entries into the newest visible value
 * of each key in a range, skipping versions newer than the read sequence, shadowed versions,
 * deleted keys and entries expired at the read time. Keys and values handed out are copies.
 */
final class StoreIterator implements KvIterator {

    private final KvStore store;
    private final InternalIterator merged;
    private final KeyRange range;
    private final long sequence;
    private final long nowMillis;
    private final Runnable release;
    private byte[] skipKey = new byte[64];
    private int skipKeyLen = -1;
    private KvEntry next;
    private boolean closed;

    StoreIterator(KvStore store, InternalIterator merged, KeyRange range, long sequence, long nowMillis,
            Runnable release) {
        this.store = store;
        this.merged = merged;
        this.range = range;
        this.sequence = sequence;
        this.nowMillis = nowMillis;
        this.release = release;
        if (range.from == null) {
            merged.seekToFirst();
        } else {
            merged.seek(range.from, InternalKey.SEEK_TRAILER);
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed) {
            return false;
        }
        store.checkReadable("iterator");
        next = advance();
        if (next == null) {
            close();
            return false;
        }
        return true;
    }

    @Override
    public KvEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("scan of " + range + " has no more entries");
        }
        KvEntry entry = next;
        next = null;
        return entry;
    }

    private KvEntry advance() {
        try {
            while (merged.isValid()) {
                byte[] key = merged.keyArray();
                int off = merged.keyOffset();
                int len = merged.keyLength();
                long trailer = merged.trailer();
                if (range.isBeyondEnd(key, off, len)) {
                    return null;
                }
                boolean sameAsSkipped = len == skipKeyLen && Arrays.equals(skipKey, 0, len, key, off, off + len);
                if (sameAsSkipped || InternalKey.sequence(trailer) > sequence) {
                    merged.next();
                    continue;
                }
                // The newest visible version of a new key: it decides; older versions are skipped.
                remember(key, off, len);
                byte[] value = InternalKey.resolve(trailer, merged.valueArray(), merged.valueOffset(),
                        merged.valueLength(), nowMillis, null);
                if (value == null) {
                    merged.next(); // deleted or expired
                    continue;
                }
                KvEntry entry = new KvEntry(Arrays.copyOfRange(key, off, off + len), value);
                merged.next();
                return entry;
            }
            return null;
        } catch (RuntimeException e) {
            throw store.translate(e, "scan of " + range);
        }
    }

    private void remember(byte[] key, int off, int len) {
        if (skipKey.length < len) {
            skipKey = new byte[Math.max(len, skipKey.length * 2)];
        }
        System.arraycopy(key, off, skipKey, 0, len);
        skipKeyLen = len;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            merged.close();
            release.run();
        }
    }
}
