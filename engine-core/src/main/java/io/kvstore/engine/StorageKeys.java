package io.kvstore.engine;

import io.kvstore.engine.index.IndexManager;
import java.util.Arrays;

/**
 * Where user keys and the store's own entries (index postings, index definitions) live in the one
 * sorted key space of the memtables and tables.
 *
 * <pre>
 * storage key                    holds
 * k                              user key k, when k[0] &lt; 0xFE (every UTF-8 key: UTF-8 never has 0xFE or 0xFF)
 * 0xFE · k                       user key k, when k[0] is 0xFE or 0xFF (escaped)
 * 0xFF · s                       the store's own entry s; after every user key
 * </pre>
 *
 * The mapping keeps user keys in unsigned byte order, so a user range maps to one storage range
 * and scans, seeks and compaction need no other change; the store's own entries sort after all
 * of them, where user scans never reach. Only keys starting with 0xFE or 0xFF pay a byte.
 */
final class StorageKeys {

    static final byte ESCAPE = (byte) 0xFE;
    static final byte SYSTEM = (byte) 0xFF;
    /** The first storage key that is not a user key: the exclusive end of the user key space. */
    static final byte[] SYSTEM_START = {SYSTEM};

    private StorageKeys() {
    }

    /** The storage key of user key {@code key}: {@code key} itself unless it must be escaped. */
    static byte[] user(byte[] key) {
        if (!needsEscape(key)) {
            return key;
        }
        byte[] escaped = new byte[key.length + 1];
        escaped[0] = ESCAPE;
        System.arraycopy(key, 0, escaped, 1, key.length);
        return escaped;
    }

    /** The storage key of the store's own entry {@code key}. */
    static byte[] system(byte[] key) {
        byte[] s = new byte[key.length + 1];
        s[0] = SYSTEM;
        System.arraycopy(key, 0, s, 1, key.length);
        return s;
    }

    static boolean needsEscape(byte[] userKey) {
        return userKey.length > 0 && (userKey[0] == ESCAPE || userKey[0] == SYSTEM);
    }

    /** The user key (or own entry) stored as {@code storage[off..off+len)}, with any leading marker byte removed. */
    static byte[] strip(byte[] storage, int off, int len) {
        int skip = len > 0 && (storage[off] == ESCAPE || storage[off] == SYSTEM) ? 1 : 0;
        return Arrays.copyOfRange(storage, off + skip, off + len);
    }

    /**
     * The store's {@link io.kvstore.engine.io.FilterPrefix} rule: for a posting, the storage key's
     * {@code 0xFF · 'P' · id · term} part, so the filters know which tables hold a term.
     */
    static int filterPrefixLength(byte[] storage, int off, int len) {
        if (len < 1 || storage[off] != SYSTEM) {
            return -1;
        }
        int own = IndexManager.postingTermLength(storage, off + 1, len - 1);
        return own < 0 ? -1 : own + 1;
    }

    /** Whether the storage key lies in the space of the store's own entries. */
    static boolean isSystem(byte[] storage, int off, int len) {
        return len > 0 && storage[off] == SYSTEM;
    }
}
