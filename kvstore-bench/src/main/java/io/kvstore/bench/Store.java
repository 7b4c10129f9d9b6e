package io.kvstore.bench;

/**
 * The one shape every benchmarked store is driven through. Implementations are thread-safe: the
 * N-thread workloads call every method from several threads at once.
 */
public interface Store extends AutoCloseable {

    void put(byte[] key, byte[] value);

    /** The value, or {@code null} when the key is absent. */
    byte[] get(byte[] key);

    void delete(byte[] key);

    /**
     * Positions at the first key at or after {@code fromKey} and reads up to {@code n} entries in
     * key order.
     *
     * @return the number of entries read
     * @throws UnsupportedOperationException if the store keeps no key order (the hash-map ceiling)
     */
    int scan(byte[] fromKey, int n);

    /** Bytes of every file the store keeps on disk now (0 for in-memory stores). */
    long bytesOnDisk();

    @Override
    void close();
}
