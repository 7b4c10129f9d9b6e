package io.kvstore.boot.autoconfigure;

import static io.kvstore.boot.autoconfigure.TestDirectories.dataDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.boot.sample.Customer;
import io.kvstore.boot.sample.CustomerRepository;
import io.kvstore.data.core.KvStoreKeyValueAdapter;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.engine.CompactionStrategy;
import io.kvstore.engine.Compression;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.StoreClosedException;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.IndexQuery;
import io.kvstore.engine.index.IndexType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.keyvalue.core.mapping.context.KeyValueMappingContext;

class KvStoreAutoConfigurationTests {

    @TempDir
    Path root;

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(KvStoreAutoConfiguration.class, KvStoreRepositoriesAutoConfiguration.class))
            .withUserConfiguration(NoRepositoriesPackage.class);

    @Test
    void withNoConfigurationOneDefaultInstanceOpensUnderDataDefault() {
        List<String> asked = new ArrayList<>();
        runner.withBean(KvStoreDirectoryResolver.class, () -> (instance, configured) -> {
            asked.add(instance + "=" + configured);
            return root.resolve(KvStoreDirectoryResolver.DEFAULT.resolve(instance, configured));
        }).run(context -> {
            assertThat(context).hasSingleBean(KvStore.class).hasBean("defaultKvStore");
            assertThat(asked).containsExactly("default=null");
            assertThat(context.getBean(KvStore.class).directory()).isEqualTo(root.resolve("data/default"));
            assertThat(context.getBean(KvStore.class).options().codec()).isEqualTo(Codec.RAW);
        });
        assertThat(KvStoreDirectoryResolver.DEFAULT.resolve("default", null)).isEqualTo(Path.of("data", "default"));
    }

    @Test
    void eachInstanceIsABeanNamedAfterItWithItsNameAsQualifierAndThePrimaryOneIsPrimary() {
        runner.withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.primary=true",
                "kvstore.instances.app.codec=json", dataDir(root, "log"), "kvstore.instances.log.codec=raw")
                .withUserConfiguration(QualifiedInjection.class).run(context -> {
                    KvStore app = context.getBean("appKvStore", KvStore.class);
                    KvStore log = context.getBean("logKvStore", KvStore.class);
                    assertThat(app.directory()).isEqualTo(root.resolve("app"));
                    assertThat(log.directory()).isEqualTo(root.resolve("log"));
                    assertThat(context.getBean(KvStore.class)).isSameAs(app);
                    assertThat(context.getBean(QualifiedInjection.class).log).isSameAs(log);
                    assertThat(context.getBean(QualifiedInjection.class).app).isSameAs(app);
                });
    }

    @Test
    void withSeveralInstancesAndNonePrimaryOnlyQualifiedInjectionWorks() {
        runner.withPropertyValues(dataDir(root, "a"), dataDir(root, "b")).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(KvStore.class)).containsOnlyKeys("aKvStore", "bKvStore");
            assertThat(context.getBeanProvider(KvStore.class).getIfUnique()).isNull();
        });
    }

    @Test
    void twoPrimaryInstancesFailStartup() {
        runner.withPropertyValues(dataDir(root, "a"), "kvstore.instances.a.primary=true", dataDir(root, "b"),
                "kvstore.instances.b.primary=true").run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("InvalidKvStorePropertyException")
                        .hasStackTraceContaining("[a, b] are all marked primary"));
    }

    @Test
    void everyPropertyReachesTheEngine() {
        String p = "kvstore.instances.app.";
        runner.withPropertyValues(dataDir(root, "app"), p + "sync-mode=periodic", p + "sync-interval=50ms",
                p + "codec=bson", p + "memtable-size=1MB", p + "block-cache-size=0", p + "block-size=8KB",
                p + "bloom-bits-per-key=12", p + "max-key-size=1KB", p + "max-value-size=2MB", p + "max-open-files=64",
                p + "compression=zstd", p + "query-enabled=false", p + "compaction.strategy=tiered",
                p + "compaction.level0-file-trigger=6", p + "compaction.level0-slowdown-trigger=30",
                p + "compaction.level0-stop-trigger=40", p + "compaction.max-bytes-for-level-base=16MB",
                p + "compaction.target-file-size=4MB", p + "compaction.threads=2").run(context -> {
                    KvStoreOptions o = context.getBean(KvStore.class).options();
                    assertThat(o.syncMode()).isEqualTo(SyncMode.PERIODIC);
                    assertThat(o.syncInterval()).isEqualTo(Duration.ofMillis(50));
                    assertThat(o.codec()).isEqualTo(Codec.BSON);
                    assertThat(o.memtableSize()).isEqualTo(1L << 20);
                    assertThat(o.blockCacheSize()).isZero();
                    assertThat(o.blockSize()).isEqualTo(8192);
                    assertThat(o.bloomBitsPerKey()).isEqualTo(12);
                    assertThat(o.maxKeySize()).isEqualTo(1024);
                    assertThat(o.maxValueSize()).isEqualTo(2 << 20);
                    assertThat(o.maxOpenFiles()).isEqualTo(64);
                    assertThat(o.compression()).isEqualTo(Compression.ZSTD);
                    assertThat(o.queriesEnabled()).isFalse();
                    assertThat(o.compactionStrategy()).isEqualTo(CompactionStrategy.TIERED);
                    assertThat(o.level0FileTrigger()).isEqualTo(6);
                    assertThat(o.level0SlowdownTrigger()).isEqualTo(30);
                    assertThat(o.level0StopTrigger()).isEqualTo(40);
                    assertThat(o.maxBytesForLevelBase()).isEqualTo(16L << 20);
                    assertThat(o.targetFileSize()).isEqualTo(4L << 20);
                    assertThat(o.compactionThreads()).isEqualTo(2);
                });
    }

    @Test
    void configuredIndexesAreCreatedAtStartupAndAnswerQueries() {
        String p = "kvstore.instances.app.";
        runner.withPropertyValues(dataDir(root, "app"), p + "codec=json", p + "indexes[0].name=by_city",
                p + "indexes[0].scope-prefix=users:", p + "indexes[0].type=equality", p + "indexes[0].path=$.city",
                p + "indexes[1].name=by_age", p + "indexes[1].type=range", p + "indexes[1].path=$.age")
                .run(context -> {
                    KvStore store = context.getBean(KvStore.class);
                    assertThat(store.indexes().list()).extracting(d -> d.name() + ":" + d.type())
                            .containsExactlyInAnyOrder("by_city:" + IndexType.EQUALITY, "by_age:" + IndexType.RANGE);
                    assertThat(new String(store.indexes().get("by_city").orElseThrow().scopePrefix(),
                            StandardCharsets.UTF_8)).isEqualTo("users:");
                    store.put("users:1", "{\"city\":\"Porto\",\"age\":30}");
                    store.put("other:1", "{\"city\":\"Porto\",\"age\":40}");
                    assertThat(store.query(IndexQuery.eq("by_city", "Porto")).entries()).hasSize(1);
                    assertThat(store.query(IndexQuery.gte("by_age", 35)).entries()).hasSize(1);
                });
    }

    @Test
    void customizersAdjustTheOptionsOfEachInstance() {
        List<String> seen = new ArrayList<>();
        runner.withPropertyValues(dataDir(root, "a"), dataDir(root, "b"))
                .withBean(KvStoreOptionsCustomizer.class, () -> (instance, options) -> {
                    seen.add(instance);
                    return options.withMaxOpenFiles(17);
                }).run(context -> {
                    assertThat(context.getBean("aKvStore", KvStore.class).options().maxOpenFiles()).isEqualTo(17);
                    assertThat(context.getBean("bKvStore", KvStore.class).options().maxOpenFiles()).isEqualTo(17);
                    assertThat(seen).containsExactlyInAnyOrder("a", "b");
                });
    }

    @Test
    void aKvStoreBeanOfTheApplicationTurnsInstancesAndTemplatesOff() {
        runner.withPropertyValues(dataDir(root, "app")).withUserConfiguration(OwnStore.class).run(context -> {
            assertThat(context).hasSingleBean(KvStore.class).hasBean("ownStore")
                    .doesNotHaveBean(KvStoreInstances.class).doesNotHaveBean(KvStoreTemplate.class);
        });
    }

    @Test
    void aKvStoreTemplateOfTheApplicationTurnsTemplatesOff() {
        runner.withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.codec=json")
                .withUserConfiguration(OwnTemplate.class).run(context -> {
                    assertThat(context).hasSingleBean(KvStore.class).hasSingleBean(KvStoreTemplate.class)
                            .hasBean("ownTemplate").doesNotHaveBean("appKvStoreTemplate");
                });
    }

    @Test
    void aTemplateIsCreatedForEachJsonOrBsonInstanceAndRepositoriesUseThePrimaryOne() {
        runner.withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.codec=json",
                "kvstore.instances.app.primary=true", dataDir(root, "docs"), "kvstore.instances.docs.codec=bson",
                dataDir(root, "log")).run(context -> {
                    assertThat(context).hasBean("appKvStoreTemplate").hasBean("docsKvStoreTemplate")
                            .doesNotHaveBean("logKvStoreTemplate");
                    assertThat(context.getBean("kvStoreTemplate")).isSameAs(context.getBean("appKvStoreTemplate"));
                    assertThat(context.getBean(KvStoreTemplate.class)).isSameAs(context.getBean("appKvStoreTemplate"));
                    KvStoreKeyValueAdapter adapter = context.getBean("docsKvStoreTemplate", KvStoreTemplate.class).adapter();
                    assertThat(adapter.store()).isSameAs(context.getBean("docsKvStore"));
                });
    }

    @Test
    void withoutSpringDataKvStoreThereAreInstancesButNoTemplatesOrRepositories() {
        runner.withClassLoader(new FilteredClassLoader("io.kvstore.data."))
                .withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.codec=json")
                .withUserConfiguration(RepositoryPackage.class).run(context -> {
                    assertThat(context).hasSingleBean(KvStore.class).doesNotHaveBean("appKvStoreTemplate")
                            .doesNotHaveBean("kvStoreTemplate").doesNotHaveBean(KeyValueMappingContext.class);
                });
    }

    @Test
    void withoutTheEngineNothingIsConfigured() {
        runner.withClassLoader(new FilteredClassLoader(KvStore.class)).run(context -> {
            assertThat(context).doesNotHaveBean(KvStoreInstances.class).doesNotHaveBean(KvStoreProperties.class);
        });
    }

    @Test
    void repositoriesAreEnabledAutomaticallyOnThePrimaryInstance() {
        runner.withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.codec=json",
                "kvstore.instances.app.primary=true", dataDir(root, "other"), "kvstore.instances.other.codec=json")
                .withUserConfiguration(RepositoryPackage.class).run(context -> {
                    CustomerRepository repository = context.getBean(CustomerRepository.class);
                    repository.save(new Customer("1", "Ada", "Porto"));
                    assertThat(repository.findByCity("Porto")).extracting(Customer::getName).containsExactly("Ada");
                    assertThat(context.getBean("appKvStore", KvStore.class).stats().entriesWritten()).isPositive();
                    assertThat(context.getBean("otherKvStore", KvStore.class).stats().entriesWritten()).isZero();
                });
    }

    @Test
    void repositoriesInstanceChoosesTheInstanceRepositoriesUse() {
        runner.withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.codec=json",
                "kvstore.instances.app.primary=true", dataDir(root, "crm"), "kvstore.instances.crm.codec=json",
                "kvstore.repositories.instance=crm").withUserConfiguration(RepositoryPackage.class).run(context -> {
                    context.getBean(CustomerRepository.class).save(new Customer("1", "Ada", "Porto"));
                    assertThat(context.getBean("crmKvStore", KvStore.class).stats().entriesWritten()).isPositive();
                    assertThat(context.getBean("appKvStore", KvStore.class).stats().entriesWritten()).isZero();
                });
    }

    @Test
    void repositoriesCanBeTurnedOff() {
        runner.withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.codec=json",
                "kvstore.repositories.enabled=false").withUserConfiguration(RepositoryPackage.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CustomerRepository.class)
                        .hasBean("appKvStoreTemplate"));
    }

    @Test
    void repositoriesOnARawInstanceFailStartupNamingTheCodecProperty() {
        runner.withPropertyValues(dataDir(root, "default")).withUserConfiguration(RepositoryPackage.class)
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("InvalidKvStorePropertyException")
                        .hasStackTraceContaining("kvstore.instances.default.codec = 'raw' is invalid")
                        .hasStackTraceContaining("repositories need the json or bson codec"));
    }

    @Test
    void anUnknownRepositoriesInstanceFailsStartup() {
        runner.withPropertyValues(dataDir(root, "app"), "kvstore.instances.app.codec=json",
                "kvstore.repositories.instance=nope").run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("kvstore.repositories.instance = 'nope' is invalid")
                        .hasStackTraceContaining("configured instances: [app]"));
    }

    @Test
    void shutdownFlushesAndClosesEveryInstanceAndTheDataSurvives() {
        AtomicReference<KvStore> store = new AtomicReference<>();
        runner.withPropertyValues(dataDir(root, "app")).run(context -> {
            store.set(context.getBean(KvStore.class));
            store.get().put("k", "v");
            assertThat(store.get().stats().tableFiles()).isZero();
        });
        assertThatThrownBy(() -> store.get().get("k")).isInstanceOf(StoreClosedException.class);
        try (KvStore reopened = KvStore.open(root.resolve("app"))) {
            assertThat(reopened.get("k")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
            assertThat(reopened.stats().tableFiles()).as("flushed on shutdown").isPositive();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class QualifiedInjection {
        final KvStore app;
        final KvStore log;

        QualifiedInjection(@Qualifier("app") KvStore app, @Qualifier("log") KvStore log) {
            this.app = app;
            this.log = log;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean(destroyMethod = "close")
        KvStore ownStore(@org.springframework.beans.factory.annotation.Value("${kvstore.instances.app.data-dir}") Path dir) {
            return KvStore.open(dir);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTemplate {
        @Bean
        KvStoreTemplate ownTemplate(KvStore store) {
            KeyValueMappingContext<?, ?> context = new KeyValueMappingContext<>();
            return new KvStoreTemplate(new KvStoreKeyValueAdapter(store, context), context);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = Customer.class)
    static class RepositoryPackage {
    }

    /** Repositories are scanned in auto-configuration packages; this one has none. */
    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackages = "io.kvstore.boot.norepositories")
    static class NoRepositoriesPackage {
    }
}
