package io.kvstore.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreMetricsTests {

    @TempDir
    Path root;

    /** Meters keep their state object weakly; the binder must keep it alive, or they read NaN. */
    @Test
    void gaugesAndCountersKeepReadingAfterGarbageCollection() throws Exception {
        try (KvStore store = KvStore.open(root)) {
            store.put("k", "v");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            KvStoreMetrics metrics = new KvStoreMetrics(Map.of("app", store));
            metrics.bindTo(registry);
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(registry.get("kvstore.memtable.size").tag("instance", "app").gauge().value()).isPositive();
            assertThat(registry.get("kvstore.sstables").tag("instance", "app").tag("level", "0").gauge().value())
                    .isZero();
            assertThat(registry.get("kvstore.compactions").tag("instance", "app").functionCounter().count()).isZero();
            assertThat(metrics).isNotNull(); // the binder, like the bean in an application, stays reachable
        }
    }
}
