package io.kvstore.data.config;

import io.kvstore.data.repository.KvStoreRepository;
import io.kvstore.data.repository.KvStoreRepositoryFactoryBean;
import java.util.Collection;
import java.util.List;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.data.keyvalue.repository.config.KeyValueRepositoryConfigurationExtension;
import org.springframework.data.repository.config.RepositoryConfigurationSource;

/** Repository configuration for KvStore: the factory bean, the template reference, the module name. */
public class KvStoreRepositoryConfigurationExtension extends KeyValueRepositoryConfigurationExtension {

    @Override
    public String getModuleName() {
        return "KvStore";
    }

    @Override
    protected String getModulePrefix() {
        return "kvstore";
    }

    @Override
    public String getRepositoryFactoryBeanClassName() {
        return KvStoreRepositoryFactoryBean.class.getName();
    }

    @Override
    protected String getDefaultKeyValueTemplateRef() {
        return "kvStoreTemplate";
    }

    @Override
    protected AbstractBeanDefinition getDefaultKeyValueTemplateBeanDefinition(RepositoryConfigurationSource source) {
        return null; // the application (or the starter) defines the KvStoreTemplate bean
    }

    @Override
    protected Collection<Class<?>> getIdentifyingTypes() {
        return List.of(KvStoreRepository.class);
    }
}
