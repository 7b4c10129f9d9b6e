package io.kvstore.engine.index;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.index.IndexManager.Live;
import io.kvstore.engine.index.IndexQuery.And;
import io.kvstore.engine.index.IndexQuery.Eq;
import io.kvstore.engine.index.IndexQuery.Leaf;
import io.kvstore.engine.index.IndexQuery.Node;
import io.kvstore.engine.index.IndexQuery.Or;
import io.kvstore.engine.index.IndexQuery.Prefix;
import io.kvstore.engine.index.IndexQuery.Range;
import io.kvstore.engine.index.IndexQuery.Text;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans and runs {@link IndexQuery}s on one consistent read.
 *
 * <p>Plans. Results come in primary key order, or for a range (or an AND with a range part) in
 * the range's term order:
 * <ul>
 * <li>key order: each leaf is a stream of keys in key order; an equality term's postings already
 *     are one, {@code in} merges several, a text query intersects its words; prefix and range
 *     leaves are collected and sorted. AND is a streaming leapfrog intersection, the child with
 *     the fewest postings (by a bounded count, {@link #PROBE}) first; OR a merge.
 * <li>term order: when the range has no more postings than the rest of the AND, its postings are
 *     read in order and each record checked against the rest; otherwise the rest's (fewer) keys
 *     are read, their records checked against the range and sorted by term. Descending queries
 *     sort too.
 * </ul>
 * Postings and records come from the same read, so they agree; nothing else is ever scanned.
 */
final class QueryExecutor {

    /** Postings counted per leaf when estimating which side of an AND to start from. */
    static final int PROBE = 256;
    /** Most postings a query sorts in memory. */
    static final int MAX_SORTED = 2_000_000;

    private final IndexHost host;
    private final IndexManager manager;

    QueryExecutor(IndexHost host, IndexManager manager) {
        this.host = host;
        this.manager = manager;
    }

    QueryPage page(IndexQuery q) {
        try (Run run = new Run(q)) {
            return run.page();
        }
    }

    long count(IndexQuery q) {
        try (Run run = new Run(q)) {
            return run.count();
        }
    }

    /** One execution: the read, the indexes the query names, its budget. */
    private final class Run implements AutoCloseable {
        final IndexQuery q;
        final IndexHost.Read read;
        final Map<String, Live> indexes = new HashMap<>();
        final long deadline;
        long scanned;
        final List<IndexHost.Cursor> open = new ArrayList<>();
        /** The range leaf whose terms order the results, or null for key order. */
        final Range orderBy;

        Run(IndexQuery q) {
            this.q = q;
            resolve(q.node);
            this.orderBy = q.keyOrder ? null : orderingRange(q.node);
            this.deadline = q.timeout == null ? Long.MAX_VALUE : System.nanoTime() + q.timeout.toNanos();
            this.read = host.read();
        }

        private void resolve(Node n) {
            if (n instanceof And a) {
                a.parts().forEach(this::resolve);
            } else if (n instanceof Or o) {
                o.parts().forEach(this::resolve);
            } else {
                Leaf leaf = (Leaf) n;
                Live l = indexes.computeIfAbsent(leaf.index(), manager::queryable);
                IndexType type = l.definition.type();
                String need;
                if (leaf instanceof Eq) {
                    need = type == IndexType.TEXT ? "an EQUALITY, RANGE or PREFIX index (use text() on TEXT indexes)" : null;
                } else if (leaf instanceof Range) {
                    need = type == IndexType.RANGE ? null : "a RANGE index";
                } else if (leaf instanceof Prefix) {
                    need = type == IndexType.RANGE || type == IndexType.PREFIX ? null : "a PREFIX or RANGE index";
                } else {
                    need = type == IndexType.TEXT ? null : "a TEXT index";
                }
                if (need != null) {
                    throw new IllegalArgumentException("query " + leaf + " needs " + need + ", but index '"
                            + leaf.index() + "' is " + type);
                }
            }
        }

        private Range orderingRange(Node n) {
            if (n instanceof Range r) {
                return r;
            }
            if (n instanceof And a) {
                for (Node p : a.parts()) {
                    if (p instanceof Range r) {
                        return r;
                    }
                }
            }
            return null;
        }

        // ------------------------------------------------------------ budget

        void tick() {
            scanned++;
            if (scanned > q.maxPostingsScanned) {
                throw new QueryLimitException("query " + q.node + " read more than maxPostingsScanned = "
                        + q.maxPostingsScanned + " postings");
            }
            if ((scanned & 127) == 0) {
                checkTime();
            }
        }

        void checkTime() {
            if (System.nanoTime() > deadline) {
                throw new QueryLimitException("query " + q.node + " ran past its timeout of " + q.timeout
                        + " (after reading " + scanned + " postings)");
            }
        }

        IndexHost.Cursor scan(byte[] from, byte[] to) {
            return closedWithRun(read.scanOwn(from, to));
        }

        IndexHost.Cursor closedWithRun(IndexHost.Cursor c) {
            open.add(c);
            return c;
        }

        // ------------------------------------------------------------ pages

        QueryPage page() {
            byte[] after = decodeCursor(q.cursor);
            List<Hit> hits = new ArrayList<>();
            if (orderBy == null && q.descending) {
                // Keys largest first: collected and reversed (streams only run forwards).
                KeyStream s = keys(q.node);
                List<byte[]> before = new ArrayList<>();
                while (s.next() && (after == null || Arrays.compareUnsigned(s.key(), after) < 0)) {
                    before.add(s.key());
                    if (before.size() > MAX_SORTED) {
                        throw tooManyToSort();
                    }
                }
                for (int i = before.size() - 1; i >= 0 && hits.size() <= q.limit; i--) {
                    byte[] value = read.get(before.get(i));
                    if (value != null) {
                        hits.add(new Hit(before.get(i), before.get(i), value));
                    }
                }
            } else if (orderBy == null) {
                KeyStream s = keys(q.node);
                boolean ok = after == null ? s.next() : s.seek(IndexManager.successor(after));
                while (ok && hits.size() <= q.limit) {
                    byte[] value = read.get(s.key());
                    if (value != null) {
                        hits.add(new Hit(s.key(), s.key(), value));
                    }
                    ok = s.next();
                }
            } else {
                termOrder(after, q.limit + 1, hits);
            }
            checkTime();
            String cursor = null;
            if (hits.size() > q.limit) {
                hits.subList(q.limit, hits.size()).clear();
                cursor = encodeCursor(hits.get(hits.size() - 1).position);
            }
            List<KvEntry> entries = new ArrayList<>(hits.size());
            for (Hit h : hits) {
                entries.add(new KvEntry(h.key, h.value));
            }
            return new QueryPage(entries, cursor);
        }

        /**
         * Counts postings, never records: order does not matter for a count, so every query is
         * counted as its key-ordered stream, and a lone range on a single-valued index (one
         * posting per record) just counts the postings in its span, holding nothing in memory.
         */
        long count() {
            long n = 0;
            if (q.node instanceof Range r && !indexes.get(r.index()).definition.extractor().multiValued()) {
                byte[] prefix = IndexManager.postingPrefix(indexes.get(r.index()).id);
                IndexHost.Cursor c = scan(concat(prefix, r.start()),
                        r.end() == null ? Terms.prefixSuccessor(prefix) : concat(prefix, r.end()));
                while (c.next()) {
                    tick();
                    n++;
                }
                return n;
            }
            KeyStream s = keys(q.node);
            while (s.next()) {
                n++;
            }
            return n;
        }

        /** Up to {@code max} hits in term order after position {@code after}. */
        private void termOrder(byte[] after, int max, List<Hit> hits) {
            Live r = indexes.get(orderBy.index());
            List<Node> rest = new ArrayList<>();
            if (q.node instanceof And a) {
                for (Node p : a.parts()) {
                    if (p != orderBy) {
                        rest.add(p);
                    }
                }
            }
            Node filter = rest.isEmpty() ? null : rest.size() == 1 ? rest.get(0) : new And(List.copyOf(rest));
            boolean driveByRange = !q.descending && (filter == null || estimate(orderBy) <= estimate(filter));
            if (driveByRange) {
                byte[] prefix = IndexManager.postingPrefix(r.id);
                byte[] from = concat(prefix, after != null ? IndexManager.successor(after) : orderBy.start());
                byte[] to = orderBy.end() == null ? Terms.prefixSuccessor(prefix) : concat(prefix, orderBy.end());
                IndexHost.Cursor c = scan(from, to);
                while (hits.size() < max && c.next()) {
                    tick();
                    byte[] position = Arrays.copyOfRange(c.key(), prefix.length, c.key().length);
                    int termLen = Terms.length(position, 0, position.length);
                    byte[] term = Arrays.copyOf(position, termLen);
                    byte[] key = Arrays.copyOfRange(position, termLen, position.length);
                    byte[] value = read.get(key);
                    if (value == null) {
                        continue;
                    }
                    ParsedValue parsed = new ParsedValue(key, value);
                    if (r.definition.extractor().multiValued() && !Arrays.equals(term, firstTerm(r, parsed))) {
                        continue; // listed again at a later term: the record appears once, at its first
                    }
                    if (filter == null || matches(filter, parsed)) {
                        hits.add(new Hit(key, position, value));
                    }
                }
                return;
            }
            // The other side is smaller (or the order is descending): collect, check, sort.
            KeyStream s = filter != null ? keys(filter) : keys(orderBy);
            List<Hit> all = new ArrayList<>();
            while (s.next()) {
                byte[] key = s.key();
                byte[] value = read.get(key);
                if (value == null) {
                    continue;
                }
                ParsedValue parsed = new ParsedValue(key, value);
                if (filter != null && !matches(filter, parsed)) {
                    continue;
                }
                byte[] term = q.descending ? lastTerm(r, parsed) : firstTerm(r, parsed);
                if (term == null) {
                    continue;
                }
                byte[] position = concat(term, key);
                if (after != null && (q.descending ? Arrays.compareUnsigned(position, after) >= 0
                        : Arrays.compareUnsigned(position, after) <= 0)) {
                    continue;
                }
                all.add(new Hit(key, position, value));
                if (all.size() > MAX_SORTED) {
                    throw tooManyToSort();
                }
            }
            Comparator<Hit> order = (x, y) -> Arrays.compareUnsigned(x.position, y.position);
            all.sort(q.descending ? order.reversed() : order);
            hits.addAll(all.subList(0, Math.min(max, all.size())));
        }

        private byte[] firstTerm(Live r, ParsedValue v) {
            for (byte[] t : IndexManager.terms(r, v)) {
                if (orderBy.contains(t)) {
                    return t;
                }
            }
            return null;
        }

        private byte[] lastTerm(Live r, ParsedValue v) {
            byte[] last = null;
            for (byte[] t : IndexManager.terms(r, v)) {
                if (orderBy.contains(t)) {
                    last = t;
                }
            }
            return last;
        }

        // ------------------------------------------------------------ checking a record

        /** Whether the record matches {@code n}, judged by the terms its indexes extract from it. */
        private boolean matches(Node n, ParsedValue v) {
            if (n instanceof And a) {
                return a.parts().stream().allMatch(p -> matches(p, v));
            }
            if (n instanceof Or o) {
                return o.parts().stream().anyMatch(p -> matches(p, v));
            }
            Leaf leaf = (Leaf) n;
            Live l = indexes.get(leaf.index());
            if (!l.definition.covers(v.key)) {
                return false;
            }
            List<byte[]> terms = IndexManager.terms(l, v);
            if (leaf instanceof Eq e) {
                return terms.stream().anyMatch(t -> e.terms().stream().anyMatch(x -> Arrays.equals(x, t)));
            }
            if (leaf instanceof Range r) {
                return terms.stream().anyMatch(r::contains);
            }
            if (leaf instanceof Prefix p) {
                return terms.stream().anyMatch(t -> Terms.startsWith(t, p.termPrefix()));
            }
            Text t = (Text) leaf;
            return t.terms().stream().allMatch(w -> terms.stream().anyMatch(x -> Arrays.equals(x, w)));
        }

        // ------------------------------------------------------------ key-ordered streams

        private KeyStream keys(Node n) {
            if (n instanceof Eq e) {
                int id = indexes.get(e.index()).id;
                if (e.terms().size() == 1) { // the common lookup: no union, no stream
                    return new TermPostings(id, e.terms().get(0));
                }
                return union(e.terms().stream().map(t -> (KeyStream) new TermPostings(id, t)).toList());
            }
            if (n instanceof Text t) {
                return intersect(t.terms().stream().map(w -> (KeyStream) new TermPostings(
                        indexes.get(t.index()).id, w)).toList());
            }
            if (n instanceof Prefix p) {
                return sorted(indexes.get(p.index()).id, p.termPrefix(), Terms.prefixSuccessor(p.termPrefix()));
            }
            if (n instanceof Range r) {
                return sorted(indexes.get(r.index()).id, r.start(), r.end());
            }
            if (n instanceof And a) {
                // Most selective first: it drives the leapfrog, the others only seek.
                List<Node> parts = new ArrayList<>(a.parts());
                Map<Node, Long> sizes = new HashMap<>();
                parts.forEach(p -> sizes.put(p, estimate(p)));
                parts.sort(Comparator.comparing(sizes::get));
                return intersect(parts.stream().map(this::keys).toList());
            }
            return union(((Or) n).parts().stream().map(this::keys).toList());
        }

        private KeyStream union(List<KeyStream> parts) {
            return parts.size() == 1 ? parts.get(0) : new Union(parts);
        }

        private KeyStream intersect(List<KeyStream> parts) {
            return parts.size() == 1 ? parts.get(0) : new Intersection(parts);
        }

        /** The keys of every posting with a term in {@code [start, end)}, sorted and distinct. */
        private KeyStream sorted(int id, byte[] start, byte[] end) {
            byte[] prefix = IndexManager.postingPrefix(id);
            IndexHost.Cursor c = scan(concat(prefix, start), end == null ? Terms.prefixSuccessor(prefix) : concat(prefix, end));
            List<byte[]> keys = new ArrayList<>();
            while (c.next()) {
                tick();
                byte[] k = c.key();
                int termLen = Terms.length(k, prefix.length, k.length);
                keys.add(Arrays.copyOfRange(k, prefix.length + termLen, k.length));
                if (keys.size() > MAX_SORTED) {
                    throw tooManyToSort();
                }
            }
            keys.sort(Arrays::compareUnsigned);
            List<byte[]> distinct = new ArrayList<>(keys.size());
            for (byte[] k : keys) {
                if (distinct.isEmpty() || !Arrays.equals(distinct.get(distinct.size() - 1), k)) {
                    distinct.add(k);
                }
            }
            return new SortedKeys(distinct);
        }

        private QueryLimitException tooManyToSort() {
            return new QueryLimitException("query " + q.node + " would sort more than " + MAX_SORTED
                    + " postings in memory; add a more selective condition");
        }

        /** About how many postings {@code n} reads: exact up to {@link #PROBE} per term. */
        private long estimate(Node n) {
            if (n instanceof Eq e) {
                return e.terms().stream().mapToLong(t -> countUpTo(indexes.get(e.index()).id, t,
                        Terms.prefixSuccessor(t))).sum();
            }
            if (n instanceof Text t) {
                return t.terms().stream().mapToLong(w -> countUpTo(indexes.get(t.index()).id, w,
                        Terms.prefixSuccessor(w))).min().orElse(0);
            }
            if (n instanceof Prefix p) {
                return countUpTo(indexes.get(p.index()).id, p.termPrefix(), Terms.prefixSuccessor(p.termPrefix()));
            }
            if (n instanceof Range r) {
                return countUpTo(indexes.get(r.index()).id, r.start(), r.end());
            }
            if (n instanceof And a) {
                return a.parts().stream().mapToLong(this::estimate).min().orElse(0);
            }
            return ((Or) n).parts().stream().mapToLong(this::estimate).sum();
        }

        private long countUpTo(int id, byte[] start, byte[] end) {
            byte[] prefix = IndexManager.postingPrefix(id);
            long n = 0;
            try (IndexHost.Cursor c = read.scanOwn(concat(prefix, start),
                    end == null ? Terms.prefixSuccessor(prefix) : concat(prefix, end))) {
                while (n <= PROBE && c.next()) {
                    n++;
                }
            }
            return n;
        }

        // ------------------------------------------------------------ cursors

        private String encodeCursor(byte[] position) {
            ByteBuffer b = ByteBuffer.allocate(5 + position.length);
            b.put((byte) 1).putInt(fingerprint()).put(position);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        }

        private byte[] decodeCursor(String cursor) {
            if (cursor == null) {
                return null;
            }
            byte[] raw;
            try {
                raw = Base64.getUrlDecoder().decode(cursor);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cursor '" + cursor + "' is not a cursor of this store: " + e.getMessage());
            }
            if (raw.length < 5 || raw[0] != 1) {
                throw new IllegalArgumentException("cursor '" + cursor + "' is not a cursor of this store");
            }
            if (ByteBuffer.wrap(raw, 1, 4).getInt() != fingerprint()) {
                throw new IllegalArgumentException("cursor '" + cursor + "' belongs to another query than " + q.node
                        + (q.descending ? " descending" : ""));
            }
            return Arrays.copyOfRange(raw, 5, raw.length);
        }

        private int fingerprint() {
            return (q.node.toString() + (q.descending ? "/desc" : "") + (q.keyOrder ? "/key" : "")).hashCode();
        }

        @Override
        public void close() {
            for (IndexHost.Cursor c : open) {
                c.close();
            }
            read.close();
        }

        // ------------------------------------------------------------ streams

        /** Postings of one term: keys in key order. */
        private final class TermPostings implements KeyStream {
            private final byte[] prefix;
            private final IndexHost.Cursor c;
            private byte[] key;

            TermPostings(int id, byte[] term) {
                this.prefix = concat(IndexManager.postingPrefix(id), term);
                this.c = closedWithRun(read.scanTerm(prefix));
            }

            @Override
            public boolean next() {
                if (!c.next()) {
                    key = null;
                    return false;
                }
                tick();
                key = Arrays.copyOfRange(c.key(), prefix.length, c.key().length);
                return true;
            }

            @Override
            public boolean seek(byte[] target) {
                c.seek(concat(prefix, target));
                return next();
            }

            @Override
            public byte[] key() {
                return key;
            }
        }
    }

    private record Hit(byte[] key, byte[] position, byte[] value) {
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Distinct keys in ascending order. */
    interface KeyStream {
        /** Moves to the next key; false when there is none. */
        boolean next();

        /** Moves to the first key at or after {@code target} (never backwards); false when there is none. */
        boolean seek(byte[] target);

        byte[] key();
    }

    static final class SortedKeys implements KeyStream {
        private final List<byte[]> keys;
        private int i = -1;

        SortedKeys(List<byte[]> keys) {
            this.keys = keys;
        }

        @Override
        public boolean next() {
            i++;
            return i < keys.size();
        }

        @Override
        public boolean seek(byte[] target) {
            int lo = Math.max(i, 0);
            int hi = keys.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (Arrays.compareUnsigned(keys.get(mid), target) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            i = lo;
            return i < keys.size();
        }

        @Override
        public byte[] key() {
            return keys.get(i);
        }
    }

    /** Keys in any of the parts, merged. */
    static final class Union implements KeyStream {
        private final List<KeyStream> parts;
        private final boolean[] live;
        private boolean started;
        private byte[] key;

        Union(List<KeyStream> parts) {
            this.parts = parts;
            this.live = new boolean[parts.size()];
        }

        @Override
        public boolean next() {
            if (!started) {
                started = true;
                for (int i = 0; i < parts.size(); i++) {
                    live[i] = parts.get(i).next();
                }
            } else {
                for (int i = 0; i < parts.size(); i++) {
                    if (live[i] && Arrays.equals(parts.get(i).key(), key)) {
                        live[i] = parts.get(i).next();
                    }
                }
            }
            return pick();
        }

        @Override
        public boolean seek(byte[] target) {
            for (int i = 0; i < parts.size(); i++) {
                if (!started || (live[i] && Arrays.compareUnsigned(parts.get(i).key(), target) < 0)) {
                    live[i] = parts.get(i).seek(target);
                }
            }
            started = true;
            return pick();
        }

        private boolean pick() {
            key = null;
            for (int i = 0; i < parts.size(); i++) {
                if (live[i] && (key == null || Arrays.compareUnsigned(parts.get(i).key(), key) < 0)) {
                    key = parts.get(i).key();
                }
            }
            return key != null;
        }

        @Override
        public byte[] key() {
            return key;
        }
    }

    /** Keys in every part: leapfrog, each part seeking to the largest key seen so far. */
    static final class Intersection implements KeyStream {
        private final List<KeyStream> parts;
        private byte[] key;

        Intersection(List<KeyStream> parts) {
            this.parts = parts;
        }

        @Override
        public boolean next() {
            if (!parts.get(0).next()) {
                return done();
            }
            return align(parts.get(0).key());
        }

        @Override
        public boolean seek(byte[] target) {
            if (!parts.get(0).seek(target)) {
                return done();
            }
            return align(parts.get(0).key());
        }

        private boolean align(byte[] target) {
            int agreed = 1;
            int i = 1;
            while (agreed < parts.size()) {
                KeyStream p = parts.get(i);
                if (!p.seek(target)) {
                    return done();
                }
                int c = Arrays.compareUnsigned(p.key(), target);
                if (c == 0) {
                    agreed++;
                } else {
                    target = p.key();
                    agreed = 1;
                }
                i = (i + 1) % parts.size();
            }
            key = target;
            return true;
        }

        private boolean done() {
            key = null;
            return false;
        }

        @Override
        public byte[] key() {
            return key;
        }
    }
}
