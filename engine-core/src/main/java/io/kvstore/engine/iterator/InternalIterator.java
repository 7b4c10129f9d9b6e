package io.kvstore.engine.iterator;

/**
 * A cursor over internal entries (user key, trailer, value) in internal-key order: the common
 * shape of memtable, table, level and merging iterators.
 *
 * <p>Accessors return views into the source's own buffers, valid until the next move: callers
 * that keep a key or value copy it. Requires: {@link #isValid()} before any accessor.
 */
public interface InternalIterator extends AutoCloseable {

    boolean isValid();

    void seekToFirst();

    /** Positions at the first entry at or after {@code (userKey, trailer)} in internal-key order. */
    void seek(byte[] userKey, long trailer);

    void next();

    byte[] keyArray();

    int keyOffset();

    int keyLength();

    long trailer();

    byte[] valueArray();

    int valueOffset();

    int valueLength();

    /** Releases what the iterator holds (blocks, pinned files). Idempotent, no exception. */
    @Override
    void close();
}
