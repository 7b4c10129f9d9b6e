package io.kvstore.engine.codec;

/**
 * Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), nothing
 * above U+10FFFF, no truncated sequences. {@code new String(bytes, UTF_8)} would instead replace
 * such bytes with U+FFFD silently.
 */
final class Utf8 {

    private Utf8() {
    }

    static boolean isValid(byte[] bytes) {
        return firstInvalid(bytes) < 0;
    }

    /** The offset of the first byte of the first ill-formed sequence, or -1 when all is valid. */
    static int firstInvalid(byte[] bytes) {
        return firstInvalid(bytes, 0, bytes.length);
    }

    /**
     * The offset in {@code bytes} of the first ill-formed sequence in {@code [from, to)}, or -1 when
     * the range is valid; a sequence running past {@code to} is ill-formed.
     */
    static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        int n = to;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xff;
            int length;
            int min2;
            int max2;
            if (b >= 0xc2 && b <= 0xdf) {
                length = 2;
                min2 = 0x80;
                max2 = 0xbf;
            } else if (b >= 0xe0 && b <= 0xef) {
                length = 3;
                min2 = b == 0xe0 ? 0xa0 : 0x80; // 0xe0 0x80..0x9f would be overlong
                max2 = b == 0xed ? 0x9f : 0xbf; // 0xed 0xa0..0xbf would be a surrogate
            } else if (b >= 0xf0 && b <= 0xf4) {
                length = 4;
                min2 = b == 0xf0 ? 0x90 : 0x80; // 0xf0 0x80..0x8f would be overlong
                max2 = b == 0xf4 ? 0x8f : 0xbf; // 0xf4 0x90.. would be above U+10FFFF
            } else {
                return i; // a continuation byte, 0xc0/0xc1 (overlong) or 0xf5..0xff
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < min2 || second > max2) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xc0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
