package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.KvStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.keyvalue.core.mapping.context.KeyValueMappingContext;

/**
 * Engine instances from {@code kvstore.instances.*}: one {@link KvStore} bean per instance (see
 * {@link KvStoreInstancesRegistrar}), opened at startup and closed at shutdown. Backs off
 * entirely when the application defines a {@code KvStore} bean of its own.
 */
@AutoConfiguration
@ConditionalOnClass(KvStore.class)
@EnableConfigurationProperties(KvStoreProperties.class)
public final class KvStoreAutoConfiguration {

    /** The backup action of the endpoint and REST API, into kvstore.backup.directory. */
    @Bean
    @ConditionalOnMissingBean
    KvStoreBackups kvStoreBackups(KvStoreProperties properties) {
        return new KvStoreBackups(properties);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(KvStore.class)
    @Import(KvStoreInstancesRegistrar.class)
    static class InstancesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        KvStoreInstances kvStoreInstances(KvStoreProperties properties,
                ObjectProvider<KvStoreDirectoryResolver> directoryResolver,
                ObjectProvider<KvStoreOptionsCustomizer> customizers) {
            return new KvStoreInstances(properties, directoryResolver.getIfAvailable(() -> KvStoreDirectoryResolver.DEFAULT),
                    () -> customizers.orderedStream().toList());
        }

        /** A template per json/bson instance when spring-data-kvstore is on the class path. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "io.kvstore.data.core.KvStoreTemplate")
        @ConditionalOnMissingBean(type = "io.kvstore.data.core.KvStoreTemplate")
        @Import(KvStoreTemplatesRegistrar.class)
        static class TemplatesConfiguration {

            /** Named as Spring Data KeyValue's repository configuration names it, so repositories share it. */
            @Bean
            @ConditionalOnMissingBean
            KeyValueMappingContext<?, ?> keyValueMappingContext() {
                return new KeyValueMappingContext<>();
            }
        }
    }
}
