package io.kvstore.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.boot.autoconfigure.KvStoreAutoConfiguration;
import io.kvstore.boot.autoconfigure.KvStoreOptionsCustomizer;
import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreStats;
import io.kvstore.engine.io.FaultInjectingFileSystem;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KvStoreMetricsAutoConfigurationTests {

    @TempDir
    Path root;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KvStoreAutoConfiguration.class,
                        KvStoreMetricsAutoConfiguration.class))
                                .withPropertyValues("kvstore.repositories.enabled=false",
                        "kvstore.instances.app.data-dir=" + root.resolve("app"),
                        "kvstore.instances.log.data-dir=" + root.resolve("log"));
    }

    @Test
    void everyMeterOfTheIssueExistsForEveryInstanceTaggedWithIt() {
        runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class)).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            for (String instance : new String[] { "app", "log" }) {
                for (String name : new String[] { "kvstore.operations", "kvstore.memtable.size", "kvstore.sstables",
                        "kvstore.disk.used", "kvstore.compaction.pending", "kvstore.compactions",
                        "kvstore.compaction.bytes.read", "kvstore.compaction.bytes.written", "kvstore.wal.syncs",
                        "kvstore.write.stalls", "kvstore.block.cache.gets", "kvstore.bloom.checks" }) {
                    assertThat(registry.find(name).tag("instance", instance).meters()).as(name + " " + instance)
                            .isNotEmpty();
                }
            }
            assertThat(registry.find("kvstore.sstables").tag("instance", "app").gauges())
                    .extracting(g -> g.getId().getTag("level")).contains("0", "1");
            assertThat(registry.find("kvstore.block.cache.gets").tag("instance", "app").functionCounters())
                    .extracting(c -> c.getId().getTag("result")).containsExactlyInAnyOrder("hit", "miss");
            assertThat(registry.get("kvstore.disk.used").tag("instance", "app").gauge().getId().getBaseUnit())
                    .isEqualTo("bytes");
            assertThat(registry.get("kvstore.compaction.bytes.written").tag("instance", "app").functionCounter()
                    .getId().getBaseUnit()).isEqualTo("bytes");
            registry.getMeters().stream().map(Meter::getId).filter(id -> id.getName().startsWith("kvstore."))
                    .forEach(id -> assertThat(id.getTag("instance")).as(id.toString()).isIn("app", "log"));
        });
    }

    @Test
    void operationsAreTimedByKindAndResult() {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .withBean(KvStoreOptionsCustomizer.class, () -> (instance, options) ->
                        instance.equals("app") ? options.withFileSystem(fs) : options)
                .run(context -> {
                    KvStore app = context.getBean("appKvStore", KvStore.class);
                    app.put("a", "1");
                    app.put("b", "2");
                    app.get("a");
                    app.delete("a");
                    app.scan(KeyRange.prefix("a")).close();
                    fs.failAlways(FaultInjectingFileSystem.Operation.APPEND);
                    assertThatThrownBy(() -> app.put("c", "3")).isNotNull();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(timer(registry, "app", "put", "success").count()).isEqualTo(2);
                    assertThat(timer(registry, "app", "put", "failure").count()).isEqualTo(1);
                    assertThat(timer(registry, "app", "get", "success").count()).isEqualTo(1);
                    assertThat(timer(registry, "app", "delete", "success").count()).isEqualTo(1);
                    assertThat(timer(registry, "app", "scan", "success").count()).isEqualTo(1);
                    assertThat(timer(registry, "log", "put", "success").count()).isZero();
                    assertThat(timer(registry, "app", "put", "success").getId().getBaseUnit()).isEqualTo("seconds");
                    fs.clearFaults();
                });
    }

    @Test
    void withoutARegistryNoOperationListenerIsInstalledAndNoMeterBeanExists() {
        runner().run(context -> {
            assertThat(context).doesNotHaveBean(KvStoreMetrics.class).doesNotHaveBean(KvStoreOperationMetrics.class);
            assertThat(context.getBean("appKvStore", KvStore.class).options().operationListener()).isNull();
        });
    }

    @Test
    void meterBeansOfTheApplicationReplaceTheStartersOnes() {
        KvStoreMetrics own = new KvStoreMetrics(Map.of());
        runner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .withBean(KvStoreMetrics.class, () -> own).run(context -> {
                    assertThat(context.getBean(KvStoreMetrics.class)).isSameAs(own);
                    assertThat(context.getBean(MeterRegistry.class).find("kvstore.disk.used").meters()).isEmpty();
                });
    }

    @Test
    void withoutMicrometerOnTheClassPathNothingIsConfigured() {
        runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(KvStoreMetrics.class);
        });
    }

    @Test
    void oneStatsReadingServesEveryMeterOfAnInstanceUntilItIsOlderThanTheTtl() {
        runner().run(context -> {
            KvStore app = context.getBean("appKvStore", KvStore.class);
            AtomicLong now = new AtomicLong(1_000_000);
            KvStoreMetrics.CachedStats stats = new KvStoreMetrics.CachedStats(app, now::get);
            KvStoreStats first = stats.get();
            app.put("k", "v");
            assertThat(stats.get()).isSameAs(first);
            now.addAndGet(KvStoreMetrics.STATS_TTL_MILLIS);
            assertThat(stats.get().entriesWritten()).isEqualTo(first.entriesWritten() + 1);
            MeterRegistry registry = new SimpleMeterRegistry();
            new KvStoreMetrics(Map.of("app", app), now::get).bindTo(registry);
            assertThat(registry.get("kvstore.disk.used").tag("instance", "app").gauge().value()).isPositive();
        });
    }

    private static Timer timer(MeterRegistry registry, String instance, String operation, String result) {
        return registry.get("kvstore.operations").tag("instance", instance).tag("operation", operation)
                .tag("result", result).timer();
    }
}
