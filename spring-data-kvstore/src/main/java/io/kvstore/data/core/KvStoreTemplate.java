package io.kvstore.data.core;

import io.kvstore.data.annotation.TimeToLive;
import io.kvstore.data.core.EntityRegistry.EntityInfo;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.WriteBatch;
import io.kvstore.engine.WriteConflictException;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.Optional;
import org.springframework.beans.BeansException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.annotation.CreatedBy;
import org.springframework.data.annotation.CreatedDate;
import org.springframework.data.auditing.IsNewAwareAuditingHandler;
import org.springframework.data.keyvalue.core.KeyValueTemplate;
import org.springframework.data.keyvalue.core.event.KeyValueEvent;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentEntity;
import org.springframework.data.keyvalue.core.mapping.KeyValuePersistentProperty;
import org.springframework.data.keyvalue.core.mapping.context.KeyValueMappingContext;
import org.springframework.data.mapping.PersistentPropertyAccessor;
import org.springframework.data.mapping.model.EntityInstantiators;
import org.springframework.data.mapping.model.InstantiationAwarePropertyAccessor;
import tools.jackson.databind.JsonNode;

/**
 * {@link KeyValueTemplate} for KvStore, adding what a key-value map does not have:
 * <ul>
 * <li>{@code @Version}: optimistic locking. An insert requires the key to be absent, an update
 *     or delete requires the stored record to be exactly the one whose version the entity
 *     carries; the check and the write are one atomic engine write (a conditional batch), so a
 *     concurrent writer always makes one of them fail with {@link OptimisticLockingFailureException}.
 * <li>{@code @TimeToLive} on the type or a property: the record (and its index entries) expire.
 * <li>Auditing ({@code @CreatedDate}, {@code @LastModifiedDate}, …) when
 *     {@code @EnableKvStoreAuditing} registered a handler.
 * <li>Indexes of {@code @Indexed} properties are created for each entity type on first use.
 * </ul>
 * Engine exceptions are translated by {@link KvStoreExceptionTranslator}.
 */
public class KvStoreTemplate extends KeyValueTemplate implements ApplicationContextAware {

    private final KvStoreKeyValueAdapter adapter;
    private final EntityInstantiators instantiators = new EntityInstantiators();
    private ApplicationEventPublisher publisher;
    private ApplicationContext context;
    private volatile IsNewAwareAuditingHandler auditing;
    @SuppressWarnings("rawtypes")
    private java.util.Set<Class<? extends KeyValueEvent>> eventTypes = java.util.Set.of();

    public KvStoreTemplate(KvStoreKeyValueAdapter adapter, KeyValueMappingContext<?, ?> mappingContext) {
        super(adapter, mappingContext);
        this.adapter = adapter;
        setExceptionTranslator(KvStoreExceptionTranslator.INSTANCE);
    }

    /** A template over {@code store} with a mapping context of its own: the usual bean definition. */
    public static KvStoreTemplate of(KvStore store) {
        KeyValueMappingContext<?, ?> context = new KeyValueMappingContext<>();
        return new KvStoreTemplate(new KvStoreKeyValueAdapter(store, context), context);
    }

    public KvStoreKeyValueAdapter adapter() {
        return adapter;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
        super.setApplicationEventPublisher(applicationEventPublisher);
        this.publisher = applicationEventPublisher;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) throws BeansException {
        this.context = applicationContext;
    }

    /** Sets the auditing handler explicitly (otherwise it is looked up in the application context). */
    public void setAuditingHandler(IsNewAwareAuditingHandler handler) {
        this.auditing = handler;
    }

    private IsNewAwareAuditingHandler auditingHandler() {
        IsNewAwareAuditingHandler handler = auditing;
        if (handler == null && context != null) {
            handler = context.getBeanProvider(IsNewAwareAuditingHandler.class).getIfAvailable();
            auditing = handler;
        }
        return handler;
    }

    /**
     * Saves {@code objectToInsert}, which must not exist yet. A missing {@code String} or
     * {@code UUID} id is generated (a random UUID, version 4) and set on the returned entity,
     * also for records and immutable classes.
     */
    @Override
    public <T> T insert(T objectToInsert) {
        EntityInfo info = adapter.registry().of(objectToInsert.getClass());
        KeyValuePersistentProperty<?> idProperty = info.entity().getIdProperty();
        if (idProperty == null) {
            throw new InvalidDataAccessApiUsageException(info.type().getName() + " has no id property; "
                    + "annotate one with @Id (String, UUID, Long or Integer)");
        }
        Object id = info.entity().getIdentifierAccessor(objectToInsert).getIdentifier();
        return insert(id == null ? newId(info, idProperty) : id, objectToInsert);
    }

