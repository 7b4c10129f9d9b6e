package io.kvstore.engine;

/**
 * Told of every completed store operation, for metrics ({@link KvStoreOptions#withOperationListener}).
 * Called on the operation's thread after it finishes; keep it cheap and never throw. With no
 * listener set, the store does not even read the clock.
 */
@FunctionalInterface
public interface OperationListener {

    /** The operations reported. {@code SCAN} covers opening the iterator, not reading it. */
    enum Operation { GET, PUT, DELETE, WRITE, SCAN, QUERY }

    /**
     * @param operation what ran
     * @param nanos     how long it took
     * @param failure   what it threw, or {@code null} on success
     */
    void completed(Operation operation, long nanos, Throwable failure);
}
