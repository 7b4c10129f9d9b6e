package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.KvStoreOptions;

/**
 * Adjusts the engine options of an instance before it opens, after the {@code kvstore.*}
 * properties are applied: for options that are not properties (a clock, an operation listener).
 * Beans of this type are applied in {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface KvStoreOptionsCustomizer {

    /** The options {@code instance} opens with; return {@code options} itself to change nothing. */
    KvStoreOptions customize(String instance, KvStoreOptions options);
}
