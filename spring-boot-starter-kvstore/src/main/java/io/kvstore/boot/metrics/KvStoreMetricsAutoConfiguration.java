package io.kvstore.boot.metrics;

import io.kvstore.boot.autoconfigure.KvStoreAutoConfiguration;
import io.kvstore.boot.autoconfigure.KvStoreBeans;
import io.kvstore.engine.KvStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters {@code kvstore.*} for every instance, when a {@link MeterRegistry} exists:
 * operation timers (through an engine operation listener) and gauges and counters from the stats.
 */
@AutoConfiguration(after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
        SimpleMetricsExportAutoConfiguration.class, KvStoreAutoConfiguration.class })
@ConditionalOnClass({ KvStore.class, MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, KvStore.class })
public final class KvStoreMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KvStoreOperationMetrics kvStoreOperationMetrics(MeterRegistry registry) {
        return new KvStoreOperationMetrics(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    KvStoreMetrics kvStoreMetrics(Map<String, KvStore> stores) {
        return new KvStoreMetrics(KvStoreBeans.byInstance(stores));
    }
}
