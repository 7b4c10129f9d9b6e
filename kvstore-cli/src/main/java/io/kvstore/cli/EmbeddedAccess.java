package io.kvstore.cli;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.ListOptions;
import io.kvstore.engine.Listing;
import io.kvstore.engine.VerifyReport;
import io.kvstore.engine.WriteBatch;
import io.kvstore.engine.admin.BackupManifest;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexQuery;
import io.kvstore.engine.index.QueryPage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A store directory opened in this process ({@code --data-dir}). */
final class EmbeddedAccess implements StoreAccess {

    private final KvStore db;

    EmbeddedAccess(KvStore db) {
        this.db = db;
    }

    /** The open store, for the commands that only work on one (import, export). */
    KvStore store() {
        return db;
    }

    @Override
    public String describe() {
        return db.directory().toString();
    }

    @Override
    public Codec codec() {
        return db.options().codec();
    }

    @Override
    public Codec valueCodec() {
        return db.options().codec();
    }

    @Override
    public byte[] get(String key) {
        return db.get(key);
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        if (ttl != null) {
            db.put(key, value, ttl);
        } else {
            db.put(key, value);
        }
    }

    @Override
    public int delete(List<String> keys) {
        WriteBatch batch = new WriteBatch();
        int existed = 0;
        for (String k : keys) {
            if (db.get(k) != null) {
                existed++;
            }
            batch.delete(k.getBytes(StandardCharsets.UTF_8));
        }
        db.write(batch);
        return existed;
    }

    @Override
    public void write(List<Op> ops) {
        WriteBatch batch = new WriteBatch();
        for (Op op : ops) {
            if (op.value() == null) {
                batch.delete(op.key());
            } else {
                batch.put(op.key(), op.value());
            }
        }
        db.write(batch);
    }

    static KeyRange keyRange(Range r) {
        KeyRange range = r.prefix() != null ? KeyRange.prefix(r.prefix())
                : r.end() != null ? KeyRange.lessThan(r.end().getBytes(StandardCharsets.UTF_8)) : KeyRange.all();
        if (r.start() != null) {
            range = range.startingAt(r.start().getBytes(StandardCharsets.UTF_8));
        }
        return range;
    }

    @Override
    public boolean scan(Range range, long limit, boolean values, Consumer<KvEntry> sink) {
        long n = 0;
        try (KvIterator it = db.scan(keyRange(range))) {
            while (it.hasNext()) {
                if (limit != 0 && n == limit) {
                    return true;
                }
                sink.accept(it.next());
                n++;
            }
        }
        return false;
    }

    @Override
    public long count(Range range) {
        long n = 0;
        try (KvIterator it = db.scan(keyRange(range))) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Override
    public Listing list(String dir, ListOptions options) {
        return db.list(dir, options);
    }

    @Override
    public QueryPage find(FindQuery f) {
        IndexQuery q = query(f.index(), f.conditions()).limit(f.limit());
        if (f.after() != null) {
            q = q.after(f.after());
        }
        if (f.descending()) {
            q = q.descending();
        }
        return db.query(q);
    }

    /** The engine query of a command line's conditions (validated by the find command). */
    private static IndexQuery query(String index, Map<String, Object> c) {
        if (c.containsKey("eq")) {
            return IndexQuery.eq(index, c.get("eq"));
        }
        if (c.containsKey("in")) {
            return IndexQuery.in(index, (List<?>) c.get("in"));
        }
        if (c.containsKey("prefix")) {
            return IndexQuery.prefix(index, (String) c.get("prefix"));
        }
        if (c.containsKey("text")) {
            return IndexQuery.text(index, (String) c.get("text"));
        }
        if (c.containsKey("gte") && c.containsKey("lt")) {
            return IndexQuery.range(index, c.get("gte"), c.get("lt"));
        }
        IndexQuery lower = c.containsKey("gte") ? IndexQuery.gte(index, c.get("gte"))
                : c.containsKey("gt") ? IndexQuery.gt(index, c.get("gt")) : null;
        IndexQuery upper = c.containsKey("lte") ? IndexQuery.lte(index, c.get("lte"))
                : c.containsKey("lt") ? IndexQuery.lt(index, c.get("lt")) : null;
        return lower == null ? upper : upper == null ? lower : lower.and(upper);
    }

    @Override
    public Map<String, Object> stats() {
        return AdminCommands.stats(db.stats());
    }

    @Override
    public void compact() {
        db.compact();
    }

    @Override
    public VerifyReport verify() {
        return db.verify();
    }

    @Override
    public BackupResult backup(Path archive) {
        if (archive == null) {
            throw new IllegalArgumentException("name the archive to write, e.g. kvstore backup backups/app.tar.gz");
        }
        BackupManifest m = db.backup(archive);
        return new BackupResult(archive.toString(), m.lastSequence(), m.files().size(), m.totalBytes(),
                m.createdAt().toString());
    }

    @Override
    public List<IndexDefinition> indexes() {
        return db.indexes().list();
    }

    @Override
    public void createIndex(IndexDefinition definition) {
        db.indexes().create(definition);
    }

    @Override
    public boolean dropIndex(String name) {
        boolean existed = db.indexes().get(name).isPresent();
        db.indexes().drop(name);
        return existed;
    }

    @Override
    public void rebuildIndex(String name) {
        db.indexes().rebuild(name);
    }

    @Override
    public void close() {
        db.close();
    }
}
