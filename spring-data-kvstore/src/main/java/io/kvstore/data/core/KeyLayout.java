package io.kvstore.data.core;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Where entities live in the store: the record of entity {@code id} of keyspace {@code users} is
 * the key {@code users:<id>}.
 *
 * <pre>
 * users:alice                                    String id, as is
 * users:0b6c1a52-0f35-4a3e-8f53-4c7d3e3bb6a2     UUID id, its canonical text
 * users:+0000000000000000042                     Long/Integer id 42: sign, then 19 digits, so
 * users:-9223372036854775766                     keys sort like the numbers (negative: 2^63 + id)
 * </pre>
 *
 * Postings of the keyspace's indexes live in the engine's own key space (see the engine's
 * {@code IndexManager}); each index is scoped to the prefix {@code users:}.
 */
public final class KeyLayout {

    private KeyLayout() {
    }

    public static String prefix(String keyspace) {
        return keyspace + ":";
    }

    public static byte[] key(String keyspace, Object id) {
        return (prefix(keyspace) + idText(id)).getBytes(StandardCharsets.UTF_8);
    }

    static String idText(Object id) {
        if (id instanceof Long || id instanceof Integer || id instanceof Short) {
            long v = ((Number) id).longValue();
            return v >= 0 ? "+" + String.format("%019d", v) : "-" + String.format("%019d", v - Long.MIN_VALUE);
        }
        if (id instanceof String || id instanceof UUID) {
            return id.toString();
        }
        throw new IllegalArgumentException("ids of type " + id.getClass().getName()
                + " are not supported: use String, UUID, Long or Integer");
    }

    /** The id in {@code key}, converted to {@code idType}. */
    public static Object id(byte[] key, String keyspace, Class<?> idType) {
        String text = new String(key, StandardCharsets.UTF_8).substring(prefix(keyspace).length());
        if (idType == Long.class || idType == long.class || idType == Integer.class || idType == int.class) {
            long v = Long.parseLong(text.substring(1));
            long id = text.charAt(0) == '+' ? v : v + Long.MIN_VALUE;
            return idType == Integer.class || idType == int.class ? (Object) (int) id : (Object) id;
        }
        if (idType == UUID.class) {
            return UUID.fromString(text);
        }
        return text;
    }
}
