package io.kvstore.data.core;

import io.kvstore.data.core.EntityRegistry.EntityInfo;
import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.WriteBatch;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.data.keyvalue.core.AbstractKeyValueAdapter;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentEntity;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentProperty;
import org.springframework.data.keyvalue.core.query.KeyValueQuery;
import org.springframework.data.mapping.context.MappingContext;
import org.springframework.data.util.CloseableIterator;

/**
 * Spring Data's key-value adapter over one {@link KvStore}.
 *
 * <p>Key layout (see {@link KeyLayout}): an entity of keyspace {@code users} with id {@code 42}
 * is the record {@code users:0000000000000000042}; its value is the entity as JSON (or BSON,
 * per the store's codec). Each {@code @Indexed} property {@code p} is the engine index
 * {@code users.p}, scoped to {@code users:}; its postings are the engine's own entries
 * {@code 0xFF 'P' indexId:u32 term userKey} (see the engine's {@code IndexManager} and
 * {@code Terms}), written in the same atomic batch as the record, carrying the record's expiry.
 *
 * <pre>
 * key                                                          value
 * users:0000000000000000042                                    {"id":42,"name":"Ada","address":{"city":"Porto"},"tags":["a","b"]}
 * users:-9223372036854775766                                   the entity with id -42 (negative ids sort first)
 * users:0000000000000000043                                    {"id":43,...,"_class":"com.example.Admin"}  a subtype of User
 * 0xFF 'P' [id of users.address.city] 0x30"Porto"0x00 0x01 users:0000000000000000042   (empty)
 * 0xFF 'P' [id of users.tags]         0x30"a"0x00 0x01     users:0000000000000000042   (empty)
 * 0xFF 'P' [id of users.tags]         0x30"b"0x00 0x01     users:0000000000000000042   (empty)
 * </pre>
 *
 * Reads of whole keyspaces ({@code findAll}, {@code deleteAll}, {@code count}) scan the
 * keyspace's key range page by page; every query with criteria runs on indexes only. The store
 * belongs to whoever opened it: neither {@link #destroy()} nor the template's shutdown touches
 * its data, and {@link #clear()} removes only the keyspaces of registered entity types.
 */
public class KvStoreKeyValueAdapter extends AbstractKeyValueAdapter {

    static final int PAGE = 500;

    private final KvStore db;
    private final EntityMapper mapper;
    private final EntityRegistry registry;
    private final QueryPlanner planner;

    public KvStoreKeyValueAdapter(KvStore db,
            MappingContext<? extends KeyValuePersistentEntity<?, ?>, ? extends KeyValuePersistentProperty<?>> context) {
        this(db, context, new EntityMapper(db.options().codec()));
    }

    private KvStoreKeyValueAdapter(KvStore db,
            MappingContext<? extends KeyValuePersistentEntity<?, ?>, ? extends KeyValuePersistentProperty<?>> context,
            EntityMapper mapper) {
        super(new KvStoreQueryEngine());
        this.db = db;
        this.mapper = mapper;
        this.registry = new EntityRegistry(db, context);
        this.planner = new QueryPlanner(db, mapper);
    }

    public KvStore store() {
        return db;
    }

    public EntityMapper mapper() {
        return mapper;
    }

    public EntityRegistry registry() {
        return registry;
    }

    public QueryPlanner planner() {
        return planner;
    }

    // ---------------------------------------------------------------- writes

    @Override
    public Object put(Object id, Object item, String keyspace) {
        write(id, item, keyspace, null, null);
        return item;
    }

    /**
     * Writes {@code item}, with a time to live if {@code ttl} is not null, only if the stored
     * value is still {@code expected} when {@code expected} is not null (an empty array: only if
     * there is none). Throws the engine's {@code WriteConflictException} otherwise.
     */
    public void write(Object id, Object item, String keyspace, Duration ttl, byte[] expected) {
        byte[] key = KeyLayout.key(keyspace, id);
        EntityInfo declared = registry.findByKeyspace(keyspace);
        byte[] value = declared == null ? mapper.write(item) : mapper.write(item, declared.type());
        WriteBatch batch = new WriteBatch();
        if (expected != null) {
            if (expected.length == 0) {
                batch.requireAbsent(key);
            } else {
                batch.requireValue(key, expected);
            }
        }
        if (ttl != null) {
            batch.put(key, value, ttl);
        } else {
            batch.put(key, value);
        }
        db.write(batch);
    }

