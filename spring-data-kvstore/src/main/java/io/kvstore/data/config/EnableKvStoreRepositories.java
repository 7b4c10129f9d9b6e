package io.kvstore.data.config;

import io.kvstore.data.repository.KvStorePartTreeQuery;
import io.kvstore.data.repository.KvStoreQueryCreator;
import io.kvstore.data.repository.KvStoreRepositoryFactoryBean;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.support.BeanNameGenerator;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.context.annotation.Import;
import org.springframework.data.keyvalue.repository.config.QueryCreatorType;
import org.springframework.data.repository.query.QueryLookupStrategy;

/**
 * Turns on KvStore repositories: interfaces extending {@code KvStoreRepository} in the
 * annotated class's package (or {@link #basePackages()}) become beans backed by the
 * {@code KvStoreTemplate} bean named {@link #keyValueTemplateRef()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(KvStoreRepositoriesRegistrar.class)
@QueryCreatorType(value = KvStoreQueryCreator.class, repositoryQueryType = KvStorePartTreeQuery.class)
public @interface EnableKvStoreRepositories {

    String[] value() default {};

    String[] basePackages() default {};

    Class<?>[] basePackageClasses() default {};

    Filter[] excludeFilters() default {};

    Filter[] includeFilters() default {};

    String repositoryImplementationPostfix() default "Impl";

    String namedQueriesLocation() default "";

    QueryLookupStrategy.Key queryLookupStrategy() default QueryLookupStrategy.Key.CREATE_IF_NOT_FOUND;

    Class<?> repositoryFactoryBeanClass() default KvStoreRepositoryFactoryBean.class;

    Class<?> repositoryBaseClass() default io.kvstore.data.repository.SimpleKvStoreRepository.class;

    Class<? extends BeanNameGenerator> nameGenerator() default BeanNameGenerator.class;

    /** The bean name of the {@code KvStoreTemplate} the repositories use. */
    String keyValueTemplateRef() default "kvStoreTemplate";

    boolean considerNestedRepositories() default false;
}
