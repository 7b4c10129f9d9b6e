package io.kvstore.boot.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.boot.autoconfigure.KvStoreAutoConfiguration;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class KvStoreEndpointTests {

    @TempDir
    Path root;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(KvStoreAutoConfiguration.class,
                        KvStoreEndpointAutoConfiguration.class))
                .withPropertyValues("kvstore.repositories.enabled=false",
                        "kvstore.instances.app.data-dir=" + root.resolve("app"), "kvstore.instances.app.codec=json",
                        "kvstore.instances.app.indexes[0].name=by_city", "kvstore.instances.app.indexes[0].path=$.city",
                        "kvstore.instances.log.data-dir=" + root.resolve("log"));
    }

    @Test
    void theEndpointExistsOnlyWhenExposed() {
        runner().run(context -> assertThat(context).doesNotHaveBean(KvStoreEndpoint.class));
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore")
                .run(context -> assertThat(context).hasSingleBean(KvStoreEndpoint.class));
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore",
                "management.endpoint.kvstore.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(KvStoreEndpoint.class));
    }

    @Test
    void anEndpointBeanOfTheApplicationReplacesTheStartersOne() {
        KvStoreEndpoint own = new KvStoreEndpoint(Map.of());
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore")
                .withBean(KvStoreEndpoint.class, () -> own)
                .run(context -> assertThat(context.getBean(KvStoreEndpoint.class)).isSameAs(own));
    }

    @Test
    void withoutActuatorThereIsNoEndpoint() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore")
                .withClassLoader(new FilteredClassLoader(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KvStoreEndpoint.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void readListsInstancesWithStatsAndOneInstanceWithLevelsAndIndexes() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore").run(context -> {
            KvStoreEndpoint endpoint = context.getBean(KvStoreEndpoint.class);
            context.getBean("appKvStore", KvStore.class).put("k", "{\"city\":\"Porto\"}");
            Map<String, Object> instances = (Map<String, Object>) endpoint.instances().get("instances");
            assertThat(instances).containsOnlyKeys("app", "log");
            Map<String, Object> app = (Map<String, Object>) instances.get("app");
            assertThat(app).containsEntry("codec", "json").containsEntry("status", "ok");
            assertThat(((Number) ((Map<String, Object>) app.get("stats")).get("entriesWritten")).longValue()).isPositive();
            Map<String, Object> detail = endpoint.instance("app");
            assertThat((List<?>) detail.get("levels")).hasSizeGreaterThan(1);
            assertThat((List<Map<String, Object>>) detail.get("indexes")).singleElement()
                    .satisfies(i -> assertThat(i).containsEntry("name", "by_city").containsEntry("type", "equality")
                            .containsEntry("extractor", "json:$.city"));
            assertThat(endpoint.instance("nope")).isNull();
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void writeRunsFlushCompactAndVerify() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore").run(context -> {
            KvStoreEndpoint endpoint = context.getBean(KvStoreEndpoint.class);
            KvStore log = context.getBean("logKvStore", KvStore.class);
            log.put("a", "1");
            Map<String, Object> flushed = endpoint.action("log", "flush");
            assertThat((Map<String, Object>) flushed.get("stats")).containsEntry("tableFiles", 1);
            log.put("b", "2");
            endpoint.action("log", "flush");
            Map<String, Object> compacted = endpoint.action("log", "compact");
            assertThat(((Number) ((Map<String, Object>) compacted.get("stats")).get("compactions")).longValue())
                    .isPositive();
            Map<String, Object> verified = endpoint.action("log", "verify");
            assertThat(verified).containsEntry("ok", true).containsEntry("problems", List.of())
                    .containsEntry("tablesChecked", 1);
            assertThatThrownBy(() -> endpoint.action("nope", "flush")).isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessageContaining("no KvStore instance named 'nope'; instances: [app, log]");
            assertThatThrownBy(() -> endpoint.action("log", "explode"))
                    .isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessageContaining("unknown action 'explode'; use flush, compact, verify or backup");
        });
    }

    @Test
    void backupWritesAnArchiveIntoTheConfiguredDirectoryThatRestores() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore",
                "kvstore.backup.directory=" + root.resolve("backups"),
                "kvstore.instances.log.backup-directory=" + root.resolve("log-backups")).run(context -> {
            KvStoreEndpoint endpoint = context.getBean(KvStoreEndpoint.class);
            context.getBean("appKvStore", KvStore.class).put("k", "{\"city\":\"Porto\"}");
            Map<String, Object> result = endpoint.action("app", "backup");
            Path archive = Path.of((String) result.get("archive"));
            assertThat(archive.getParent()).isEqualTo(root.resolve("backups"));
            assertThat(archive.getFileName().toString()).startsWith("app-").endsWith("-" + result.get("lastSequence")
                    + ".tar.gz");
            assertThat(result).containsEntry("action", "backup").containsKeys("files", "bytes", "createdAt", "stats");
            KvStore.restore(archive, root.resolve("restored"), KvStoreOptions.defaults().withCodec(Codec.JSON));
            try (KvStore copy = KvStore.open(root.resolve("restored"), KvStoreOptions.defaults().withCodec(Codec.JSON))) {
                assertThat(copy.get("k")).asString().contains("Porto");
            }
            Path logArchive = Path.of((String) endpoint.action("log", "backup").get("archive"));
            assertThat(logArchive.getParent()).isEqualTo(root.resolve("log-backups"));
        });
    }

    @Test
    void backupWithoutADirectoryIsRefusedNamingTheProperty() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=kvstore").run(context -> {
            KvStoreEndpoint endpoint = context.getBean(KvStoreEndpoint.class);
            assertThatThrownBy(() -> endpoint.action("app", "backup")).isInstanceOf(InvalidEndpointRequestException.class)
                    .hasMessageContaining("no backup directory is configured for instance 'app'; set"
                            + " kvstore.backup.directory (or kvstore.instances.app.backup-directory)");
        });
    }
}
