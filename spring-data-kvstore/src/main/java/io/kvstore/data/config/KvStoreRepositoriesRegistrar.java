package io.kvstore.data.config;

import java.lang.annotation.Annotation;
import org.springframework.data.repository.config.RepositoryBeanDefinitionRegistrarSupport;
import org.springframework.data.repository.config.RepositoryConfigurationExtension;

/** Registers the repositories {@link EnableKvStoreRepositories} asks for. */
public class KvStoreRepositoriesRegistrar extends RepositoryBeanDefinitionRegistrarSupport {

    @Override
    protected Class<? extends Annotation> getAnnotation() {
        return EnableKvStoreRepositories.class;
    }

    @Override
    protected RepositoryConfigurationExtension getExtension() {
        return new KvStoreRepositoryConfigurationExtension();
    }
}
