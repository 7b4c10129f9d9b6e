package io.kvstore.boot.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test slice for KvStore, like {@code @DataRedisTest}: only the KvStore instances, their
 * templates and the repositories are configured (no web layer, no actuator, no other
 * {@code @Component}s), and every instance lives in a fresh temporary directory of its own test
 * class, deleted when the context closes. Instances are configured by the usual
 * {@code kvstore.*} properties, for example {@code @DataKvStoreTest(properties =
 * "kvstore.instances.app.codec=json")}; their {@code data-dir} is ignored.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(DataKvStoreTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(DataKvStoreTypeExcludeFilter.class)
@AutoConfigureDataKvStore
@ImportAutoConfiguration
public @interface DataKvStoreTest {

    /** Properties in {@code key=value} form added to the environment before the test runs. */
    String[] properties() default {};

    /** Whether the default component filters apply ({@code @Component}s are left out unless included). */
    boolean useDefaultFilters() default true;

    /** Components to add to the slice. */
    Filter[] includeFilters() default {};

    /** Components to leave out of the slice. */
    Filter[] excludeFilters() default {};

    /** Auto-configurations to leave out of the slice. */
    @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
    Class<?>[] excludeAutoConfiguration() default {};
}
