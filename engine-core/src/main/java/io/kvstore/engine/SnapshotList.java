package io.kvstore.engine;

import java.util.TreeMap;

/**
 * The open snapshots, as multisets of their sequence numbers and of the clock times they were
 * taken at: flushes and compactions keep every version some snapshot can still see, and every
 * entry with a time-to-live that some snapshot still sees unexpired. Thread-safe.
 */
final class SnapshotList {

    private final TreeMap<Long, Integer> sequences = new TreeMap<>();
    private final TreeMap<Long, Integer> times = new TreeMap<>();
    private int size;

    synchronized void add(long sequence, long timeMillis) {
        sequences.merge(sequence, 1, Integer::sum);
        times.merge(timeMillis, 1, Integer::sum);
        size++;
    }

    synchronized void remove(long sequence, long timeMillis) {
        sequences.computeIfPresent(sequence, (k, n) -> n == 1 ? null : n - 1);
        times.computeIfPresent(timeMillis, (k, n) -> n == 1 ? null : n - 1);
        size--;
    }

    /** The oldest open snapshot's sequence, or {@code ifNone} if none is open. */
    synchronized long oldest(long ifNone) {
        return sequences.isEmpty() ? ifNone : sequences.firstKey();
    }

    /** The earliest time an open snapshot was taken at, or {@code ifNone} if none is open. */
    synchronized long earliestTime(long ifNone) {
        return times.isEmpty() ? ifNone : Math.min(ifNone, times.firstKey());
    }

    synchronized int size() {
        return size;
    }
}
