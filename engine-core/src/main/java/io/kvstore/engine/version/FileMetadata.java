package io.kvstore.engine.version;

import io.kvstore.engine.memtable.InternalKey;
import java.util.Arrays;

/**
 * A live table file as the manifest records it.
 *
 * @param number   file number ({@code NNNNNN.sst})
 * @param size     file size in bytes, checked when the table is opened
 * @param smallest smallest encoded internal key in the file
 * @param largest  largest encoded internal key in the file
 */
public record FileMetadata(long number, long size, byte[] smallest, byte[] largest) {

    /** Whether the file's user-key range contains {@code userKey}. */
    public boolean mayContain(byte[] userKey) {
        return compareUser(smallest, userKey) <= 0 && compareUser(largest, userKey) >= 0;
    }

    /** Compares the user-key part of encoded internal key {@code encoded} with {@code userKey}. */
    static int compareUser(byte[] encoded, byte[] userKey) {
        return Arrays.compareUnsigned(encoded, 0, encoded.length - InternalKey.TRAILER_SIZE, userKey, 0,
                userKey.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileMetadata f && f.number == number;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number);
    }

    @Override
    public String toString() {
        return String.format("%06d.sst (%d bytes)", number, size);
    }
}