    private static Object newId(EntityInfo info, KeyValuePersistentProperty<?> idProperty) {
        if (idProperty.getType() == String.class) {
            return UUID.randomUUID().toString();
        }
        if (idProperty.getType() == UUID.class) {
            return UUID.randomUUID();
        }
        throw new InvalidDataAccessApiUsageException("cannot save a " + info.type().getSimpleName() + " without an id: "
                + "KvStore generates ids only for String and UUID id properties, and '" + idProperty.getName()
                + "' is a " + idProperty.getType().getSimpleName() + "; set it before saving");
    }

    /** Inserts under {@code id}; the entity's id property is set to {@code id} when it is empty. */
    @Override
    public <T> T insert(Object id, T objectToInsert) {
        EntityInfo info = adapter.registry().of(objectToInsert.getClass());
        T entity = objectToInsert;
        PersistentPropertyAccessor<T> accessor = accessor(info, entity);
        KeyValuePersistentProperty<?> idProperty = info.entity().getIdProperty();
        if (idProperty != null && accessor.getProperty(idProperty) == null) {
            accessor.setProperty(idProperty, id);
        }
        IsNewAwareAuditingHandler handler = auditingHandler();
        entity = handler == null ? accessor.getBean() : handler.markCreated(accessor.getBean());
        KeyValuePersistentProperty<?> version = info.entity().getVersionProperty();
        if (version != null) {
            accessor = accessor(info, entity);
            if (accessor.getProperty(version) == null) {
                accessor.setProperty(version, convertNumber(0L, version.getType()));
            }
            entity = accessor.getBean();
        }
        publish(KeyValueEvent.beforeInsert(id, info.keyspace(), info.type(), entity));
        try {
            adapter.write(id, entity, info.keyspace(), ttl(info, entity), new byte[0]);
        } catch (WriteConflictException e) {
            throw new DuplicateKeyException("cannot insert " + info.type().getSimpleName() + " with id '" + id
                    + "': the keyspace '" + info.keyspace() + "' already holds one", e);
        } catch (RuntimeException e) {
            throw KvStoreExceptionTranslator.INSTANCE.translate(e);
        }
        publish(KeyValueEvent.afterInsert(id, info.keyspace(), info.type(), entity));
        return entity;
    }

