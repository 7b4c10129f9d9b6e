package io.kvstore.engine;

/**
 * A {@link Snapshot} of a {@link KvStore}: the sequence number it reads at, and the clock time at
 * which entries with a time-to-live are judged, so it keeps seeing what was live when it was taken.
 * Registered in the store's {@link SnapshotList} until closed.
 */
final class StoreSnapshot implements Snapshot {

    final KvStore owner;
    final long sequence;
    final long timeMillis;
    private final SnapshotList registry;
    private boolean released;

    StoreSnapshot(KvStore owner, SnapshotList registry, long sequence, long timeMillis) {
        this.owner = owner;
        this.registry = registry;
        this.sequence = sequence;
        this.timeMillis = timeMillis;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    synchronized boolean isReleased() {
        return released;
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            registry.remove(sequence, timeMillis);
        }
    }

    @Override
    public String toString() {
        return "Snapshot[" + owner.directory() + " @" + sequence + (released ? ", closed]" : "]");
    }
}
