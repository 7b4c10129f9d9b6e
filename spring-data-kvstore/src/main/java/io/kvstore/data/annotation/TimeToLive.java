package io.kvstore.data.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * How long a saved entity lives. On the type: every entity of it lives {@link #value()}
 * {@link #unit()}s after each save. On a numeric property: that property's value (in
 * {@link #unit()}) is the time to live of this entity; {@code null} or non-positive means forever.
 * An expired entity is gone from {@code findById}, {@code findAll}, {@code count} and every
 * query at the same moment, with its index entries.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT})
public @interface TimeToLive {

    /** On a type: the time to live. Ignored on a property. */
    long value() default -1;

    TimeUnit unit() default TimeUnit.SECONDS;
}
