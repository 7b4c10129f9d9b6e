package io.kvstore.engine.iterator;

import io.kvstore.engine.memtable.InternalKey;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges several internal iterators into one stream in internal-key order. Equal internal keys
 * (the same version seen in a memtable and in the table it was just flushed to) both appear;
 * the user-level iterator skips every version after the first of a user key.
 */
public final class MergingIterator extends ForwardingIterator {

    private final List<InternalIterator> children;
    private final PriorityQueue<InternalIterator> heap;
    private InternalIterator current;

    public MergingIterator(List<InternalIterator> children) {
        this.children = children;
        this.heap = new PriorityQueue<>(Math.max(1, children.size()), MergingIterator::compare);
    }

    private static int compare(InternalIterator a, InternalIterator b) {
        return InternalKey.compare(a.keyArray(), a.keyOffset(), a.keyLength(), a.trailer(), b.keyArray(),
                b.keyOffset(), b.keyLength(), b.trailer());
    }

    @Override
    public boolean isValid() {
        return current != null;
    }

    @Override
    public void seekToFirst() {
        heap.clear();
        for (InternalIterator child : children) {
            child.seekToFirst();
            if (child.isValid()) {
                heap.add(child);
            }
        }
        current = heap.poll();
    }

    @Override
    public void seek(byte[] userKey, long trailer) {
        heap.clear();
        for (InternalIterator child : children) {
            child.seek(userKey, trailer);
            if (child.isValid()) {
                heap.add(child);
            }
        }
        current = heap.poll();
    }

    @Override
    public void next() {
        current.next();
        if (current.isValid()) {
            heap.add(current);
        }
        current = heap.poll();
    }

    @Override
    protected InternalIterator current() {
        return current;
    }

    @Override
    public void close() {
        for (InternalIterator child : children) {
            child.close();
        }
        heap.clear();
        current = null;
    }
}
