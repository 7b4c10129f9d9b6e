package io.kvstore.data.core;

import io.kvstore.engine.KvStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentEntity;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentProperty;
import org.springframework.data.mapping.context.MappingContext;

/**
 * The entity types stored in one KvStore, by keyspace: their indexes, which are created in the
 * engine (and filled from existing records) when the type is registered, at repository startup.
 */
public final class EntityRegistry {

    /** One entity type: its keyspace, id property and indexes. */
    public record EntityInfo(Class<?> type, String keyspace, String idProperty, Class<?> idType,
            EntityIndexes indexes, KeyValuePersistentEntity<?, ?> entity) {
    }

    private final KvStore db;
    private final MappingContext<? extends KeyValuePersistentEntity<?, ?>, ? extends KeyValuePersistentProperty<?>> context;
    private final Map<Class<?>, EntityInfo> byType = new ConcurrentHashMap<>();
    private final Map<String, EntityInfo> byKeyspace = new ConcurrentHashMap<>();

    public EntityRegistry(KvStore db,
            MappingContext<? extends KeyValuePersistentEntity<?, ?>, ? extends KeyValuePersistentProperty<?>> context) {
        this.db = db;
        this.context = context;
    }

    public MappingContext<? extends KeyValuePersistentEntity<?, ?>, ? extends KeyValuePersistentProperty<?>> context() {
        return context;
    }

    /** The type's info, registering it (and creating its indexes) on first use. */
    public EntityInfo of(Class<?> type) {
        EntityInfo known = byType.get(type);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            return byType.computeIfAbsent(type, t -> {
                KeyValuePersistentEntity<?, ?> entity = context.getRequiredPersistentEntity(t);
                EntityIndexes indexes = EntityIndexes.of(entity, context, db.options().codec());
                indexes.all().forEach(p -> db.indexes().create(p.definition()));
                KeyValuePersistentProperty<?> id = entity.getIdProperty();
                EntityInfo info = new EntityInfo(t, entity.getKeySpace(), id == null ? "id" : id.getName(),
                        id == null ? String.class : id.getType(), indexes, entity);
                byKeyspace.putIfAbsent(info.keyspace(), info);
                return info;
            });
        }
    }

    /** The keyspaces of the registered entity types. */
    public java.util.Set<String> keyspaces() {
        return java.util.Set.copyOf(byKeyspace.keySet());
    }

    /** The info of the type first registered for {@code keyspace}, or {@code null}. */
    public EntityInfo findByKeyspace(String keyspace) {
        return byKeyspace.get(keyspace);
    }

    /** The info of the type stored under {@code keyspace}, if one was registered. */
    public EntityInfo ofKeyspace(String keyspace) {
        EntityInfo info = byKeyspace.get(keyspace);
        if (info == null) {
            throw new IllegalStateException("no entity type registered for keyspace '" + keyspace + "'");
        }
        return info;
    }
}
