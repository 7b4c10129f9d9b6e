package io.kvstore.engine;

/**
 * A point-in-time view of a {@link KvStore}: {@link KvStore#get(byte[], Snapshot)} and
 * {@link KvStore#scan(KeyRange, Snapshot)} see exactly the writes acknowledged before
 * {@link KvStore#snapshot()} returned. Close it so the engine can drop the versions it keeps alive.
 */
public interface Snapshot extends AutoCloseable {

    /** The sequence number of the last write this snapshot sees. */
    long sequence();

    /** Releases the snapshot. Idempotent. */
    @Override
    void close();
}
