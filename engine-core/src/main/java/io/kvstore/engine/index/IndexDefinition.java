package io.kvstore.engine.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an index holds: a {@code name}, a {@link IndexType type}, the {@link Extractor} that finds
 * the values to index in a record, and an optional key prefix that limits it to some records.
 * Immutable.
 *
 * <pre>{@code
 * db.indexes().create(IndexDefinition.of("city", IndexType.EQUALITY, Extractor.jsonPath("$.city"))
 *         .withScopePrefix("users:"));
 * }</pre>
 */
public final class IndexDefinition {

    /** Longest index name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 200;

    private final String name;
    private final IndexType type;
    private final Extractor extractor;
    private final byte[] scopePrefix;

    private IndexDefinition(String name, IndexType type, Extractor extractor, byte[] scopePrefix) {
        this.name = name;
        this.type = type;
        this.extractor = extractor;
        this.scopePrefix = scopePrefix;
    }

    /**
     * An index named {@code name} over every record. Names are 1 to 200 UTF-8 bytes of letters,
     * digits and {@code _ - . :}.
     */
    public static IndexDefinition of(String name, IndexType type, Extractor extractor) {
        checkName(name);
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(extractor, "extractor must not be null");
        return new IndexDefinition(name, type, extractor, new byte[0]);
    }

    /** This index limited to records whose key starts with {@code prefix} (UTF-8). */
    public IndexDefinition withScopePrefix(String prefix) {
        Objects.requireNonNull(prefix, "scope prefix must not be null");
        return withScopePrefix(prefix.getBytes(StandardCharsets.UTF_8));
    }

    /** This index limited to records whose key starts with {@code prefix}; empty means every record. */
    public IndexDefinition withScopePrefix(byte[] prefix) {
        Objects.requireNonNull(prefix, "scope prefix must not be null");
        return new IndexDefinition(name, type, extractor, prefix.clone());
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "index name must not be null");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("index name must be 1 to " + MAX_NAME_BYTES + " bytes, got " + bytes);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '.' && c != ':') {
                throw new IllegalArgumentException("index name '" + name + "' has '" + c
                        + "' at " + i + ": use letters, digits, '_', '-', '.' or ':'");
            }
        }
    }

    public String name() {
        return name;
    }

    public IndexType type() {
        return type;
    }

    public Extractor extractor() {
        return extractor;
    }

    /** The key prefix of the records this index covers (a copy; empty: every record). */
    public byte[] scopePrefix() {
        return scopePrefix.clone();
    }

    /** Whether {@code key} is a record this index covers. */
    public boolean covers(byte[] key) {
        return key.length >= scopePrefix.length && Arrays.equals(key, 0, scopePrefix.length, scopePrefix, 0,
                scopePrefix.length);
    }

    byte[] scope() {
        return scopePrefix;
    }

    IndexDefinition withExtractor(Extractor e) {
        return new IndexDefinition(name, type, e, scopePrefix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexDefinition d && name.equals(d.name) && type == d.type
                && extractor.equals(d.extractor) && Arrays.equals(scopePrefix, d.scopePrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, extractor, Arrays.hashCode(scopePrefix));
    }

    @Override
    public String toString() {
        String scope = scopePrefix.length == 0 ? "" : ", scope " + Terms.describeBytes(scopePrefix);
        return "index '" + name + "' (" + type + " on " + extractor + scope + ")";
    }
}
