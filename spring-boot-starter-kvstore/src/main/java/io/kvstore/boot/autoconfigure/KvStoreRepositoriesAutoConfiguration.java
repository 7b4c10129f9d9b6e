package io.kvstore.boot.autoconfigure;

import io.kvstore.data.config.EnableKvStoreRepositories;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.data.repository.KvStoreRepositoryFactoryBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Import;

/**
 * KvStore repositories, enabled the way Spring Boot enables Redis repositories: interfaces
 * extending {@code KvStoreRepository} in the auto-configuration packages become beans backed by
 * the {@code kvStoreTemplate} of {@code kvstore.repositories.instance} (default: the primary
 * instance). {@code kvstore.repositories.enabled=false} turns this off; an explicit
 * {@code @EnableKvStoreRepositories} replaces it.
 */
@AutoConfiguration(after = KvStoreAutoConfiguration.class)
@ConditionalOnClass(EnableKvStoreRepositories.class)
@ConditionalOnBean(KvStoreTemplate.class)
@ConditionalOnBooleanProperty(name = "kvstore.repositories.enabled", matchIfMissing = true)
@ConditionalOnMissingBean(KvStoreRepositoryFactoryBean.class)
@Import(KvStoreRepositoriesRegistrar.class)
public final class KvStoreRepositoriesAutoConfiguration {
}
