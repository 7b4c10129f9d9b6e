package io.kvstore.engine.index;

/**
 * One write of a batch, as the index code sees it: a put (with an expiry, or 0) or a delete of a
 * user key or an own key.
 *
 * @param key       the user key, or for entries the index code adds, the own key
 * @param value     the value of a put; {@code null} for a delete
 * @param expiresAt epoch millis at which a put expires, 0 if never
 */
public record Op(byte[] key, byte[] value, long expiresAt) {

    public static Op put(byte[] key, byte[] value, long expiresAt) {
        return new Op(key, value, expiresAt);
    }

    public static Op delete(byte[] key) {
        return new Op(key, null, 0);
    }

    public boolean isDelete() {
        return value == null;
    }
}
