package io.kvstore.engine;

import java.nio.charset.StandardCharsets;

/**
 * One key and its value, as returned by a scan. The arrays belong to the caller.
 *
 * @param key   the key, never empty
 * @param value the value, possibly empty
 */
public record KvEntry(byte[] key, byte[] value) {

    /** The key decoded as UTF-8. */
    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KvEntry[" + keyAsString() + " (" + value.length + " bytes)]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvEntry other && java.util.Arrays.equals(key, other.key)
                && java.util.Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(key) + java.util.Arrays.hashCode(value);
    }
}
