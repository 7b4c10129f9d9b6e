package io.kvstore.engine;

/**
 * A {@link WriteBatch} condition ({@link WriteBatch#requireValue}, {@link WriteBatch#requireAbsent})
 * did not hold when the batch was about to be written: nothing of the batch was written.
 */
public class WriteConflictException extends KvStoreException {

    private final byte[] key;

    public WriteConflictException(byte[] key, String message) {
        super(message);
        this.key = key.clone();
    }

    /** The key whose current value differed from the expected one. */
    public byte[] key() {
        return key.clone();
    }
}
