package io.kvstore.boot.autoconfigure;

import io.kvstore.data.config.EnableKvStoreRepositories;
import io.kvstore.data.config.KvStoreRepositoryConfigurationExtension;
import java.lang.annotation.Annotation;
import org.springframework.boot.autoconfigure.data.AbstractRepositoryConfigurationSourceSupport;
import org.springframework.data.repository.config.RepositoryConfigurationExtension;

/** Scans the auto-configuration packages for KvStore repositories, as {@code @EnableKvStoreRepositories} would. */
class KvStoreRepositoriesRegistrar extends AbstractRepositoryConfigurationSourceSupport {

    @Override
    protected Class<? extends Annotation> getAnnotation() {
        return EnableKvStoreRepositories.class;
    }

    @Override
    protected Class<?> getConfiguration() {
        return EnableKvStoreRepositoriesConfiguration.class;
    }

    @Override
    protected RepositoryConfigurationExtension getRepositoryConfigurationExtension() {
        return new KvStoreRepositoryConfigurationExtension();
    }

    @EnableKvStoreRepositories
    private static final class EnableKvStoreRepositoriesConfiguration {
    }
}
