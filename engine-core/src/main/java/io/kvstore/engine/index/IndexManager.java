package io.kvstore.engine.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Secondary indexes of one store: the registry of definitions, posting maintenance in the commit
 * leader, online builds, drops, and the entry point of queries.
 *
 * <p><b>Own-entry layout</b> (keys in the store's own key space; integers big-endian):
 * <pre>
 * 'D' · id:u32                    definition of index {@code id} (text, see {@link #encodeDefinition})
 * 'B' · id:u32                    build progress: the last user key re-indexed by an unfinished build
 * 'P' · id:u32 · term · userKey   a posting: record {@code userKey} has {@code term} (see {@link Terms});
 *                                 empty value; a put with the record's expiry when the record has one
 * </pre>
 * Postings of a record are written in the same batch (one WAL record, one sequence range) as the
 * record, by the commit leader, which reads the record's previous value first: writes are
 * serialized there, so two writers of one key can never leave a posting for a value the key no
 * longer has. A build re-indexes stored records through the leader too, chunk by chunk, so it
 * races with no write; its progress key lets a crashed build resume on open.
 *
 * <p>Registry changes happen only in the leader (or in {@link #open} before any write) and are
 * published copy-on-write, so the write path and queries read them without locks.
 */
public final class IndexManager implements Indexes {

    static final byte DEFINITION = 'D';
    static final byte PROGRESS = 'B';
    static final byte POSTING = 'P';
    private static final int BUILD_CHUNK_KEYS = 512;
    private static final int BUILD_CHUNK_BYTES = 1 << 20;
    private static final int DROP_CHUNK = 2048;

    enum State { BUILDING, READY, STALE, DROPPING }

    /** One index as registered: immutable; a state change replaces it. */
    static final class Live {
        final int id;
        final IndexDefinition definition;
        final State state;

        Live(int id, IndexDefinition definition, State state) {
            this.id = id;
            this.definition = definition;
            this.state = state;
        }

        Live with(State s) {
            return new Live(id, definition, s);
        }

        String name() {
            return definition.name();
        }

        boolean resolved() {
            return !(definition.extractor() instanceof Extractor.Custom c) || c.resolved();
        }

        boolean maintained() {
            return state == State.BUILDING || state == State.READY;
        }
    }

    /** Every registered index by id, and those writes maintain. */
    private record Registry(Map<Integer, Live> all, List<Live> maintained) {
        static Registry of(Map<Integer, Live> all) {
            return new Registry(Map.copyOf(all), all.values().stream().filter(Live::maintained)
                    .sorted((a, b) -> Integer.compare(a.id, b.id)).toList());
        }

        Registry with(Live l) {
            Map<Integer, Live> m = new HashMap<>(all);
            m.put(l.id, l);
            return of(m);
        }

        Registry without(int id) {
            Map<Integer, Live> m = new HashMap<>(all);
            m.remove(id);
            return of(m);
        }
    }

    private final IndexHost host;
    private volatile Registry registry = Registry.of(Map.of());
    private final QueryExecutor executor;

    public IndexManager(IndexHost host) {
        this.host = host;
        this.executor = new QueryExecutor(host, this);
    }

    // ---------------------------------------------------------------- open

    /** Loads the definitions and finishes builds and drops a crash interrupted. Before any other write. */
    public void open() {
        Map<Integer, Live> all = new HashMap<>();
        try (IndexHost.Read read = host.read(); IndexHost.Cursor c = read.scanOwn(new byte[] {DEFINITION},
                new byte[] {DEFINITION + 1})) {
            while (c.next()) {
                int id = readInt(c.key(), 1);
                all.put(id, decodeDefinition(id, c.value()));
            }
        }
        registry = Registry.of(all);
        for (Live l : all.values()) {
            if (l.state == State.DROPPING) {
                finishDrop(l);
            }
        }
        for (Live l : List.copyOf(registry.all.values())) {
            if (l.state == State.BUILDING) {
                if (!l.resolved()) {
                    commit(new IndexWork(), () -> registry = registry.with(l.with(State.STALE)), l.with(State.STALE));
                    continue;
                }
                build(l, progressOf(l));
                finishBuild(l);
            }
        }
    }

    private byte[] progressOf(Live l) {
        try (IndexHost.Read read = host.read(); IndexHost.Cursor c = read.scanOwn(progressKey(l.id),
                Terms.prefixSuccessor(progressKey(l.id)))) {
            return c.next() ? c.value() : null;
        }
    }

    // ---------------------------------------------------------------- admin

    @Override
    public synchronized void create(IndexDefinition definition) {
        java.util.Objects.requireNonNull(definition, "definition must not be null");
        checkQueriesEnabled("create " + definition);
        Live existing = primary(definition.name());
        if (existing != null) {
            if (!existing.definition.equals(definition)) {
                throw new IllegalArgumentException("cannot create " + definition + ": " + existing.definition
                        + " already exists; drop it first");
            }
            if (existing.resolved()) {
                return;
            }
            // A custom extractor after a restart: take the function; rebuild if writes went unindexed.
            Live attached = new Live(existing.id, definition, existing.state);
            if (existing.state == State.STALE) {
                rebuildAs(existing, definition);
            } else {
                commit(new IndexWork(), () -> registry = registry.with(attached), null);
            }
            return;
        }
        Live l = new Live(nextId(), definition, State.BUILDING);
        commit(new IndexWork(), () -> registry = registry.with(l), l);
        build(l, null);
        finishBuild(l);
    }

    @Override
    public synchronized void drop(String name) {
        IndexDefinition.checkName(name);
        for (Live l : registry.all.values()) {
            if (l.name().equals(name) && l.state != State.DROPPING) {
                Live dropping = l.with(State.DROPPING);
                commit(new IndexWork(), () -> registry = registry.with(dropping), dropping);
                finishDrop(dropping);
            }
        }
    }

    @Override
    public synchronized void rebuild(String name) {
        IndexDefinition.checkName(name);
        checkQueriesEnabled("rebuild index '" + name + "'");
        Live existing = primary(name);
        if (existing == null) {
            throw noSuchIndex(name);
        }
        if (!existing.resolved()) {
            throw new IllegalArgumentException(unresolvedMessage(existing));
        }
        rebuildAs(existing, existing.definition);
    }

    /** Builds {@code definition} under a new id while {@code old} keeps answering, then swaps them. */
    private void rebuildAs(Live old, IndexDefinition definition) {
        Live l = new Live(nextId(), definition, State.BUILDING);
        commit(new IndexWork(), () -> registry = registry.with(l), l);
        build(l, null);
        finishBuild(l);
    }

    private void checkQueriesEnabled(String what) {
        if (!host.queriesEnabled()) {
            throw new IllegalStateException("cannot " + what + ": index queries are disabled for the store in "
                    + host.describe() + " (KvStoreOptions.withQueriesEnabled(false))");
        }
    }

    @Override
    public List<IndexDefinition> list() {
        Map<String, IndexDefinition> byName = new LinkedHashMap<>();
        registry.all.values().stream().sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(l -> {
                    Live p = primary(l.name());
                    if (p != null) {
                        byName.put(l.name(), p.definition);
                    }
                });
        return List.copyOf(byName.values());
    }

    @Override
    public Optional<IndexDefinition> get(String name) {
        Live p = primary(name);
        return p == null ? Optional.empty() : Optional.of(p.definition);
    }

    /** The index a name stands for: the ready one, else one being built or stale. */
    private Live primary(String name) {
        Live found = null;
        for (Live l : registry.all.values()) {
            if (l.name().equals(name) && l.state != State.DROPPING
                    && (found == null || l.state == State.READY)) {
                found = l;
            }
        }
        return found;
    }

    /** The index queries on {@code name} read, or a NoSuchIndexException saying why there is none. */
    Live queryable(String name) {
        Live found = null;
        for (Live l : registry.all.values()) {
            if (l.name().equals(name) && l.state == State.READY) {
                found = l;
            }
        }
        if (found == null) {
            Live p = primary(name);
            if (p != null && p.state == State.STALE) {
                throw new NoSuchIndexException(name, "index '" + name + "' in " + host.describe()
                        + " is out of date: " + unresolvedMessage(p));
            }
            if (p != null && p.state == State.BUILDING) {
                throw new NoSuchIndexException(name, "index '" + name + "' in " + host.describe() + " is still being built");
            }
            throw noSuchIndex(name);
        }
        if (!found.resolved()) {
            throw new NoSuchIndexException(name, unresolvedMessage(found));
        }
        return found;
    }

    private NoSuchIndexException noSuchIndex(String name) {
        List<String> names = list().stream().map(IndexDefinition::name).toList();
        return new NoSuchIndexException(name, "no index named '" + name + "' in " + host.describe()
                + (names.isEmpty() ? " (it has no indexes)" : " (its indexes: " + String.join(", ", names) + ")")
                + "; queries never fall back to a scan: create the index first");
    }

    private static String unresolvedMessage(Live l) {
        return "index '" + l.name() + "' uses custom extractor '" + ((Extractor.Custom) l.definition.extractor())
                .spec().substring(7) + "', whose function is not stored: call indexes().create(definition) after "
                + "opening the store to supply it (records written meanwhile are indexed then)";
    }

    private int nextId() {
        int max = 0;
        for (int id : registry.all.keySet()) {
            max = Math.max(max, id);
        }
        return max + 1;
    }

    /** Writes {@code definitionToStore} (if not null) with {@code work}, and applies {@code change} in the leader. */
    private void commit(IndexWork work, Runnable change, Live definitionToStore) {
        if (definitionToStore != null) {
            work.put(definitionKey(definitionToStore.id), encodeDefinition(definitionToStore));
        }
        work.onCommit = change;
        host.write(work);
    }

    // ---------------------------------------------------------------- build and drop

    /** Re-indexes every record in {@code l}'s scope after {@code resumeAfter}, chunk by chunk, through the leader. */
    private void build(Live l, byte[] resumeAfter) {
        byte[] scope = l.definition.scope();
        byte[] from = resumeAfter != null ? successor(resumeAfter) : scope.length == 0 ? null : scope;
        byte[] to = scope.length == 0 ? null : Terms.prefixSuccessor(scope);
        while (true) {
            byte[] first = null;
            byte[] last = null;
            try (IndexHost.Read read = host.read(); IndexHost.Cursor c = read.scanUser(from, to)) {
                int keys = 0;
                long bytes = 0;
                while (keys < BUILD_CHUNK_KEYS && bytes < BUILD_CHUNK_BYTES && c.next()) {
                    if (first == null) {
                        first = c.key();
                    }
                    last = c.key();
                    keys++;
                    bytes += c.key().length + c.value().length;
                }
            }
            if (first == null) {
                return;
            }
            IndexWork work = new IndexWork().put(progressKey(l.id), last);
            work.reindex = l;
            work.reindexFrom = first;
            work.reindexTo = last;
            host.write(work);
            from = successor(last);
        }
    }

    private void finishBuild(Live l) {
        Live ready = l.with(State.READY);
        List<Live> replaced = registry.all.values().stream()
                .filter(o -> o.id != l.id && o.name().equals(l.name()) && o.state != State.DROPPING).toList();
        IndexWork work = new IndexWork().delete(progressKey(l.id));
        for (Live o : replaced) {
            work.put(definitionKey(o.id), encodeDefinition(o.with(State.DROPPING)));
        }
        commit(work, () -> {
            Registry r = registry.with(ready);
            for (Live o : replaced) {
                r = r.with(o.with(State.DROPPING));
            }
            registry = r;
        }, ready);
        for (Live o : replaced) {
            finishDrop(o.with(State.DROPPING));
        }
    }

    /** Deletes a no-longer-maintained index's postings, then its definition. */
    private void finishDrop(Live l) {
        byte[] from = postingPrefix(l.id);
        byte[] to = Terms.prefixSuccessor(from);
        while (true) {
            IndexWork work = new IndexWork();
            try (IndexHost.Read read = host.read(); IndexHost.Cursor c = read.scanOwn(from, to)) {
                while (work.ops.size() < DROP_CHUNK && c.next()) {
                    work.delete(c.key());
                }
            }
            if (work.ops.isEmpty()) {
                break;
            }
            host.write(work);
        }
        IndexWork work = new IndexWork().delete(definitionKey(l.id)).delete(progressKey(l.id));
        work.onCommit = () -> registry = registry.without(l.id);
        host.write(work);
    }

    // ---------------------------------------------------------------- the write path

    /** Whether writes need the leader's index work at all: some index is registered. */
    public boolean active() {
        return !registry.all.isEmpty();
    }

    /** Starts a commit group: {@code read} is the latest state, before any of the group's writes. */
    public Group group(IndexHost.Read read) {
        return new Group(read);
    }

    /** Condition checks and posting maintenance for one commit group, in the leader. */
    public final class Group {
        private static final byte[] ABSENT = new byte[0];
        private final IndexHost.Read read;
        /** Values written by earlier writers of this group: their batches are not in {@code read}. */
        private final Map<ByteBuffer, byte[]> overlay = new HashMap<>();

        private Group(IndexHost.Read read) {
            this.read = read;
        }

        /**
         * The own-entry ops to append to one writer's batch: its work's entries, then for each of
         * its user ops the postings to delete and to put. An IllegalArgumentException (a value an
         * index cannot read) fails only this writer.
         */
        public List<Op> expand(List<Op> userOps, List<Op> conditions, IndexWork work) {
            for (Op c : conditions) {
                ByteBuffer k = ByteBuffer.wrap(c.key());
                byte[] current = overlay.containsKey(k) ? overlay.get(k) : read.get(c.key());
                if (current == ABSENT) {
                    current = null;
                }
                if (!Arrays.equals(current, c.value())) {
                    throw new io.kvstore.engine.WriteConflictException(c.key(), "write to " + host.describe()
                            + " not applied: key " + Terms.describeBytes(c.key()) + (c.isDelete()
                            ? " was required to be absent but has a value" : current == null
                            ? " was required to hold a value but is absent" : " no longer holds the required value"));
                }
            }
            if (!active() && work == null) {
                for (Op op : userOps) {
                    overlay.put(ByteBuffer.wrap(op.key()), op.isDelete() ? ABSENT : op.value());
                }
                return List.of();
            }
            List<Op> out = new ArrayList<>();
            if (work != null) {
                if (work.onCommit != null) {
                    work.onCommit.run();
                }
                out.addAll(work.ops);
                if (work.reindex != null) {
                    reindex(work, out);
                }
            }
            if (userOps.isEmpty()) {
                return out;
            }
            Registry r = registry;
            Map<ByteBuffer, byte[]> mine = new HashMap<>();
            for (Op op : userOps) {
                ByteBuffer k = ByteBuffer.wrap(op.key());
                byte[] old = mine.containsKey(k) ? mine.get(k) : overlay.containsKey(k) ? overlay.get(k) : null;
                boolean known = mine.containsKey(k) || overlay.containsKey(k);
                boolean looked = false;
                ParsedValue oldParsed = null;
                ParsedValue newParsed = op.isDelete() ? null : new ParsedValue(op.key(), op.value());
                for (Live l : r.all.values()) {
                    if (!l.definition.covers(op.key()) || l.state == State.DROPPING || l.state == State.STALE) {
                        continue;
                    }
                    if (!l.resolved()) {
                        // Nobody can compute this index's terms: mark it out of date rather than let it lie.
                        Live stale = l.with(State.STALE);
                        out.add(Op.put(definitionKey(l.id), encodeDefinition(stale), 0));
                        registry = registry.with(stale);
                        continue;
                    }
                    if (!known && !looked) {
                        byte[] v = read.get(op.key());
                        old = v == null ? ABSENT : v;
                        looked = true;
                    }
                    if (oldParsed == null && old != null && old != ABSENT) {
                        oldParsed = new ParsedValue(op.key(), old);
                    }
                    List<byte[]> oldTerms = oldParsed == null ? List.of() : terms(l, oldParsed);
                    List<byte[]> newTerms = newParsed == null ? List.of() : terms(l, newParsed);
                    for (byte[] t : oldTerms) {
                        if (!contains(newTerms, t)) {
                            out.add(Op.delete(postingKey(l.id, t, op.key())));
                        }
                    }
                    for (byte[] t : newTerms) {
                        out.add(Op.put(postingKey(l.id, t, op.key()), ABSENT, op.expiresAt()));
                    }
                }
                mine.put(k, op.isDelete() ? ABSENT : op.value());
            }
            overlay.putAll(mine);
            return out;
        }

        private void reindex(IndexWork work, List<Op> out) {
            Live l = work.reindex;
            try (IndexHost.Cursor c = read.scanUser(work.reindexFrom, successor(work.reindexTo))) {
                while (c.next()) {
                    if (!l.definition.covers(c.key())) {
                        continue;
                    }
                    List<byte[]> terms;
                    try {
                        terms = terms(l, new ParsedValue(c.key(), c.value()));
                    } catch (IllegalArgumentException e) {
                        continue; // a value written before the index existed that it cannot read: not indexed
                    }
                    for (byte[] t : terms) {
                        out.add(Op.put(postingKey(l.id, t, c.key()), ABSENT, c.expiresAt()));
                    }
                }
            }
        }
    }

    /** The encoded terms {@code l} files the record under, sorted, without duplicates. */
    static List<byte[]> terms(Live l, ParsedValue v) {
        // A record of several indexes is parsed once: v caches its document.
        byte[] key = v.key;
        Collection<?> values;
        try {
            values = l.definition.extractor().extract(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (needed by " + l.definition + ")", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("extractor of " + l.definition + " failed on key "
                    + Terms.describeBytes(key) + ": " + e, e);
        }
        List<byte[]> terms = new ArrayList<>(values.size());
        for (Object x : values) {
            if (l.definition.type() == IndexType.TEXT) {
                if (x instanceof String s) {
                    for (String w : IndexQuery.tokenize(s)) {
                        terms.add(Terms.encode(w));
                    }
                }
                continue;
            }
            try {
                terms.add(Terms.encode(x));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (key " + Terms.describeBytes(key) + ", "
                        + l.definition + ")", e);
            }
        }
        terms.sort(Arrays::compareUnsigned);
        List<byte[]> unique = new ArrayList<>(terms.size());
        for (byte[] t : terms) {
            if (unique.isEmpty() || !Arrays.equals(unique.get(unique.size() - 1), t)) {
                unique.add(t);
            }
        }
        return unique;
    }

    private static boolean contains(List<byte[]> sorted, byte[] t) {
        for (byte[] x : sorted) {
            if (Arrays.equals(x, t)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- queries

    @Override
    public long entryCount(String name) {
        java.util.Objects.requireNonNull(name, "index name must not be null");
        byte[] prefix = postingPrefix(queryable(name).id);
        long n = 0;
        try (IndexHost.Read read = host.read();
                IndexHost.Cursor c = read.scanOwn(prefix, Terms.prefixSuccessor(prefix))) {
            while (c.next()) {
                n++;
            }
        }
        return n;
    }

    /** Runs one page of {@code query}. */
    public QueryPage query(IndexQuery query) {
        java.util.Objects.requireNonNull(query, "query must not be null");
        return executor.page(query);
    }

    /** Counts every record {@code query} matches (its limit and cursor do not apply). */
    public long count(IndexQuery query) {
        java.util.Objects.requireNonNull(query, "query must not be null");
        return executor.count(query);
    }

    // ---------------------------------------------------------------- own keys and definitions

    static byte[] definitionKey(int id) {
        return tagged(DEFINITION, id, 0);
    }

    static byte[] progressKey(int id) {
        return tagged(PROGRESS, id, 0);
    }

    static byte[] postingPrefix(int id) {
        return tagged(POSTING, id, 0);
    }

    /**
     * Length of the {@code 'P' · id · term} part of own key {@code key[off..off+len)} if it is a
     * posting, else -1: the prefix table and memtable filters index (see {@code FilterPrefix}), so
     * reading one term's postings skips the tables without that term. Changing this rule needs a
     * table format version bump.
     */
    public static int postingTermLength(byte[] key, int off, int len) {
        if (len < 6 || key[off] != POSTING) {
            return -1;
        }
        try {
            return 5 + Terms.length(key, off + 5, off + len);
        } catch (IllegalStateException malformed) {
            return -1;
        }
    }

    /** The first key after every key starting with {@code prefix} (which does not end in 0xFF bytes only). */
    public static byte[] prefixEnd(byte[] prefix) {
        return Terms.prefixSuccessor(prefix);
    }

    static byte[] postingKey(int id, byte[] term, byte[] userKey) {
        byte[] k = tagged(POSTING, id, term.length + userKey.length);
        System.arraycopy(term, 0, k, 5, term.length);
        System.arraycopy(userKey, 0, k, 5 + term.length, userKey.length);
        return k;
    }

    private static byte[] tagged(byte tag, int id, int extra) {
        byte[] k = new byte[5 + extra];
        k[0] = tag;
        k[1] = (byte) (id >>> 24);
        k[2] = (byte) (id >>> 16);
        k[3] = (byte) (id >>> 8);
        k[4] = (byte) id;
        return k;
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    /** The smallest key after {@code key}: {@code key · 0x00}. */
    static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /**
     * A definition as stored: UTF-8 lines {@code kvstore-index 1}, then {@code name=}, {@code type=},
     * {@code extractor=} (see {@link Extractor#spec}), {@code scope=} (hex) and {@code state=}.
     */
    static byte[] encodeDefinition(Live l) {
        IndexDefinition d = l.definition;
        String text = "kvstore-index 1\nname=" + d.name() + "\ntype=" + d.type() + "\nextractor="
                + d.extractor().spec() + "\nscope=" + HexFormat.of().formatHex(d.scope()) + "\nstate=" + l.state + "\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Live decodeDefinition(int id, byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("kvstore-index ")) {
            throw new io.kvstore.engine.KvStoreException("index definition " + id + " is damaged: " + text);
        }
        int version = Integer.parseInt(lines[0].substring("kvstore-index ".length()).trim());
        if (version != 1) {
            throw new io.kvstore.engine.KvStoreException("index definition " + id + " has format version " + version
                    + "; this build reads version 1: use a newer KvStore");
        }
        Map<String, String> f = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int eq = lines[i].indexOf('=');
            if (eq > 0) {
                f.put(lines[i].substring(0, eq), lines[i].substring(eq + 1));
            }
        }
        IndexDefinition d = IndexDefinition.of(f.get("name"), IndexType.valueOf(f.get("type")),
                Extractor.fromSpec(f.get("extractor"))).withScopePrefix(HexFormat.of().parseHex(f.get("scope")));
        return new Live(id, d, State.valueOf(f.get("state")));
    }
}
