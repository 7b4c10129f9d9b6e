package io.kvstore.engine.admin;

import io.kvstore.engine.KvStoreException;

/** An import or export that cannot go on: unreadable input, or a bad row without skip-errors. */
public class ImportException extends KvStoreException {

    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
