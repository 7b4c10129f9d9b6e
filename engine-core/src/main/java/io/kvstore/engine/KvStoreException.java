package io.kvstore.engine;

/** Base of every exception the engine throws for a failed operation (as opposed to a bad argument). */
public class KvStoreException extends RuntimeException {

    public KvStoreException(String message) {
        super(message);
    }

    public KvStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
