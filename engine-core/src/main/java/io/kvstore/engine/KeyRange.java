package io.kvstore.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A range of keys in unsigned byte order: from an inclusive lower bound to an exclusive upper
 * bound, either of which may be open. Immutable.
 *
 * <p>Paging: {@link #resumeAfter(byte[])} turns the last key of one page into the range of the next.
 */
public final class KeyRange {

    private static final byte[] NO_BOUND = null;
    private static final KeyRange ALL = new KeyRange(NO_BOUND, NO_BOUND);

    /** Inclusive lower bound, or {@code null} for "from the first key". */
    final byte[] from;
    /** Exclusive upper bound, or {@code null} for "to the last key". */
    final byte[] to;

    private KeyRange(byte[] from, byte[] to) {
        this.from = from;
        this.to = to;
    }

    /** Every key. */
    public static KeyRange all() {
        return ALL;
    }

    /** Every key that starts with {@code prefix}; an empty prefix means every key. */
    public static KeyRange prefix(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix must not be null");
        if (prefix.length == 0) {
            return ALL;
        }
        return new KeyRange(prefix.clone(), prefixSuccessor(prefix));
    }

    /** Every key whose UTF-8 encoding starts with the UTF-8 encoding of {@code prefix}. */
    public static KeyRange prefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix must not be null");
        return prefix(prefix.getBytes(StandardCharsets.UTF_8));
    }

    /** Keys from {@code fromInclusive} up to but excluding {@code toExclusive}. */
    public static KeyRange between(byte[] fromInclusive, byte[] toExclusive) {
        Objects.requireNonNull(fromInclusive, "fromInclusive must not be null");
        Objects.requireNonNull(toExclusive, "toExclusive must not be null");
        if (Arrays.compareUnsigned(fromInclusive, toExclusive) > 0) {
            throw new IllegalArgumentException("fromInclusive (" + describe(fromInclusive)
                    + ") must not be after toExclusive (" + describe(toExclusive) + ")");
        }
        return new KeyRange(fromInclusive.clone(), toExclusive.clone());
    }

    /** {@link #between(byte[], byte[])} with UTF-8 encoded bounds. */
    public static KeyRange between(String fromInclusive, String toExclusive) {
        Objects.requireNonNull(fromInclusive, "fromInclusive must not be null");
        Objects.requireNonNull(toExclusive, "toExclusive must not be null");
        return between(fromInclusive.getBytes(StandardCharsets.UTF_8), toExclusive.getBytes(StandardCharsets.UTF_8));
    }

    /** Keys from {@code fromInclusive} to the last key. */
    public static KeyRange atLeast(byte[] fromInclusive) {
        Objects.requireNonNull(fromInclusive, "fromInclusive must not be null");
        return new KeyRange(fromInclusive.clone(), NO_BOUND);
    }

    /** Keys before {@code toExclusive}. */
    public static KeyRange lessThan(byte[] toExclusive) {
        Objects.requireNonNull(toExclusive, "toExclusive must not be null");
        return new KeyRange(NO_BOUND, toExclusive.clone());
    }

    /** This range, starting at {@code startKey} (inclusive) if that is later than its own start. */
    public KeyRange startingAt(byte[] startKey) {
        Objects.requireNonNull(startKey, "startKey must not be null");
        if (from != null && Arrays.compareUnsigned(startKey, from) <= 0) {
            return this;
        }
        return new KeyRange(startKey.clone(), to);
    }

    /**
     * This range, starting just after {@code lastKey}: the next page of a scan whose previous page
     * ended with {@code lastKey}.
     */
    public KeyRange resumeAfter(byte[] lastKey) {
        Objects.requireNonNull(lastKey, "lastKey must not be null");
        byte[] successor = Arrays.copyOf(lastKey, lastKey.length + 1); // lastKey + 0x00: the next key in order
        return startingAt(successor);
    }

    /** The inclusive lower bound (a copy), or {@code null} if the range is open at the start. */
    public byte[] fromInclusive() {
        return from == null ? null : from.clone();
    }

    /** The exclusive upper bound (a copy), or {@code null} if the range is open at the end. */
    public byte[] toExclusive() {
        return to == null ? null : to.clone();
    }

    /** Whether {@code key} lies in this range. */
    public boolean contains(byte[] key) {
        Objects.requireNonNull(key, "key must not be null");
        return (from == null || Arrays.compareUnsigned(key, from) >= 0) && !isBeyondEnd(key, 0, key.length);
    }

    /** Whether {@code key[off..off+len)} is at or past the exclusive upper bound. */
    boolean isBeyondEnd(byte[] key, int off, int len) {
        return to != null && Arrays.compareUnsigned(key, off, off + len, to, 0, to.length) >= 0;
    }

    /** The smallest key greater than every key starting with {@code prefix}, or {@code null} if none. */
    static byte[] prefixSuccessor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] successor = Arrays.copyOf(prefix, i + 1);
                successor[i]++;
                return successor;
            }
        }
        return NO_BOUND; // all 0xFF: every later key starts with the prefix
    }

    private static String describe(byte[] key) {
        return key.length <= 64 ? "0x" + HexFormat.of().formatHex(key)
                : "0x" + HexFormat.of().formatHex(key, 0, 64) + "… (" + key.length + " bytes)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange other && Arrays.equals(from, other.from) && Arrays.equals(to, other.to);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(from) + Arrays.hashCode(to);
    }

    @Override
    public String toString() {
        return "KeyRange[" + (from == null ? "-∞" : describe(from)) + ", " + (to == null ? "+∞" : describe(to)) + ")";
    }
}
