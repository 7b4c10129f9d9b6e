package io.kvstore.data.core;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.KvStoreException;
import io.kvstore.engine.StoreClosedException;
import io.kvstore.engine.WriteConflictException;
import io.kvstore.engine.index.NoSuchIndexException;
import io.kvstore.engine.index.QueryLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.support.PersistenceExceptionTranslator;
import org.springframework.data.keyvalue.core.UncategorizedKeyValueException;

/** The one place engine exceptions become Spring's {@link DataAccessException}s. */
public class KvStoreExceptionTranslator implements PersistenceExceptionTranslator {

    public static final KvStoreExceptionTranslator INSTANCE = new KvStoreExceptionTranslator();

    @Override
    public DataAccessException translateExceptionIfPossible(RuntimeException e) {
        if (e instanceof DataAccessException dae) {
            return dae;
        }
        if (e instanceof WriteConflictException) {
            return new OptimisticLockingFailureException(e.getMessage(), e);
        }
        if (e instanceof QueryLimitException) {
            return new QueryTimeoutException(e.getMessage(), e);
        }
        if (e instanceof NoSuchIndexException) {
            return new InvalidDataAccessResourceUsageException(e.getMessage(), e);
        }
        if (e instanceof CorruptionException || e instanceof StoreClosedException) {
            return new DataAccessResourceFailureException(e.getMessage(), e);
        }
        if (e instanceof io.kvstore.engine.codec.InvalidValueException) {
            return new DataIntegrityViolationException(e.getMessage(), e);
        }
        if (e instanceof IllegalArgumentException) {
            return new InvalidDataAccessApiUsageException(e.getMessage(), e);
        }
        if (e instanceof KvStoreException) {
            return new UncategorizedKeyValueException(e.getMessage(), e);
        }
        return null;
    }

    /** {@code e} translated, or {@code e} itself when it is none of the store's. */
    public RuntimeException translate(RuntimeException e) {
        DataAccessException translated = translateExceptionIfPossible(e);
        return translated != null ? translated : e;
    }
}
