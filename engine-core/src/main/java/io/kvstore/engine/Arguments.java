package io.kvstore.engine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/** Checks of the arguments every write and read takes; messages name the argument and the rule. */
final class Arguments {

    private Arguments() {
    }

    /** The ttl in milliseconds, checked: positive. */
    static long checkTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl must not be null");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        try {
            return Math.max(1, ttl.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key must not be null");
        if (key.length == 0) {
            throw new IllegalArgumentException("key must not be empty");
        }
    }

    static byte[] utf8Key(String key) {
        Objects.requireNonNull(key, "key must not be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
