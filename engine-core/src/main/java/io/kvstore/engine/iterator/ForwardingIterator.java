package io.kvstore.engine.iterator;

/**
 * Base of iterators that expose the entry of one child at a time (merging, level
 * concatenation): the accessors forward to {@link #current()}.
 */
public abstract class ForwardingIterator implements InternalIterator {

    /** The child positioned at this iterator's entry. Requires: {@link #isValid()}. */
    protected abstract InternalIterator current();

    @Override
    public byte[] keyArray() {
        return current().keyArray();
    }

    @Override
    public int keyOffset() {
        return current().keyOffset();
    }

    @Override
    public int keyLength() {
        return current().keyLength();
    }

    @Override
    public long trailer() {
        return current().trailer();
    }

    @Override
    public byte[] valueArray() {
        return current().valueArray();
    }

    @Override
    public int valueOffset() {
        return current().valueOffset();
    }

    @Override
    public int valueLength() {
        return current().valueLength();
    }
}
