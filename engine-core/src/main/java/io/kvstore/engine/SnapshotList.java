package io.kvstore.engine;

import java.util.TreeMap;

/**
 * The sequence numbers of open snapshots, as a multiset: flushes (and, later, compactions) keep
 * every version some snapshot can still see. Thread-safe.
 */
final class SnapshotList {

    private final TreeMap<Long, Integer> counts = new TreeMap<>();
    private int size;

    synchronized void add(long sequence) {
        counts.merge(sequence, 1, Integer::sum);
        size++;
    }

    synchronized void remove(long sequence) {
        counts.computeIfPresent(sequence, (k, n) -> n == 1 ? null : n - 1);
        size--;
    }

    /** The oldest open snapshot's sequence, or {@code ifNone} if none is open. */
    synchronized long oldest(long ifNone) {
        return counts.isEmpty() ? ifNone : counts.firstKey();
    }

    synchronized int size() {
        return size;
    }
}
