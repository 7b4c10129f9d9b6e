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
    /** Storage-key bounds (see {@link StorageKeys}): inclusive start, exclusive end, {@code null} when open. */
    private final byte[] from;
    private final byte[] to;
    /** What is scanned, for error messages. */
    private final String what;
    private final long sequence;
    private final long nowMillis;
    private final Runnable release;
    private byte[] skipKey = new byte[64];
    private int skipKeyLen = -1;
    private KvEntry next;
    /** Expiry of the entry {@link #next()} returned last, 0 when it has none. */
    private long nextExpiresAt;
    private long lastExpiresAt;
    private boolean closed;

    StoreIterator(KvStore store, InternalIterator merged, byte[] from, byte[] to, String what, long sequence,
            long nowMillis, Runnable release) {
        this.store = store;
        this.merged = merged;
        this.from = from;
        this.to = to;
        this.what = what;
        this.sequence = sequence;
        this.nowMillis = nowMillis;
        this.release = release;
        if (from == null) {
            merged.seekToFirst();
        } else {
            merged.seek(from, InternalKey.SEEK_TRAILER);
        }
    }

    /**
     * Repositions at the first entry at or after storage key {@code target} (never before the
     * scan's start): lets index queries skip ahead without opening a new scan.
     */
    void seek(byte[] target) {
        if (closed) {
            return;
        }
        next = null;
        skipKeyLen = -1;
        byte[] at = from != null && Arrays.compareUnsigned(target, from) < 0 ? from : target;
        try {
            merged.seek(at, InternalKey.SEEK_TRAILER);
        } catch (RuntimeException e) {
            throw store.translate(e, what);
        }
    }

    /** When the entry last returned by {@link #next()} expires (epoch millis), or 0 if it does not. */
    long lastExpiresAt() {
        return lastExpiresAt;
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
            throw new NoSuchElementException(what + " has no more entries");
        }
        KvEntry entry = next;
        next = null;
        lastExpiresAt = nextExpiresAt;
        return entry;
    }

    private KvEntry advance() {
        try {
            while (merged.isValid()) {
                byte[] key = merged.keyArray();
                int off = merged.keyOffset();
                int len = merged.keyLength();
                long trailer = merged.trailer();
                if (to != null && Arrays.compareUnsigned(key, off, off + len, to, 0, to.length) >= 0) {
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
                nextExpiresAt = InternalKey.type(trailer) == InternalKey.TYPE_PUT_TTL
                        ? io.kvstore.engine.io.Coding.getLong(merged.valueArray(), merged.valueOffset()) : 0;
                KvEntry entry = new KvEntry(StorageKeys.strip(key, off, len), value);
                merged.next();
                return entry;
            }
            return null;
        } catch (RuntimeException e) {
            throw store.translate(e, what);
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
