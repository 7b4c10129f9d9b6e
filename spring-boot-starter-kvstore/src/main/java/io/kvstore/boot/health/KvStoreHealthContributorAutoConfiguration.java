package io.kvstore.boot.health;

import io.kvstore.boot.autoconfigure.KvStoreAutoConfiguration;
import io.kvstore.boot.autoconfigure.KvStoreBeans;
import io.kvstore.engine.KvStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code kvstore} health contributor: a composite with one {@link KvStoreHealthIndicator} per
 * instance, named after the instance. {@code management.health.kvstore.enabled=false} turns it off.
 */
@AutoConfiguration(after = KvStoreAutoConfiguration.class)
@ConditionalOnClass({ KvStore.class, HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(KvStore.class)
@ConditionalOnEnabledHealthIndicator("kvstore")
public final class KvStoreHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = { "kvstoreHealthIndicator", "kvstoreHealthContributor" })
    HealthContributor kvstoreHealthContributor(Map<String, KvStore> stores) {
        Map<String, HealthContributor> indicators = new LinkedHashMap<>();
        KvStoreBeans.byInstance(stores).forEach((name, store) -> indicators.put(name, new KvStoreHealthIndicator(store)));
        return CompositeHealthContributor.fromMap(indicators);
    }
}
