package io.kvstore.engine.memtable;

import io.kvstore.engine.io.Coding;
import java.util.Arrays;

/**
 * The internal key: a user key with the sequence number and type of one version of it.
 *
 * <pre>
 * internal key := userKey trailer:u64             (big-endian, in table files)
 * trailer      := sequence &lt;&lt; 8 | type          sequence &lt; 2^55, type PUT(1) | DELETE(0) | PUT_TTL(2)
 * PUT_TTL value := expiresAtMillis:u64 value       expired (expiresAt ≤ read time): reads as deleted
 * </pre>
 *
 * Order: user key ascending in unsigned byte order, then trailer descending, so the newest
 * version of a key comes first and a lookup for {@code (key, snapshotSequence)} lands on the
 * newest version the snapshot can see.
 */
public final class InternalKey {

    public static final byte TYPE_DELETE = 0;
    public static final byte TYPE_PUT = 1;
    /** A put with a time-to-live: the stored value is {@code expiresAtMillis:u64} followed by the value. */
    public static final byte TYPE_PUT_TTL = 2;
    /** The largest type: lookups seek to {@code (key, sequence, TYPE_MAX)}, before every version at that sequence. */
    public static final byte TYPE_MAX = TYPE_PUT_TTL;
    /** Bytes of the expiry prefix of a {@link #TYPE_PUT_TTL} value. */
    public static final int EXPIRY_SIZE = 8;
    public static final int TRAILER_SIZE = 8;
    /** Largest sequence number the engine hands out; keeps trailers positive as signed longs. */
    public static final long MAX_SEQUENCE = (1L << 55) - 1;
    /** Trailer that sorts before every version of a key: where a seek to a user key lands. */
    public static final long SEEK_TRAILER = trailer(MAX_SEQUENCE, TYPE_MAX);

    private InternalKey() {
    }

    /** The trailer a lookup at {@code sequence} seeks to: before every version with sequence ≤ it. */
    public static long lookupTrailer(long sequence) {
        return trailer(sequence, TYPE_MAX);
    }

    /**
     * Decodes the newest visible version found for a lookup: {@code null} stays "not here",
     * a delete or an entry expired at {@code nowMillis} becomes {@code deleted}, a put a copy of
     * its value.
     */
    public static byte[] resolve(long trailer, byte[] buf, int valueOff, int valueLen, long nowMillis,
            byte[] deleted) {
        return switch (type(trailer)) {
            case TYPE_PUT -> Arrays.copyOfRange(buf, valueOff, valueOff + valueLen);
            case TYPE_PUT_TTL -> Coding.getLong(buf, valueOff) <= nowMillis ? deleted
                    : Arrays.copyOfRange(buf, valueOff + EXPIRY_SIZE, valueOff + valueLen);
            default -> deleted;
        };
    }

    public static long trailer(long sequence, byte type) {
        return (sequence << 8) | type;
    }

    public static long sequence(long trailer) {
        return trailer >>> 8;
    }

    public static byte type(long trailer) {
        return (byte) trailer;
    }

    /** Compares two internal keys given as user-key ranges and trailers. */
    public static int compare(byte[] a, int aOff, int aLen, long aTrailer, byte[] b, int bOff, int bLen,
            long bTrailer) {
        int c = Arrays.compareUnsigned(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
        return c != 0 ? c : Long.compare(bTrailer, aTrailer);
    }

    /** Compares two encoded internal keys (user key followed by the 8-byte trailer). */
    public static int compareEncoded(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        return compare(a, aOff, aLen - TRAILER_SIZE, Coding.getLong(a, aOff + aLen - TRAILER_SIZE),
                b, bOff, bLen - TRAILER_SIZE, Coding.getLong(b, bOff + bLen - TRAILER_SIZE));
    }

    /** Encodes {@code userKey[off..off+len)} and {@code trailer} as one array. */
    public static byte[] encode(byte[] userKey, int off, int len, long trailer) {
        byte[] encoded = new byte[len + TRAILER_SIZE];
        System.arraycopy(userKey, off, encoded, 0, len);
        Coding.putLong(encoded, len, trailer);
        return encoded;
    }

    public static long trailerOf(byte[] encoded) {
        return Coding.getLong(encoded, encoded.length - TRAILER_SIZE);
    }

    public static byte[] userKeyOf(byte[] encoded) {
        return Arrays.copyOf(encoded, encoded.length - TRAILER_SIZE);
    }
}
