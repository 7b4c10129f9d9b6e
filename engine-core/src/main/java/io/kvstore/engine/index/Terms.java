package io.kvstore.engine.index;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The order-preserving, self-delimiting encoding of index terms: comparing two encoded terms as
 * unsigned bytes orders them like their values, and no encoded term is a prefix of another, so a
 * posting key {@code term · primary key} splits unambiguously.
 *
 * <pre>
 * null      0x05
 * false     0x14
 * true      0x15
 * number    0x21 · double:8 · exact:8      integers and doubles in one numeric order
 * string    0x30 · escaped UTF-8 · 0x00 0x01
 * bytes     0x40 · escaped bytes · 0x00 0x01
 * </pre>
 *
 * Numbers: {@code double} is the value as a double with the sign bit flipped (all bits flipped
 * when negative), so doubles order as unsigned bytes; {@code exact} is the signed distance of a
 * long from that double (flipped sign bit), which orders longs beyond 2^53 that round to the same
 * double. -0.0 is stored as 0.0; NaN after +infinity. Escaping: each 0x00 byte becomes 0x00 0xFF,
 * so the terminator 0x00 0x01 sorts before any continuation.
 */
final class Terms {

    static final byte NULL = 0x05;
    static final byte FALSE = 0x14;
    static final byte TRUE = 0x15;
    static final byte NUMBER = 0x21;
    static final byte STRING = 0x30;
    static final byte BYTES = 0x40;
    private static final int NUMBER_SIZE = 17;
    private static final double TWO_TO_63 = 0x1p63;

    private Terms() {
    }

    /** The encoded term of {@code value}, or an IllegalArgumentException naming the unsupported type. */
    static byte[] encode(Object value) {
        if (value == null) {
            return new byte[] {NULL};
        }
        if (value instanceof String s) {
            return string(STRING, s.getBytes(StandardCharsets.UTF_8), true);
        }
        if (value instanceof Boolean b) {
            return new byte[] {b ? TRUE : FALSE};
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return integer(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return floating(((Number) value).doubleValue());
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? integer(big.longValue()) : floating(big.doubleValue());
        }
        if (value instanceof BigDecimal dec) {
            try {
                return integer(dec.longValueExact());
            } catch (ArithmeticException notALong) {
                return floating(dec.doubleValue());
            }
        }
        if (value instanceof byte[] bytes) {
            return string(BYTES, bytes, true);
        }
        if (value instanceof Character c) {
            return encode(String.valueOf(c));
        }
        if (value instanceof Enum<?> e) {
            return encode(e.name());
        }
        throw new IllegalArgumentException("cannot index a value of type " + value.getClass().getName()
                + ": index values are String, numbers, Boolean, byte[] or null");
    }

    /** The encoding of string {@code prefix} without its terminator: a byte prefix of every string term starting with it. */
    static byte[] stringPrefix(String prefix) {
        return string(STRING, prefix.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The type tag of an encoded term. */
    static byte tag(byte[] term) {
        return term[0];
    }

    /** The first byte after every term of {@code tag}'s type: the exclusive end of that type's terms. */
    static byte[] typeEnd(byte tag) {
        return new byte[] {(byte) (tag == FALSE ? TRUE + 1 : tag + 1)};
    }

    /** The first possible term of {@code tag}'s type. */
    static byte[] typeStart(byte tag) {
        return new byte[] {tag == TRUE ? FALSE : tag};
    }

    /** Length of the encoded term starting at {@code buf[off]}. */
    static int length(byte[] buf, int off, int end) {
        byte tag = buf[off];
        switch (tag) {
            case NULL, FALSE, TRUE:
                return 1;
            case NUMBER:
                if (end - off < NUMBER_SIZE) {
                    throw new IllegalStateException("truncated number term");
                }
                return NUMBER_SIZE;
            case STRING, BYTES:
                for (int i = off + 1; i + 1 < end; i++) {
                    if (buf[i] == 0) {
                        if (buf[i + 1] == 1) {
                            return i + 2 - off;
                        }
                        i++; // 0x00 0xFF: an escaped zero
                    }
                }
                throw new IllegalStateException("unterminated string term");
            default:
                throw new IllegalStateException("unknown term type 0x" + Integer.toHexString(tag & 0xFF));
        }
    }

    private static byte[] string(byte tag, byte[] raw, boolean terminate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 3);
        out.write(tag);
        for (byte b : raw) {
            out.write(b);
            if (b == 0) {
                out.write(0xFF);
            }
        }
        if (terminate) {
            out.write(0);
            out.write(1);
        }
        return out.toByteArray();
    }

    static byte[] integer(long v) {
        double d = (double) v;
        long exact = d >= TWO_TO_63 ? v - Long.MAX_VALUE - 1 : v - (long) d;
        return number(d, exact);
    }

    static byte[] floating(double d) {
        if (d == 0.0) {
            d = 0.0; // -0.0 and 0.0 are one value
        }
        if (Double.isNaN(d)) {
            d = Double.NaN; // one NaN
        }
        return number(d, 0);
    }

    private static byte[] number(double d, long exact) {
        long bits = Double.doubleToLongBits(d);
        bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
        byte[] out = new byte[NUMBER_SIZE];
        out[0] = NUMBER;
        putLong(out, 1, bits);
        putLong(out, 9, exact ^ Long.MIN_VALUE);
        return out;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** The smallest byte string after every string that starts with {@code prefix}, or {@code null} if none. */
    static byte[] prefixSuccessor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] s = Arrays.copyOf(prefix, i + 1);
                s[i]++;
                return s;
            }
        }
        return null;
    }

    static boolean startsWith(byte[] buf, byte[] prefix) {
        return buf.length >= prefix.length && Arrays.equals(buf, 0, prefix.length, prefix, 0, prefix.length);
    }

    static String describeBytes(byte[] key) {
        boolean printable = true;
        for (byte b : key) {
            if (b < 0x20 || b == 0x7F) {
                printable = false;
                break;
            }
        }
        String text = new String(key, StandardCharsets.UTF_8);
        if (printable && Arrays.equals(text.getBytes(StandardCharsets.UTF_8), key)) {
            return "'" + text + "'";
        }
        return "0x" + HexFormat.of().formatHex(key);
    }
}
