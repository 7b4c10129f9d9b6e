package io.kvstore.boot.autoconfigure;

/**
 * A {@code kvstore.*} property whose value the engine cannot use: an unknown codec, a negative or
 * out-of-range size, an index that cannot be built. Names the property, the value and the problem.
 */
public class InvalidKvStorePropertyException extends RuntimeException {

    private final String property;
    private final Object value;
    private final String reason;

    public InvalidKvStorePropertyException(String property, Object value, String reason) {
        this(property, value, reason, null);
    }

    public InvalidKvStorePropertyException(String property, Object value, String reason, Throwable cause) {
        super(property + " = '" + value + "' is invalid: " + reason, cause);
        this.property = property;
        this.value = value;
        this.reason = reason;
    }

    /** The full property name, for example {@code kvstore.instances.app.memtable-size}. */
    public String getProperty() {
        return property;
    }

    public Object getValue() {
        return value;
    }

    public String getReason() {
        return reason;
    }
}
