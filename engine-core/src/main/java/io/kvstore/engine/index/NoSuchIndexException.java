package io.kvstore.engine.index;

/** A query or admin call named an index the store does not have (or cannot use yet). */
public class NoSuchIndexException extends IllegalArgumentException {

    private final String index;

    public NoSuchIndexException(String index, String message) {
        super(message);
        this.index = index;
    }

    public String index() {
        return index;
    }
}
