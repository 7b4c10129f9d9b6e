package io.kvstore.engine.index;

import io.kvstore.engine.KvStoreException;

/** A query stopped at its timeout or its postings budget. */
public class QueryLimitException extends KvStoreException {

    public QueryLimitException(String message) {
        super(message);
    }
}
