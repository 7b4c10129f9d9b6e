package io.kvstore.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * How a store's values are encoded: {@link #RAW}, {@link #JSON} or {@link #BSON}. A codec validates
 * values ({@link #parse}, {@link #validate}), reads fields out of them for secondary indexes
 * ({@link #parse} then {@link Document#read}), and converts them from and to JSON text for clients
 * that speak JSON ({@link #fromJson}, {@link #toJson}). What each codec accepts, the path syntax
 * and the value model are in the {@linkplain io.kvstore.engine.codec package documentation}.
 *
 * <p>The three constants are the only instances; codecs are stateless and thread-safe.
 */
public abstract sealed class Codec permits RawCodec, JsonCodec, BsonCodec {

    /** Bytes as they are: every value is valid; only the path {@code $} reads anything. */
    public static final Codec RAW = new RawCodec();

    /** UTF-8 JSON text whose top level is an object or an array (RFC 8259, strict). */
    public static final Codec JSON = new JsonCodec();

    /** BSON documents (bsonspec.org), as written by the MongoDB drivers. */
    public static final Codec BSON = new BsonCodec();

    /**
     * The deepest nesting of objects and arrays a JSON or BSON value may have (the top level is
     * depth 1); deeper values are invalid, which also bounds the recursion of every reader.
     */
    static final int MAX_DEPTH = 500;

    Codec() {
    }

    /**
     * The codec of a name, ignoring case: {@code "raw"}, {@code "json"} or {@code "bson"}.
     *
     * @throws IllegalArgumentException for any other name, listing the valid ones
     */
    public static Codec named(String name) {
        Objects.requireNonNull(name, "codec name must not be null");
        switch (name.toLowerCase(Locale.ROOT)) {
            case "raw":
                return RAW;
            case "json":
                return JSON;
            case "bson":
                return BSON;
            default:
                throw new IllegalArgumentException(
                        "unknown codec '" + name + "'; valid names are raw, json and bson");
        }
    }

    /** {@code "raw"}, {@code "json"} or {@code "bson"}; {@link #named} of it returns this codec. */
    public abstract String name();

    /**
     * Parses and validates a value.
     *
     * @param key the key the value is stored under, named in the exception; may be {@code null}
     * @throws InvalidValueException naming the key and the parse error; never for {@link #RAW}
     */
    public abstract Document parse(byte[] key, byte[] value);

    /**
     * Checks that a value is valid: {@link #parse} without keeping the result.
     *
     * @throws InvalidValueException naming the key and the parse error; never for {@link #RAW}
     */
    public void validate(byte[] key, byte[] value) {
        parse(key, value);
    }

    /**
     * The stored form of a value given as JSON text. {@link #RAW}: the UTF-8 bytes of the text, or
     * the bytes of a {@code {"$binary":...}} wrapper that {@link #toJson} wrote; {@link #JSON}: the
     * UTF-8 bytes of the text, validated; {@link #BSON}: the BSON document of relaxed or canonical
     * Extended JSON text.
     *
     * @throws InvalidValueException (with a {@code null} key) when the text is not valid for the codec
     */
    public abstract byte[] fromJson(String json);

    /**
     * A stored value as JSON text. {@link #RAW}: the bytes as text when they are valid UTF-8, else
     * {@code {"$binary":{"base64":"...","subType":"00"}}}; {@link #JSON}: the text itself;
     * {@link #BSON}: relaxed Extended JSON. {@code fromJson(toJson(v))} gives back {@code v} for raw
     * and JSON values, and an equal BSON document for BSON values.
     *
     * @throws InvalidValueException (with a {@code null} key) when the value is not valid for the
     *     codec
     */
    public abstract String toJson(byte[] value);

    @Override
    public String toString() {
        return name();
    }

    /** The UTF-8 bytes of text; unpaired surrogates, which UTF-8 cannot encode, are refused. */
    static byte[] utf8(String text, String what) {
        Objects.requireNonNull(text, "json must not be null");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    throw new InvalidValueException(null, "is not valid " + what
                            + ": unpaired surrogate U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                            + " at index " + i + " of the text");
                }
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
