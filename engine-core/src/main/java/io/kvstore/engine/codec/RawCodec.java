package io.kvstore.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Values are bytes as they are. The JSON form of a value is its text when the bytes are valid
 * UTF-8, else the Extended JSON binary wrapper {@code {"$binary":{"base64":"...","subType":"00"}}}
 * written exactly so (no spaces). {@link #fromJson} turns exactly that wrapper back into the bytes
 * and any other text into its UTF-8 bytes; so that text which happens to look like the wrapper
 * survives too, {@link #toJson} wraps it as well. Hence {@code fromJson(toJson(v))} is {@code v}
 * for every value.
 */
final class RawCodec extends Codec {

    private static final String BINARY_PREFIX = "{\"$binary\":{\"base64\":\"";
    private static final String BINARY_SUFFIX = "\",\"subType\":\"00\"}}";

    @Override
    public String name() {
        return "raw";
    }

    @Override
    public Document parse(byte[] key, byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
        return new RawDocument(Utf8.isValid(value) ? new String(value, StandardCharsets.UTF_8) : value.clone());
    }

    /** Every value is valid; nothing to parse. */
    @Override
    public void validate(byte[] key, byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
    }

    @Override
    public byte[] fromJson(String json) {
        byte[] wrapped = unwrapBinary(json);
        return wrapped != null ? wrapped : utf8(json, "text");
    }

    @Override
    public String toJson(byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
        if (Utf8.isValid(value)) {
            String text = new String(value, StandardCharsets.UTF_8);
            if (unwrapBinary(text) == null) {
                return text;
            }
        }
        return BINARY_PREFIX + Base64.getEncoder().encodeToString(value) + BINARY_SUFFIX;
    }

    /** The bytes in a binary wrapper written exactly as {@link #toJson} writes it, else null. */
    private static byte[] unwrapBinary(String text) {
        if (text == null || !text.startsWith(BINARY_PREFIX) || !text.endsWith(BINARY_SUFFIX)
                || text.length() < BINARY_PREFIX.length() + BINARY_SUFFIX.length()) {
            return null;
        }
        String base64 = text.substring(BINARY_PREFIX.length(), text.length() - BINARY_SUFFIX.length());
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // Only the canonical spelling, so that unwrapping and wrapping are inverses.
        return Base64.getEncoder().encodeToString(bytes).equals(base64) ? bytes : null;
    }

    /** The whole value at {@code $}: a {@code String} when valid UTF-8, else {@code byte[]}. */
    private static final class RawDocument implements Document {

        private final Object value;

        RawDocument(Object value) {
            this.value = value;
        }

        @Override
        public List<Object> read(FieldPath path) {
            Objects.requireNonNull(path, "path must not be null");
            if (!path.steps().isEmpty()) {
                return Collections.emptyList();
            }
            return List.of(value instanceof byte[] bytes ? bytes.clone() : value);
        }
    }
}
