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
 * @param smallestSequence smallest sequence number of an entry in the file
 * @param largestSequence  largest sequence number of an entry in the file: L0 files and size-tiered
 *                         runs are ordered by it, newest data first
 */
public record FileMetadata(long number, long size, byte[] smallest, byte[] largest, long smallestSequence,
        long largestSequence) {

    /** Whether the file's user-key range contains {@code userKey}. */
    public boolean mayContain(byte[] userKey) {
        return compareUser(smallest, userKey) <= 0 && compareUser(largest, userKey) >= 0;
    }

    /** Whether the file's user-key range overlaps {@code [from, to]} (user keys; {@code null} = unbounded). */
    public boolean overlaps(byte[] fromUserKey, byte[] toUserKey) {
        return (toUserKey == null || compareUser(smallest, toUserKey) <= 0)
                && (fromUserKey == null || compareUser(largest, fromUserKey) >= 0);
    }

    public byte[] smallestUserKey() {
        return InternalKey.userKeyOf(smallest);
    }

    public byte[] largestUserKey() {
        return InternalKey.userKeyOf(largest);
    }

    /** Compares the user-key part of encoded internal key {@code encoded} with {@code userKey}. */
    public static int compareUser(byte[] encoded, byte[] userKey) {
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
