package io.kvstore.engine.index;

/** What an index can answer. Every type finds records by exact term; some do more. */
public enum IndexType {
    /** {@link IndexQuery#eq} and {@link IndexQuery#in}; results in primary key order. */
    EQUALITY,
    /** Equality plus ranges ({@code range/gt/gte/lt/lte}) and prefixes; range results in term order, either direction. */
    RANGE,
    /** Equality plus {@link IndexQuery#prefix} on string terms; results in primary key order. */
    PREFIX,
    /** Words: string values are split into lower-cased letter-or-digit tokens; {@link IndexQuery#text} finds records holding all given words. */
    TEXT
}
