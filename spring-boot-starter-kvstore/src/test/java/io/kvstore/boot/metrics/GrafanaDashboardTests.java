package io.kvstore.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every metric the Grafana dashboard queries is one Prometheus really exports from the starter's meters. */
class GrafanaDashboardTests {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "kvstore-dashboard.json");

    @TempDir
    Path root;

    @Test
    void everyQueriedMetricIsExported() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KvStoreOptions options = new KvStoreOperationMetrics(registry).customize("app",
                KvStoreOptions.defaults().withCodec(Codec.JSON));
        try (KvStore store = KvStore.open(root, options)) {
            store.indexes().create(IndexDefinition.of("by_a", IndexType.EQUALITY, Extractor.jsonPath("$.a")));
            store.put("k", "{\"a\":1}");
            KvStoreMetrics metrics = new KvStoreMetrics(Map.of("app", store));
            metrics.countInBackground = false;
            metrics.bindTo(registry);
            metrics.countIndexEntries();
            String scrape = registry.scrape();
            Set<String> queried = new TreeSet<>();
            Matcher m = Pattern.compile("kvstore_[a-z_]+").matcher(Files.readString(DASHBOARD));
            while (m.find()) {
                queried.add(m.group());
            }
            assertThat(queried).hasSizeGreaterThan(10);
            for (String metric : queried) {
                assertThat(scrape).as(metric).containsPattern("(?m)^" + metric + "\\{[^}]*instance=\"app\"");
            }
        }
    }
}
