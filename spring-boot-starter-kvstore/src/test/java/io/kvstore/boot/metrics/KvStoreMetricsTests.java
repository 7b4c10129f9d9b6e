package io.kvstore.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexType;
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

    @Test
    void indexEntriesAreCountedPerIndex() {
        try (KvStore store = KvStore.open(root, KvStoreOptions.defaults().withCodec(Codec.JSON))) {
            store.indexes().create(IndexDefinition.of("by_tag", IndexType.EQUALITY, Extractor.jsonPath("$.tags[*]")));
            store.put("a", "{\"tags\":[\"x\",\"y\"]}");
            store.put("b", "{\"tags\":[\"x\"]}");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            KvStoreMetrics metrics = new KvStoreMetrics(Map.of("app", store));
            metrics.countInBackground = false;
            try {
                metrics.bindTo(registry);
                metrics.countIndexEntries();
                assertThat(registry.get("kvstore.index.entries").tag("instance", "app").tag("index", "by_tag").gauge()
                        .value()).isEqualTo(3);
                store.indexes().create(IndexDefinition.of("by_len", IndexType.RANGE, Extractor.jsonPath("$.n")));
                store.delete("a");
                metrics.countIndexEntries();
                assertThat(registry.get("kvstore.index.entries").tag("index", "by_tag").gauge().value()).isEqualTo(1);
                assertThat(registry.get("kvstore.index.entries").tag("index", "by_len").gauge().value()).isZero();
            } finally {
                metrics.destroy();
            }
        }
    }
}
