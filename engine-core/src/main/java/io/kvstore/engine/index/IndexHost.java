package io.kvstore.engine.index;

/**
 * What the index package needs from the store it lives in; implemented by {@code KvStore}, not
 * meant for applications. Keys here are user keys, or "own" keys: the store's own entries
 * (postings, definitions), which live in a key space user reads never see.
 */
public interface IndexHost {

    /** A consistent read of the latest state. Close it (after its cursors). */
    Read read();

    /**
     * Runs {@code work} as one atomic write: the commit leader calls
     * {@link IndexManager.Group#expand} for it alone, with no other writer in its group.
     */
    void write(IndexWork work);

    /** The store, for messages. */
    String describe();

    /** Whether index queries and index creation are allowed in this store. */
    default boolean queriesEnabled() {
        return true;
    }

    interface Read extends AutoCloseable {
        /** The value of user key {@code key}, or {@code null}. */
        byte[] get(byte[] key);

        /** User records with keys in {@code [from, to)} ({@code null}: open). */
        Cursor scanUser(byte[] from, byte[] to);

        /** Own entries with keys in {@code [from, to)} ({@code to == null}: to the end of the own space). */
        Cursor scanOwn(byte[] from, byte[] to);

        /**
         * Own entries whose keys start with {@code termPrefix}, a posting prefix
         * {@code 'P' · id · term}: the postings of one term. Unlike {@link #scanOwn}, it skips the
         * tables and memtables whose filters hold no key with that prefix.
         */
        Cursor scanTerm(byte[] termPrefix);

        /** The store clock's time this read sees expiry at. */
        long nowMillis();

        @Override
        void close();
    }

    /** A forward cursor: call {@link #next()} before the first entry. */
    interface Cursor extends AutoCloseable {
        boolean next();

        byte[] key();

        byte[] value();

        /** Expiry of the current entry in epoch millis, 0 if none. */
        long expiresAt();

        /** Repositions so that {@link #next()} returns the first entry at or after {@code key}. */
        void seek(byte[] key);

        @Override
        void close();
    }
}
