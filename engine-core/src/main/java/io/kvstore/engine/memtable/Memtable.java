package io.kvstore.engine.memtable;

import io.kvstore.engine.io.FilterPrefix;
import io.kvstore.engine.io.KeyHash;
import io.kvstore.engine.iterator.InternalIterator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sorted in-memory table: a skip list of internal entries.
 *
 * <pre>
 * Concurrency:
 *   One writer at a time (the group-commit leader) inserts; any number of readers run without
 *   locks. A node is fully built before it is published with a release store into its
 *   predecessors' links, from the bottom level up; readers follow links with acquire loads, so
 *   they see either the whole node or none of it. Nodes are never removed.
 * Memory:
 *   Nodes point into the encoded batch records the writes arrived in (key and value are ranges
 *   of that array), so an insert allocates one node and its link array, nothing of the key's or
 *   value's size. The accounted size is the record bytes plus a fixed node overhead.
 * </pre>
 */
public final class Memtable {

    /** Returned by {@link #get} when the newest visible version is a delete. */
    public static final byte[] DELETED = new byte[0];

    private static final int MAX_HEIGHT = 12;
    private static final int BRANCHING = 4;
    private static final int NODE_OVERHEAD = 64;
    private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(Node[].class);

    private final Node head = new Node(null, 0, 0, 0, 0, 0, MAX_HEIGHT);
    private volatile int height = 1;
    /** Scratch for {@link #add}: the predecessors of the new node per level (single writer). */
    private final Node[] splice = new Node[MAX_HEIGHT];
    private volatile long approximateBytes;
    private volatile long entries;
    /** The WAL file whose records this memtable holds. */
    private final long logNumber;
    /** Lets {@link #get} skip the walk for keys this memtable lacks; {@code null}: none. */
    private final MemtableFilter filter;
    private final FilterPrefix filterPrefix;

    /** A memtable without a key filter: for one that is only written, such as a log replay's. */
    public Memtable(long logNumber) {
        this.logNumber = logNumber;
        this.filter = null;
        this.filterPrefix = FilterPrefix.NONE;
    }

    /**
     * A memtable that serves lookups, with a key filter sized for {@code budgetBytes} (the size at
     * which it will be switched out; see {@link MemtableFilter}) that also holds the keys'
     * prefixes picked by {@code filterPrefix}.
     */
    public Memtable(long logNumber, long budgetBytes, FilterPrefix filterPrefix) {
        this.logNumber = logNumber;
        this.filter = new MemtableFilter(budgetBytes);
        this.filterPrefix = filterPrefix;
    }

    static final class Node {
        final byte[] buf;
        final int keyOff;
        final int keyLen;
        final int valueOff;
        final int valueLen;
        final long trailer;
        final Node[] next;

        Node(byte[] buf, int keyOff, int keyLen, int valueOff, int valueLen, long trailer, int height) {
            this.buf = buf;
            this.keyOff = keyOff;
            this.keyLen = keyLen;
            this.valueOff = valueOff;
            this.valueLen = valueLen;
            this.trailer = trailer;
            this.next = new Node[height];
        }

        Node next(int level) {
            return (Node) NEXT.getAcquire(next, level);
        }
    }

    public long logNumber() {
        return logNumber;
    }

    /**
     * Inserts one version. {@code record} is kept, not copied: it must not change afterwards.
     * Requires: the caller is the only writer.
     *
     * @param valueLen the value's length, ignored for deletes
     */
    public void add(long sequence, byte type, byte[] record, int keyOff, int keyLen, int valueOff, int valueLen) {
        long trailer = InternalKey.trailer(sequence, type);
        Node[] prev = splice;
        Node x = head;
        int level = height - 1;
        while (true) {
            Node next = x.next(level);
            if (next != null && compare(next, record, keyOff, keyLen, trailer) < 0) {
                x = next;
            } else {
                prev[level] = x;
                if (level == 0) {
                    break;
                }
                level--;
            }
        }
        int nodeHeight = randomHeight();
        if (nodeHeight > height) {
            for (int i = height; i < nodeHeight; i++) {
                prev[i] = head;
            }
            height = nodeHeight; // readers seeing the new height early find null links at the top: fine
        }
        if (filter != null) {
            filter.add(record, keyOff, keyLen); // before the node is linked: see MemtableFilter
            int prefixLen = filterPrefix.length(record, keyOff, keyLen);
            if (prefixLen >= 0) {
                filter.add(record, keyOff, prefixLen);
            }
        }
        Node node = new Node(record, keyOff, keyLen, valueOff, type == InternalKey.TYPE_DELETE ? 0 : valueLen, trailer,
                nodeHeight);
        for (int i = 0; i < nodeHeight; i++) {
            node.next[i] = prev[i].next(i); // plain store: node is not yet published
            NEXT.setRelease(prev[i].next, i, node);
        }
        approximateBytes += keyLen + (type == InternalKey.TYPE_DELETE ? 0 : valueLen) + NODE_OVERHEAD;
        entries++;
    }

