package io.kvstore.engine.index;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A query on secondary indexes, run by {@code KvStore.query} and {@code KvStore.count}. It reads
 * only the postings of the terms it names and the records they point to: a query on an index
 * that does not exist fails, it never falls back to a scan. Immutable.
 *
 * <pre>{@code
 * QueryPage page = db.query(IndexQuery.eq("city", "PortoAlegre")
 *         .and(IndexQuery.range("age", 20, 30))
 *         .limit(50));
 * QueryPage next = db.query(sameQuery.after(page.cursor()));
 * }</pre>
 *
 * <p><b>Order.</b> Equality, {@code in}, prefix and text queries, and every {@code or}, return
 * records in primary key order. A range query, and an {@code and} with a range part, returns
 * them in the order of the (first) range's terms, then by key; {@link #descending()} reverses
 * either order. A record whose multi-valued field has several terms in a range appears once, at its
 * smallest (largest, descending) matching term.
 *
 * <p><b>Limits.</b> {@link #limit(int)} entries per page (default {@value #DEFAULT_LIMIT});
 * {@link #timeout(Duration)} and {@link #maxPostingsScanned(long)} stop a query that would read
 * too much, with an exception naming the limit.
 */
public final class IndexQuery {

    public static final int DEFAULT_LIMIT = 1000;

    final Node node;
    final int limit;
    final String cursor;
    final Duration timeout;
    final long maxPostingsScanned;
    final boolean descending;
    /** Results in key order even when a range part would order them by term. */
    final boolean keyOrder;

    private IndexQuery(Node node, int limit, String cursor, Duration timeout, long maxPostingsScanned,
            boolean descending, boolean keyOrder) {
        this.node = node;
        this.limit = limit;
        this.cursor = cursor;
        this.timeout = timeout;
        this.maxPostingsScanned = maxPostingsScanned;
        this.descending = descending;
        this.keyOrder = keyOrder;
    }

    private static IndexQuery of(Node node) {
        return new IndexQuery(node, DEFAULT_LIMIT, null, null, Long.MAX_VALUE, false, false);
    }

    /**
     * Records whose indexed value equals {@code value} (for a multi-valued index: one of its values
     * does); {@code null} finds records whose indexed value is an explicit null.
     */
    public static IndexQuery eq(String index, Object value) {
        // singletonList: List.of refuses the null that asks for explicit nulls.
        return of(new Eq(index(index), List.of(Terms.encode(value)), Collections.singletonList(value)));
    }

    /** Records whose indexed value equals one of {@code values}. */
    public static IndexQuery in(String index, Object... values) {
        Objects.requireNonNull(values, "values must not be null");
        return in(index, Arrays.asList(values));
    }

    /** Records whose indexed value equals one of {@code values}. */
    public static IndexQuery in(String index, Collection<?> values) {
        Objects.requireNonNull(values, "values must not be null");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("in(" + index + ") needs at least one value");
        }
        List<byte[]> terms = new ArrayList<>();
        for (Object v : values) {
            byte[] t = Terms.encode(v);
            if (terms.stream().noneMatch(x -> Arrays.equals(x, t))) {
                terms.add(t);
            }
        }
        terms.sort(Arrays::compareUnsigned);
        return of(new Eq(index(index), terms, new ArrayList<>(values)));
    }

    /**
     * Records whose indexed value lies between {@code from} and {@code to}, both inclusive;
     * {@code null} leaves that end open. Needs a {@link IndexType#RANGE} index. A range covers one
     * kind of value: numbers, strings, booleans or bytes, the kind of its bounds.
     */
    public static IndexQuery range(String index, Object from, Object to) {
        return of(Range.of(index(index), from, true, to, true));
    }

    /**
     * Records whose indexed value lies between {@code from} and {@code to}, each end inclusive or
     * not as asked; {@code null} leaves that end open. Needs a {@link IndexType#RANGE} index.
     */
    public static IndexQuery range(String index, Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        return of(Range.of(index(index), from, fromInclusive, to, toInclusive));
    }

    /** Records whose indexed value is greater than {@code value}. */
    public static IndexQuery gt(String index, Object value) {
        return of(Range.of(index(index), required(value), false, null, true));
    }

    /** Records whose indexed value is greater than or equal to {@code value}. */
    public static IndexQuery gte(String index, Object value) {
        return of(Range.of(index(index), required(value), true, null, true));
    }

    /** Records whose indexed value is less than {@code value}. */
    public static IndexQuery lt(String index, Object value) {
        return of(Range.of(index(index), null, true, required(value), false));
    }

    /** Records whose indexed value is less than or equal to {@code value}. */
    public static IndexQuery lte(String index, Object value) {
        return of(Range.of(index(index), null, true, required(value), true));
    }

    /** Records whose indexed string value starts with {@code prefix}. Needs a PREFIX or RANGE index. */
    public static IndexQuery prefix(String index, String prefix) {
        Objects.requireNonNull(prefix, "prefix must not be null");
        return of(new Prefix(index(index), prefix, Terms.stringPrefix(prefix)));
    }

    /** Records holding every word of {@code words} (lower-cased letter-or-digit tokens). Needs a TEXT index. */
    public static IndexQuery text(String index, String words) {
        Objects.requireNonNull(words, "words must not be null");
        List<String> tokens = tokenize(words);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("text(" + index + ", \"" + words + "\") has no words to search for");
        }
        return of(new Text(index(index), tokens, tokens.stream().map(Terms::encode).toList()));
    }

    /** Records matching this query and {@code other}. Keeps this query's limit, cursor and other settings. */
    public IndexQuery and(IndexQuery other) {
        Objects.requireNonNull(other, "other must not be null");
        return with(new And(flatten(node, other.node, And.class)));
    }

    /** Records matching this query or {@code other}. Keeps this query's limit, cursor and other settings. */
    public IndexQuery or(IndexQuery other) {
        Objects.requireNonNull(other, "other must not be null");
        return with(new Or(flatten(node, other.node, Or.class)));
    }

    /** At most {@code n} entries per page, 1 to 1,000,000. */
    public IndexQuery limit(int n) {
        if (n < 1 || n > 1_000_000) {
            throw new IllegalArgumentException("limit must be 1 to 1000000, got " + n);
        }
        return new IndexQuery(node, n, cursor, timeout, maxPostingsScanned, descending, keyOrder);
    }

    /** The page after the one that returned {@code cursor} ({@code null}: the first page). */
    public IndexQuery after(String cursor) {
        return new IndexQuery(node, limit, cursor, timeout, maxPostingsScanned, descending, keyOrder);
    }

    /** Fails the query once it has run this long. */
    public IndexQuery timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new IndexQuery(node, limit, cursor, timeout, maxPostingsScanned, descending, keyOrder);
    }

    /** Fails the query once it has read more than {@code max} postings. */
    public IndexQuery maxPostingsScanned(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPostingsScanned must be positive, got " + max);
        }
        return new IndexQuery(node, limit, cursor, timeout, max, descending, keyOrder);
    }

    /**
     * Largest first: largest terms for queries in term order, largest keys for queries in key
     * order. Reading backwards collects the results before the cursor and reverses them, so it
     * costs as much as reading every result up to the page (bounded by the postings budget).
     */
    public IndexQuery descending() {
        return new IndexQuery(node, limit, cursor, timeout, maxPostingsScanned, true, keyOrder);
    }

    /**
     * Results in primary key order even when the query has a range part, which otherwise orders
     * them by term then key. The range's postings are then collected and sorted by key (bounded
     * like every in-memory sort), so prefer term order for wide ranges.
     */
    public IndexQuery orderByKey() {
        return new IndexQuery(node, limit, cursor, timeout, maxPostingsScanned, descending, true);
    }

    public int limit() {
        return limit;
    }

    public String cursor() {
        return cursor;
    }

    private IndexQuery with(Node n) {
        return new IndexQuery(n, limit, cursor, timeout, maxPostingsScanned, descending, keyOrder);
    }

    @Override
    public String toString() {
        return node + (keyOrder ? " by key" : "") + (descending ? " descending" : "") + " limit " + limit;
    }

    private static String index(String name) {
        Objects.requireNonNull(name, "index name must not be null");
        return name;
    }

    private static Object required(Object value) {
        return Objects.requireNonNull(value, "value must not be null (use range(index, null, x) for an open end)");
    }

    private static List<Node> flatten(Node a, Node b, Class<? extends Node> kind) {
        List<Node> parts = new ArrayList<>();
        for (Node n : List.of(a, b)) {
            if (kind.isInstance(n)) {
                parts.addAll(kind == And.class ? ((And) n).parts : ((Or) n).parts);
            } else {
                parts.add(n);
            }
        }
        return List.copyOf(parts);
    }

    static List<String> tokenize(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                String w = text.substring(start, i).toLowerCase(Locale.ROOT);
                if (!words.contains(w)) {
                    words.add(w);
                }
                start = -1;
            }
        }
        return words;
    }

    // ---------------------------------------------------------------- the query tree

    sealed interface Node permits Leaf, And, Or {
    }

    /** A leaf on one index. */
    sealed interface Leaf extends Node permits Eq, Range, Prefix, Text {
        String index();
    }

    /** Exact terms (one for eq, several for in), sorted. */
    record Eq(String index, List<byte[]> terms, List<Object> values) implements Leaf {
        @Override
        public String toString() {
            return values.size() == 1 && terms.size() == 1 ? index + " = " + show(values.get(0))
                    : index + " in " + values.stream().map(IndexQuery::show).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /** Terms in {@code [start, end)}, as encoded term bounds. */
    record Range(String index, byte[] start, byte[] end, String text) implements Leaf {
        static Range of(String index, Object from, boolean fromInclusive, Object to, boolean toInclusive) {
            byte[] f = from == null ? null : Terms.encode(from);
            byte[] t = to == null ? null : Terms.encode(to);
            if (f != null && t != null && !sameKind(f, t)) {
                throw new IllegalArgumentException("range on '" + index + "' from " + show(from) + " to " + show(to)
                        + " mixes kinds of values; both ends must be numbers, strings, booleans or bytes");
            }
            byte[] start;
            byte[] end;
            if (f == null && t == null) {
                start = new byte[0];
                end = null;
            } else {
                byte tag = Terms.tag(f != null ? f : t);
                start = f == null ? Terms.typeStart(tag) : fromInclusive ? f : Terms.prefixSuccessor(f);
                end = t == null ? Terms.typeEnd(tag) : toInclusive ? Terms.prefixSuccessor(t) : t;
            }
            String text = index + " in " + (from == null ? "(-∞" : (fromInclusive ? "[" : "(") + show(from)) + ", "
                    + (to == null ? "+∞)" : show(to) + (toInclusive ? "]" : ")"));
            return new Range(index, start, end, text);
        }

        private static boolean sameKind(byte[] a, byte[] b) {
            return Arrays.equals(Terms.typeStart(Terms.tag(a)), Terms.typeStart(Terms.tag(b)));
        }

        boolean contains(byte[] term) {
            return Arrays.compareUnsigned(term, start) >= 0 && (end == null || Arrays.compareUnsigned(term, end) < 0);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    record Prefix(String index, String prefix, byte[] termPrefix) implements Leaf {
        @Override
        public String toString() {
            return index + " starts with " + show(prefix);
        }
    }

    record Text(String index, List<String> words, List<byte[]> terms) implements Leaf {
        @Override
        public String toString() {
            return index + " has words " + words;
        }
    }

    record And(List<Node> parts) implements Node {
        @Override
        public String toString() {
            return parts.stream().map(Object::toString).collect(Collectors.joining(" AND ", "(", ")"));
        }
    }

    record Or(List<Node> parts) implements Node {
        @Override
        public String toString() {
            return parts.stream().map(Object::toString).collect(Collectors.joining(" OR ", "(", ")"));
        }
    }

    static String show(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof byte[] b) {
            return Terms.describeBytes(b);
        }
        return String.valueOf(v);
    }
}
