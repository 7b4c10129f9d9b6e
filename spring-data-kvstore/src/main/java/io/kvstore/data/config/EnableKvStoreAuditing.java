package io.kvstore.data.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Turns on auditing for KvStore entities: {@code @CreatedDate}, {@code @LastModifiedDate},
 * {@code @CreatedBy}, {@code @LastModifiedBy} are set on save by the {@code KvStoreTemplate}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(KvStoreAuditingRegistrar.class)
public @interface EnableKvStoreAuditing {

    /** Bean name of the {@code AuditorAware} for the by-properties. */
    String auditorAwareRef() default "";

    boolean setDates() default true;

    boolean modifyOnCreate() default true;

    /** Bean name of the {@code DateTimeProvider} (an injectable clock for tests). */
    String dateTimeProviderRef() default "";
}