    /**
     * The newest version of {@code key} with a sequence number at most {@code sequence}: a copy of
     * its value, {@link #DELETED} if that version is a delete or expired at {@code nowMillis}, or
     * {@code null} if this memtable has no visible version of the key.
     */
    public byte[] get(byte[] key, long sequence, long nowMillis) {
        return get(key, KeyHash.of(key, 0, key.length), sequence, nowMillis);
    }

    /** {@link #get(byte[], long, long)} for a key whose {@link KeyHash} the caller has. */
    public byte[] get(byte[] key, long keyHash, long sequence, long nowMillis) {
        if (filter != null && !filter.mayContain(keyHash)) {
            return null;
        }
        Node node = findGreaterOrEqual(key, 0, key.length, InternalKey.lookupTrailer(sequence));
        if (node == null || !Arrays.equals(node.buf, node.keyOff, node.keyOff + node.keyLen, key, 0, key.length)) {
            return null;
        }
        return InternalKey.resolve(node.trailer, node.buf, node.valueOff, node.valueLen, nowMillis, DELETED);
    }

    /**
     * {@code false} when this memtable certainly holds no key with the filtered prefix whose
     * {@link io.kvstore.engine.io.KeyHash} is {@code prefixHash}.
     */
    public boolean mayContainPrefix(long prefixHash) {
        return filter == null || filter.mayContain(prefixHash);
    }

    public long approximateBytes() {
        return approximateBytes;
    }

    public long entries() {
        return entries;
    }

    public boolean isEmpty() {
        return head.next(0) == null;
    }

    /** An iterator over every version in internal-key order. */
    public InternalIterator iterator() {
        return new MemtableIterator();
    }

    private Node findGreaterOrEqual(byte[] key, int off, int len, long trailer) {
        Node x = head;
        int level = height - 1;
        while (true) {
            Node next = x.next(level);
            if (next != null && compare(next, key, off, len, trailer) < 0) {
                x = next;
            } else if (level == 0) {
                return next;
            } else {
                level--;
            }
        }
    }

    private static int compare(Node node, byte[] key, int off, int len, long trailer) {
        return InternalKey.compare(node.buf, node.keyOff, node.keyLen, node.trailer, key, off, len, trailer);
    }

    private static int randomHeight() {
        int h = 1;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (h < MAX_HEIGHT && random.nextInt(BRANCHING) == 0) {
            h++;
        }
        return h;
    }

    private final class MemtableIterator implements InternalIterator {
        private Node current;

        @Override
        public boolean isValid() {
            return current != null;
        }

        @Override
        public void seekToFirst() {
            current = head.next(0);
        }

        @Override
        public void seek(byte[] userKey, long trailer) {
            current = findGreaterOrEqual(userKey, 0, userKey.length, trailer);
        }

        @Override
        public void next() {
            current = current.next(0);
        }

        @Override
        public byte[] keyArray() {
            return current.buf;
        }

        @Override
        public int keyOffset() {
            return current.keyOff;
        }

        @Override
        public int keyLength() {
            return current.keyLen;
        }

        @Override
        public long trailer() {
            return current.trailer;
        }

        @Override
        public byte[] valueArray() {
            return current.buf;
        }

        @Override
        public int valueOffset() {
            return current.valueOff;
        }

        @Override
        public int valueLength() {
            return current.valueLen;
        }

        @Override
        public void close() {
            current = null;
        }
    }
}
