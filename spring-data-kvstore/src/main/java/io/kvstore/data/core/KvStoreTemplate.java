package io.kvstore.data.core;

import io.kvstore.data.annotation.TimeToLive;
import io.kvstore.data.core.EntityRegistry.EntityInfo;
import io.kvstore.engine.WriteBatch;
import io.kvstore.engine.WriteConflictException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.BeansException;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
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

    public KvStoreTemplate(KvStoreKeyValueAdapter adapter, KeyValueMappingContext<?, ?> mappingContext) {
        super(adapter, mappingContext);
        this.adapter = adapter;
        setExceptionTranslator(KvStoreExceptionTranslator.INSTANCE);
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

    private Object audited(Object entity) {
        IsNewAwareAuditingHandler handler = auditing;
        if (handler == null && context != null) {
            handler = context.getBeanProvider(IsNewAwareAuditingHandler.class).getIfAvailable();
            auditing = handler;
        }
        return handler == null ? entity : handler.markAudited(entity);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T insert(Object id, T objectToInsert) {
        EntityInfo info = adapter.registry().of(objectToInsert.getClass());
        T entity = (T) audited(objectToInsert);
        KeyValuePersistentProperty<?> version = info.entity().getVersionProperty();
        if (version != null) {
            PersistentPropertyAccessor<T> accessor = accessor(info, entity);
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

    @Override
    @SuppressWarnings("unchecked")
    public <T> T update(Object id, T objectToUpdate) {
        EntityInfo info = adapter.registry().of(objectToUpdate.getClass());
        T entity = (T) audited(objectToUpdate);
        KeyValuePersistentProperty<?> version = info.entity().getVersionProperty();
        byte[] expected = null;
        if (version != null) {
            PersistentPropertyAccessor<T> accessor = accessor(info, entity);
            Object current = accessor.getProperty(version);
            expected = adapter.raw(id, info.keyspace());
            checkVersion(info, id, version, current, expected);
            long next = current == null ? 0 : ((Number) current).longValue() + 1;
            accessor.setProperty(version, convertNumber(next, version.getType()));
            entity = accessor.getBean();
            if (expected == null) {
                expected = new byte[0];
            }
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
        publish(KeyValueEvent.afterUpdate(id, info.keyspace(), info.type(), entity, null));
        return entity;
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
        }
        publish(KeyValueEvent.afterDelete(id, info.keyspace(), info.type(), objectToDelete));
        return objectToDelete;
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

    private void publish(KeyValueEvent<?> event) {
        if (publisher != null) {
            publisher.publishEvent(event);
        }
    }
}
