package io.kvstore.engine.codec;

import java.nio.charset.StandardCharsets;

/**
 * A value is not valid for the store's {@link Codec}. The message names the key and the parse
 * error, e.g. {@code value of key 'user:1' is not valid JSON: unexpected end-of-input: expected
 * close marker for Object at line 1, column 12}. The key is shown as text when it is printable
 * UTF-8, else as hex ({@code 0x00ff12}); a long key is cut after 128 characters (hex: bytes) in the
 * message, {@link #key()} has all of it.
 */
public class InvalidValueException extends IllegalArgumentException {

    /** The most key characters (or bytes, when shown as hex) in the message. */
    static final int KEY_SHOWN = 128;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final byte[] key;

    /**
     * @param key the key the value was written under, or {@code null} when there is none (a value
     *     converted from JSON before it has a key)
     * @param problem what is wrong, starting with "is not valid ..."
     */
    public InvalidValueException(byte[] key, String problem) {
        super(describe(key) + " " + problem);
        this.key = key == null ? null : key.clone();
    }

    public InvalidValueException(byte[] key, String problem, Throwable cause) {
        super(describe(key) + " " + problem, cause);
        this.key = key == null ? null : key.clone();
    }

    /** The key of the invalid value, or {@code null} when the value had no key yet. */
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    private static String describe(byte[] key) {
        return key == null ? "value" : "value of key " + keyText(key);
    }

    /** The key as {@code 'text'} when printable UTF-8, else as {@code 0x...} hex; cut when long. */
    static String keyText(byte[] key) {
        String cut = "... (" + key.length + " bytes)";
        if (Utf8.isValid(key)) {
            String text = new String(key, StandardCharsets.UTF_8);
            if (isPrintable(text)) {
                if (text.codePointCount(0, text.length()) <= KEY_SHOWN) {
                    return "'" + text + "'";
                }
                return "'" + text.substring(0, text.offsetByCodePoints(0, KEY_SHOWN)) + "'" + cut;
            }
        }
        int shown = Math.min(key.length, KEY_SHOWN);
        StringBuilder hex = new StringBuilder(2 + 2 * shown).append("0x");
        for (int i = 0; i < shown; i++) {
            hex.append(HEX[(key[i] >> 4) & 0xf]).append(HEX[key[i] & 0xf]);
        }
        return shown < key.length ? hex.append(cut).toString() : hex.toString();
    }

    private static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }
}
