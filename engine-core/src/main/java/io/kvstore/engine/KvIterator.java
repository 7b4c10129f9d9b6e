package io.kvstore.engine;

import java.util.Iterator;

/**
 * An ordered, lazy iterator over the entries of a {@link KeyRange}, in unsigned byte order of the
 * keys. It reads the store as of the moment the scan started (or as of its {@link Snapshot}) and
 * holds at most one block per source in memory. Close it: an open iterator keeps the table files
 * it reads from on disk.
 */
public interface KvIterator extends Iterator<KvEntry>, AutoCloseable {

    /** Releases the files this iterator pins. Idempotent; no exception. */
    @Override
    void close();
}