    /**
     * Saves {@code objectToUpdate} under {@code id}, creating it if it does not exist (unless it
     * is versioned and carries a version: then it must exist at that version). Auditing marks it
     * created when nothing is stored under {@code id}, else modified, keeping the stored
     * {@code @CreatedDate}/{@code @CreatedBy}: a caller's copy cannot rewrite when it was created.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T update(Object id, T objectToUpdate) {
        EntityInfo info = adapter.registry().of(objectToUpdate.getClass());
        KeyValuePersistentProperty<?> version = info.entity().getVersionProperty();
        IsNewAwareAuditingHandler handler = auditingHandler();
        // The stored record: for the version check, to keep the creation audit, for the event's "before".
        boolean readStored = version != null || handler != null || publisher != null;
        byte[] stored = readStored ? adapter.raw(id, info.keyspace()) : null;
        T old = stored == null ? null : (T) adapter.mapper().read(stored, info.type());
        T entity = objectToUpdate;
        if (handler != null) {
            entity = old == null ? handler.markCreated(entity) : keepCreated(info, handler.markModified(entity), old);
        }
        byte[] expected = null;
        if (version != null) {
            PersistentPropertyAccessor<T> accessor = accessor(info, entity);
            Object current = accessor.getProperty(version);
            checkVersion(info, id, version, current, stored);
            long next = current == null ? 0 : ((Number) current).longValue() + 1;
            accessor.setProperty(version, convertNumber(next, version.getType()));
            entity = accessor.getBean();
            // Atomic with the write: it fails if anyone wrote the record since it was read.
            expected = stored == null ? new byte[0] : stored;
        }
        publish(KeyValueEvent.beforeUpdate(id, info.keyspace(), info.type(), entity));
        try {
            adapter.write(id, entity, info.keyspace(), ttl(info, entity), expected);
        } catch (WriteConflictException e) {
            throw new OptimisticLockingFailureException("cannot update " + info.type().getSimpleName() + " with id '"
                    + id + "': it was changed concurrently", e);
        } catch (RuntimeException e) {
            throw KvStoreExceptionTranslator.INSTANCE.translate(e);
        }
        publish(KeyValueEvent.afterUpdate(id, info.keyspace(), info.type(), entity, old));
        return entity;
    }

    /** {@code entity} with the {@code @CreatedDate} and {@code @CreatedBy} values of {@code stored}. */
    private <T> T keepCreated(EntityInfo info, T entity, T stored) {
        PersistentPropertyAccessor<T> accessor = accessor(info, entity);
        PersistentPropertyAccessor<T> from = accessor(info, stored);
        for (Class<? extends Annotation> created : List.of(CreatedDate.class, CreatedBy.class)) {
            KeyValuePersistentProperty<?> p = info.entity().getPersistentProperty(created);
            if (p != null && from.getProperty(p) != null) {
                accessor.setProperty(p, from.getProperty(p));
            }
        }
        return accessor.getBean();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T delete(T objectToDelete) {
        EntityInfo info = adapter.registry().of(objectToDelete.getClass());
        KeyValuePersistentProperty<?> version = info.entity().getVersionProperty();
        if (version == null) {
            return super.delete(objectToDelete);
        }
        Object id = info.entity().getIdentifierAccessor(objectToDelete).getRequiredIdentifier();
        Object current = accessor(info, objectToDelete).getProperty(version);
        byte[] stored = adapter.raw(id, info.keyspace());
        if (stored == null) {
            return null; // deleting what is not there is a no-op
        }
        checkVersion(info, id, version, current, stored);
        publish(KeyValueEvent.beforeDelete(id, info.keyspace(), info.type()));
        try {
            adapter.store().write(new WriteBatch().requireValue(KeyLayout.key(info.keyspace(), id), stored)
                    .delete(KeyLayout.key(info.keyspace(), id)));
        } catch (WriteConflictException e) {
            throw new OptimisticLockingFailureException("cannot delete " + info.type().getSimpleName() + " with id '"
                    + id + "': it was changed concurrently", e);
        } catch (RuntimeException e) {
            throw KvStoreExceptionTranslator.INSTANCE.translate(e);
        }
        publish(KeyValueEvent.afterDelete(id, info.keyspace(), info.type(), objectToDelete));
        return objectToDelete;
    }

    /**
     * Does nothing: {@link KeyValueTemplate#destroy()} clears the adapter, which for a store on
     * disk would delete every entity at application shutdown. The store belongs to whoever opened it.
     */
    @Override
    public void destroy() {
    }

    @Override
    public <T> Optional<T> findById(Object id, Class<T> type) {
        adapter.registry().of(type);
        return super.findById(id, type);
    }

    private void checkVersion(EntityInfo info, Object id, KeyValuePersistentProperty<?> version, Object current,
            byte[] stored) {
        if (stored == null) {
            if (current != null) {
                throw new OptimisticLockingFailureException("cannot save " + info.type().getSimpleName() + " with id '"
                        + id + "' at version " + current + ": it no longer exists");
            }
            return;
        }
        JsonNode node = adapter.mapper().tree(stored).get(version.getName());
        Long storedVersion = node == null || node.isNull() ? null : node.longValue();
        Long mine = current == null ? null : ((Number) current).longValue();
        if (!java.util.Objects.equals(storedVersion, mine)) {
            throw new OptimisticLockingFailureException("cannot save " + info.type().getSimpleName() + " with id '"
                    + id + "' at version " + mine + ": the stored one is at version " + storedVersion);
        }
    }

    private static Object convertNumber(long v, Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return (int) v;
        }
        if (type == Short.class || type == short.class) {
            return (short) v;
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private <T> PersistentPropertyAccessor<T> accessor(EntityInfo info, T bean) {
        KeyValuePersistentEntity<T, ?> entity = (KeyValuePersistentEntity<T, ?>) info.entity();
        return new InstantiationAwarePropertyAccessor<>(bean, entity::getPropertyAccessor, instantiators);
    }

    /** The time to live of {@code entity}: from a {@code @TimeToLive} property, else from the type, else none. */
    private Duration ttl(EntityInfo info, Object entity) {
        KeyValuePersistentProperty<?> property = info.entity().getPersistentProperty(TimeToLive.class);
        if (property != null) {
            Object v = info.entity().getPropertyAccessor(entity).getProperty(property);
            TimeToLive t = property.findAnnotation(TimeToLive.class);
            if (v instanceof Number n && n.longValue() > 0) {
                return Duration.ofMillis(t.unit().toMillis(n.longValue()));
            }
            if (v instanceof Duration d && !d.isNegative() && !d.isZero()) {
                return d;
            }
        }
        TimeToLive onType = info.type().getAnnotation(TimeToLive.class);
        if (onType != null && onType.value() > 0) {
            return Duration.ofMillis(onType.unit().toMillis(onType.value()));
        }
        return null;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void setEventTypesToPublish(java.util.Set<Class<? extends KeyValueEvent>> eventTypesToPublish) {
        super.setEventTypesToPublish(eventTypesToPublish);
        this.eventTypes = eventTypesToPublish == null ? java.util.Set.of() : java.util.Set.copyOf(eventTypesToPublish);
    }

    /** Publishes like {@link KeyValueTemplate} does: every event unless a set of types was given. */
    private void publish(KeyValueEvent<?> event) {
        if (publisher != null && (eventTypes.isEmpty() || eventTypes.contains(event.getClass()))) {
            publisher.publishEvent(event);
        }
    }
}
