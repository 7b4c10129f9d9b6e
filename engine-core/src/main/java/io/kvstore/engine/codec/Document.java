package io.kvstore.engine.codec;

import java.util.List;

/**
 * A parsed value, from {@link Codec#parse}. Reading several paths from one document parses the value
 * once. Documents are immutable and safe to share between threads.
 */
public interface Document {

    /**
     * The scalar values at a path, in document order. The list is empty when the path is missing,
     * lands on an object, or lands on an array without a following {@code [*]}; a JSON or BSON
     * {@code null} is a {@code null} element. The element types are those of the value model in the
     * {@linkplain io.kvstore.engine.codec package documentation}: {@code String}, {@code Long},
     * {@code Double}, {@code Boolean}, {@code byte[]} (a fresh copy on every read) and {@code null}.
     * The list is unmodifiable.
     */
    List<Object> read(FieldPath path);
}
