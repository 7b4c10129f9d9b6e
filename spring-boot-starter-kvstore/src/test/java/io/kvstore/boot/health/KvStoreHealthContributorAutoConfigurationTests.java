package io.kvstore.boot.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.boot.autoconfigure.KvStoreAutoConfiguration;
import io.kvstore.boot.autoconfigure.KvStoreOptionsCustomizer;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.io.FaultInjectingFileSystem;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KvStoreHealthContributorAutoConfigurationTests {

    @TempDir
    Path root;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KvStoreAutoConfiguration.class,
                        KvStoreHealthContributorAutoConfiguration.class))
                .withPropertyValues("kvstore.repositories.enabled=false",
                        "kvstore.instances.app.data-dir=" + root.resolve("app"),
                        "kvstore.instances.log.data-dir=" + root.resolve("log"), "kvstore.instances.log.sync-mode=none");
    }

    @Test
    void theKvstoreContributorIsACompositeWithOneUpIndicatorPerInstanceAndItsDetails() {
        runner().run(context -> {
            CompositeHealthContributor composite = (CompositeHealthContributor) context.getBean(
                    "kvstoreHealthContributor", HealthContributor.class);
            assertThat(composite.stream().map(e -> e.name())).containsExactly("app", "log");
            Health log = ((HealthIndicator) composite.getContributor("log")).health();
            assertThat(log.getStatus()).isEqualTo(Status.UP);
            assertThat(log.getDetails()).containsEntry("syncMode", "none").containsEntry("writeStall", "none")
                    .containsEntry("directory", root.resolve("log").toString())
                    .containsKeys("levels", "pendingCompactionBytes", "diskFreeBytes", "diskUsedBytes", "writeStalls");
            assertThat(log.getDetails().get("levels")).isInstanceOfSatisfying(Map.class,
                    levels -> assertThat(((Map<?, ?>) levels).containsKey("L0")).isTrue());
        });
    }

    @Test
    void anInstanceWhoseLogWriteFailedIsDownWithTheError() {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        runner().withBean(KvStoreOptionsCustomizer.class, () -> (instance, options) ->
                instance.equals("app") ? options.withFileSystem(fs) : options).run(context -> {
                    KvStore app = context.getBean("appKvStore", KvStore.class);
                    fs.failAlways(FaultInjectingFileSystem.Operation.APPEND);
                    assertThatThrownBy(() -> app.put("k", "v")).isNotNull();
                    assertThat(app.failure()).isPresent();
                    CompositeHealthContributor composite = (CompositeHealthContributor) context
                            .getBean("kvstoreHealthContributor");
                    Health health = ((HealthIndicator) composite.getContributor("app")).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails()).containsEntry("readOnly", true).containsKey("error");
                    assertThat(((HealthIndicator) composite.getContributor("log")).health().getStatus())
                            .isEqualTo(Status.UP);
                    fs.clearFaults();
                });
    }

    @Test
    void theIndicatorCanBeTurnedOff() {
        runner().withPropertyValues("management.health.kvstore.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("kvstoreHealthContributor"));
    }

    @Test
    void anApplicationContributorNamedKvstoreReplacesIt() {
        runner().withBean("kvstoreHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
                .run(context -> assertThat(context).doesNotHaveBean("kvstoreHealthContributor"));
    }

    @Test
    void withoutSpringBootHealthThereIsNoContributor() {
        runner().withClassLoader(new FilteredClassLoader(HealthContributor.class))
                .run(context -> assertThat(context).doesNotHaveBean("kvstoreHealthContributor")
                        .hasBean("appKvStore"));
    }

    @Test
    void theStallStateFollowsTheLevelZeroTriggers() {
        io.kvstore.engine.KvStoreOptions o = io.kvstore.engine.KvStoreOptions.defaults();
        assertThat(KvStoreHealthIndicator.stallState(0, o)).isEqualTo("none");
        assertThat(KvStoreHealthIndicator.stallState(o.level0SlowdownTrigger(), o)).isEqualTo("slowed");
        assertThat(KvStoreHealthIndicator.stallState(o.level0StopTrigger(), o)).isEqualTo("stopped");
    }
}
