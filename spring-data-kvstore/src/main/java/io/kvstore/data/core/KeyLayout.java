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
 * users:0000000000000000042                      Long/Integer id 42: 19 digits, zero-padded
 * users:-9223372036854775766                     id -42: '-', then 19 digits of 2^63 + id
 * </pre>
 *
 * Numeric ids sort like the numbers: '-' (0x2D) sorts before every digit, so negative ids come
 * first, and among them 2^63 + id grows with the id (Long.MIN_VALUE is {@code -0000000000000000000},
 * -1 is {@code -9223372036854775807}). Index queries ordered by key, and {@code OrderById}, rely
 * on this.
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
            return v >= 0 ? String.format("%019d", v) : "-" + String.format("%019d", v - Long.MIN_VALUE);
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
            boolean negative = text.startsWith("-");
            long v = Long.parseLong(negative ? text.substring(1) : text);
            long id = negative ? v + Long.MIN_VALUE : v;
            return idType == Integer.class || idType == int.class ? (Object) (int) id : (Object) id;
        }
        if (idType == UUID.class) {
            return UUID.fromString(text);
        }
        return text;
    }
}
