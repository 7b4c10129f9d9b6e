package io.kvstore.data.annotation;

import io.kvstore.engine.index.IndexType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a secondary index on a property: derived queries on it run on the index. On a
 * collection property every element is indexed (a multi-valued index); on a property of a nested
 * object, the nested property is (e.g. {@code address.city} when {@code city} of {@code Address}
 * carries the annotation). The engine index is created, and filled from existing data, when the
 * repository starts.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.ANNOTATION_TYPE, ElementType.RECORD_COMPONENT})
public @interface Indexed {

    /**
     * {@code EQUALITY} (the default: {@code Is}, {@code In}, {@code True}/{@code False},
     * {@code IsNull}, {@code Containing} an element), {@code RANGE} (also {@code Between},
     * {@code GreaterThan}, {@code LessThan}, {@code After}, {@code Before},
     * {@code StartingWith}, and {@code OrderBy}/{@code Sort}), {@code PREFIX} (also
     * {@code StartingWith}), {@code TEXT} ({@code Containing} words).
     */
    IndexType type() default IndexType.EQUALITY;
}
