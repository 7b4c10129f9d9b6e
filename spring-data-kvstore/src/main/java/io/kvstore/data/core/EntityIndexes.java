package io.kvstore.data.core;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentEntity;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentProperty;
import org.springframework.data.mapping.context.MappingContext;

/**
 * The {@link Indexed} properties of one entity type, each with its engine index: named
 * {@code <keyspace>.<property path>}, reading {@code $.<path>} (with {@code [*]} after each
 * collection) from records under {@code <keyspace>:}, with the extractor of the store's codec
 * ({@code jsonPath} for JSON, {@code bsonPath} for BSON records).
 */
public final class EntityIndexes {

    /** One indexed property path, e.g. {@code address.city}. */
    public record IndexedProperty(String path, IndexType type, boolean multiValued, IndexDefinition definition) {
        public String indexName() {
            return definition.name();
        }
    }

    private static final int MAX_DEPTH = 4;

    private final String keyspace;
    private final Codec codec;
    private final Map<String, IndexedProperty> byPath = new LinkedHashMap<>();

    private EntityIndexes(String keyspace, Codec codec) {
        this.keyspace = keyspace;
        this.codec = codec;
    }

    public static EntityIndexes of(KeyValuePersistentEntity<?, ?> entity,
            MappingContext<? extends KeyValuePersistentEntity<?, ?>, ? extends KeyValuePersistentProperty<?>> context,
            Codec codec) {
        EntityIndexes indexes = new EntityIndexes(entity.getKeySpace(), codec);
        indexes.collect(entity, context, "", "$", 0);
        return indexes;
    }

    private void collect(KeyValuePersistentEntity<?, ?> entity,
            MappingContext<? extends KeyValuePersistentEntity<?, ?>, ? extends KeyValuePersistentProperty<?>> context,
            String pathPrefix, String jsonPrefix, int depth) {
        for (KeyValuePersistentProperty<?> p : entity.getPersistentProperties(Indexed.class)) {
            // getPersistentProperties(annotation) only returns annotated ones; nested ones below.
            add(p, pathPrefix, jsonPrefix);
        }
        if (depth >= MAX_DEPTH) {
            return;
        }
        for (KeyValuePersistentProperty<?> p : entity) {
            if (p.isIdProperty() || p.isAnnotationPresent(Indexed.class)) {
                continue;
            }
            Class<?> nested = p.isCollectionLike() ? p.getActualType() : p.getType();
            if (p.isEntity() && !nested.getName().startsWith("java.")) {
                KeyValuePersistentEntity<?, ?> child = context.getPersistentEntity(nested);
                if (child != null) {
                    String json = jsonPrefix + "." + p.getName() + (p.isCollectionLike() ? "[*]" : "");
                    collect(child, context, pathPrefix + p.getName() + ".", json, depth + 1);
                }
            }
        }
    }

    private void add(KeyValuePersistentProperty<?> p, String pathPrefix, String jsonPrefix) {
        Indexed indexed = p.findAnnotation(Indexed.class);
        String path = pathPrefix + p.getName();
        boolean multi = p.isCollectionLike() || jsonPrefix.contains("[*]");
        String json = jsonPrefix + "." + p.getName() + (p.isCollectionLike() ? "[*]" : "");
        IndexDefinition definition = IndexDefinition.of(keyspace + "." + path, indexed.type(),
                        codec == Codec.BSON ? Extractor.bsonPath(json) : Extractor.jsonPath(json))
                .withScopePrefix(KeyLayout.prefix(keyspace));
        byPath.put(path, new IndexedProperty(path, indexed.type(), multi, definition));
    }

    public String keyspace() {
        return keyspace;
    }

    public Optional<IndexedProperty> get(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public Collection<IndexedProperty> all() {
        return byPath.values();
    }
}
