package io.kvstore.boot.endpoint;

import io.kvstore.boot.autoconfigure.KvStoreAutoConfiguration;
import io.kvstore.boot.autoconfigure.KvStoreBackups;
import io.kvstore.boot.autoconfigure.KvStoreBeans;
import io.kvstore.engine.KvStore;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code kvstore} actuator endpoint, when it is enabled and exposed. */
@AutoConfiguration(after = KvStoreAutoConfiguration.class)
@ConditionalOnClass({ KvStore.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(KvStore.class)
@ConditionalOnAvailableEndpoint(KvStoreEndpoint.class)
public final class KvStoreEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KvStoreEndpoint kvStoreEndpoint(Map<String, KvStore> stores, ObjectProvider<KvStoreBackups> backups) {
        return new KvStoreEndpoint(KvStoreBeans.byInstance(stores), backups.getIfAvailable(KvStoreBackups::unconfigured));
    }
}