    /** The stored bytes of an entity, or {@code null}. */
    public byte[] raw(Object id, String keyspace) {
        return db.get(KeyLayout.key(keyspace, id));
    }

    @Override
    public boolean contains(Object id, String keyspace) {
        return raw(id, keyspace) != null;
    }

    @Override
    public Object get(Object id, String keyspace) {
        return get(id, keyspace, registry.ofKeyspace(keyspace).type());
    }

    @Override
    public <T> T get(Object id, String keyspace, Class<T> type) {
        byte[] value = raw(id, keyspace);
        return value == null ? null : mapper.read(value, type);
    }

    @Override
    public Object delete(Object id, String keyspace) {
        return delete(id, keyspace, registry.ofKeyspace(keyspace).type());
    }

    @Override
    public <T> T delete(Object id, String keyspace, Class<T> type) {
        T old = get(id, keyspace, type);
        if (old != null) {
            db.delete(KeyLayout.key(keyspace, id));
        }
        return old;
    }

    @Override
    public void deleteAllOf(String keyspace) {
        deleteRange(KeyRange.prefix(KeyLayout.prefix(keyspace)));
    }

    /** Removes every entity of every registered entity type; other keys in the store stay. */
    @Override
    public void clear() {
        registry.keyspaces().forEach(this::deleteAllOf);
    }

    private void deleteRange(KeyRange range) {
        while (true) {
            List<byte[]> keys = new ArrayList<>(PAGE);
            try (KvIterator it = db.scan(range)) {
                while (keys.size() < PAGE && it.hasNext()) {
                    keys.add(it.next().key());
                }
            }
            if (keys.isEmpty()) {
                return;
            }
            WriteBatch batch = new WriteBatch();
            keys.forEach(batch::delete);
            db.write(batch);
            range = range.resumeAfter(keys.get(keys.size() - 1));
        }
    }

    // ---------------------------------------------------------------- whole keyspaces

    @Override
    public Iterable<Object> getAllOf(String keyspace) {
        Class<?> type = registry.ofKeyspace(keyspace).type();
        List<Object> all = new ArrayList<>();
        getAllOf(keyspace, type).forEach(all::add);
        return all;
    }

    @Override
    public <T> Iterable<T> getAllOf(String keyspace, Class<T> type) {
        return () -> new PagedIterator<>(keyspace, type);
    }

    @Override
    public CloseableIterator<Map.Entry<Object, Object>> entries(String keyspace) {
        EntityInfo info = registry.ofKeyspace(keyspace);
        PagedIterator<?> it = new PagedIterator<>(keyspace, info.type());
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map.Entry<Object, Object> next() {
                Object entity = it.next();
                return new AbstractMap.SimpleImmutableEntry<>(KeyLayout.id(it.lastKey, keyspace, info.idType()), entity);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public long count(String keyspace) {
        return planner.source(null, org.springframework.data.domain.Sort.unsorted(),
                registry.ofKeyspace(keyspace).indexes(), registry.ofKeyspace(keyspace).idProperty(),
                registry.ofKeyspace(keyspace).type()).count();
    }

    @Override
    public <T> Iterable<T> find(KeyValueQuery<?> query, String keyspace, Class<T> type) {
        return getQueryEngine().execute(query, keyspace, type);
    }

    @Override
    public void destroy() {
        // The store's lifecycle belongs to whoever opened it (the application or the starter).
    }

    /** A keyspace read page by page: one short scan per page, nothing held open between pages. */
    private final class PagedIterator<T> implements Iterator<T> {
        private final String keyspace;
        private final Class<T> type;
        private final QueryPlanner.Source source;
        private List<KvEntry> page = List.of();
        private int i;
        private String cursor;
        private boolean last;
        byte[] lastKey;

        PagedIterator(String keyspace, Class<T> type) {
            this.keyspace = keyspace;
            this.type = type;
            EntityInfo info = registry.ofKeyspace(keyspace);
            this.source = planner.source(null, org.springframework.data.domain.Sort.unsorted(), info.indexes(),
                    info.idProperty(), type);
        }

        @Override
        public boolean hasNext() {
            while (i >= page.size()) {
                if (last) {
                    return false;
                }
                QueryPlanner.Chunk chunk = source.next(cursor, PAGE);
                page = chunk.entries();
                i = 0;
                cursor = chunk.cursor();
                last = cursor == null;
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more entities in keyspace " + keyspace);
            }
            KvEntry e = page.get(i++);
            lastKey = e.key();
            return mapper.read(e.value(), type);
        }
    }
}
