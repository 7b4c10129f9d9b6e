package io.kvstore.bench;

import java.util.List;

/**
 * A document store with secondary indexes, driven by the indexed workloads. Thread-safe. A query
 * on an index the store was not opened with fails (no peer may fall back to a scan), and a query
 * never returns a record that does not match it.
 */
interface IndexedStore extends AutoCloseable {

    /** One record a query returned. */
    record Found(byte[] key, byte[] value) {
    }

    /** Stores the record and its index entries atomically, replacing an earlier version of the key. */
    void put(IndexedDocs.Doc doc);

    /** Records whose {@code email} equals {@code email}, in key order (an equality index). */
    List<Found> byEmail(String email);

    /** The first {@code limit} records whose {@code city} equals {@code city}, in key order. */
    List<Found> byCity(String city, int limit);

    /** The first {@code limit} records with {@code from <= ts <= to}, in {@code ts} order then key order. */
    List<Found> byTs(long from, long to, int limit);

    /** Bytes of every file the store keeps on disk now. */
    long bytesOnDisk();

    @Override
    void close();
}
