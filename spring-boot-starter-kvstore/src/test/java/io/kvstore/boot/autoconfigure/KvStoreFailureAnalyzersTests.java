package io.kvstore.boot.autoconfigure;

import static io.kvstore.boot.autoconfigure.TestDirectories.dataDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every invalid configuration fails startup, and a registered analyzer explains it with an action. */
class KvStoreFailureAnalyzersTests {

    @TempDir
    Path root;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KvStoreAutoConfiguration.class));

    @Test
    void anUnknownCodecNamesThePropertyAndTheValidCodecs() {
        FailureAnalysis analysis = analyze(new InvalidKvStorePropertyFailureAnalyzer(), dataDir(root, "app"),
                "kvstore.instances.app.codec=xml");
        assertThat(analysis.getDescription()).contains("Property: kvstore.instances.app.codec", "Value: xml",
                "unknown codec 'xml'; valid names are raw, json and bson");
        assertThat(analysis.getAction()).contains("Update kvstore.instances.app.codec");
    }

    @Test
    void aNegativeSizeNamesThePropertyAndTheAllowedRange() {
        FailureAnalysis analysis = analyze(new InvalidKvStorePropertyFailureAnalyzer(), dataDir(root, "app"),
                "kvstore.instances.app.memtable-size=-1MB");
        assertThat(analysis.getDescription()).contains("Property: kvstore.instances.app.memtable-size", "Value: -1048576B",
                "memtableSize must be between 65536 and 1073741824");
        assertThat(analysis.getAction()).contains("kvstore.instances.app.memtable-size");
    }

    @Test
    void aNegativeCompactionSizeIsRefusedToo() {
        FailureAnalysis analysis = analyze(new InvalidKvStorePropertyFailureAnalyzer(), dataDir(root, "app"),
                "kvstore.instances.app.compaction.target-file-size=-4MB");
        assertThat(analysis.getDescription()).contains("kvstore.instances.app.compaction.target-file-size");
    }

    @Test
    void anIndexPathOnARawInstanceIsRefused() {
        FailureAnalysis analysis = analyze(new InvalidKvStorePropertyFailureAnalyzer(), dataDir(root, "app"),
                "kvstore.instances.app.indexes[0].name=by_city", "kvstore.instances.app.indexes[0].path=$.city");
        assertThat(analysis.getDescription()).contains("kvstore.instances.app.indexes[0].path",
                "a field path needs the json or bson codec");
    }

    @Test
    void anIndexWhoseStoredDefinitionDiffersNamesTheIndexProperty() {
        try (KvStore store = KvStore.open(root.resolve("app"), KvStoreOptions.defaults().withCodec(Codec.JSON))) {
            store.indexes().create(IndexDefinition.of("by_city", IndexType.EQUALITY, Extractor.jsonPath("$.city")));
        }
        FailureAnalysis analysis = analyze(new InvalidKvStorePropertyFailureAnalyzer(), dataDir(root, "app"),
                "kvstore.instances.app.codec=json", "kvstore.instances.app.indexes[0].name=by_city",
                "kvstore.instances.app.indexes[0].type=range", "kvstore.instances.app.indexes[0].path=$.city");
        assertThat(analysis.getDescription()).contains("Property: kvstore.instances.app.indexes[0]", "already exists");
    }

    @Test
    void twoInstancesOnOneDirectoryNameBothInstancesAndTheDirectory() {
        Path shared = root.resolve("shared");
        FailureAnalysis analysis = analyze(new SharedDataDirectoryFailureAnalyzer(),
                "kvstore.instances.a.data-dir=" + shared, "kvstore.instances.b.data-dir=" + root.resolve("x/../shared"));
        assertThat(analysis.getDescription()).contains("[a, b]", shared.toString());
        assertThat(analysis.getAction()).contains("kvstore.instances.<name>.data-dir", "b");
    }

    @Test
    void aDirectoryLockedByAnotherStoreNamesTheInstanceAndTheDirectory() {
        try (KvStore other = KvStore.open(root.resolve("app"))) {
            assertThat(other.directory()).isEqualTo(root.resolve("app"));
            FailureAnalysis analysis = analyze(new StoreLockedFailureAnalyzer(), dataDir(root, "app"));
            assertThat(analysis.getDescription()).contains("KvStore instance 'app'", root.resolve("app").toString(),
                    "is locked");
            assertThat(analysis.getAction()).contains("Stop the other process", "kvstore.instances.app.data-dir");
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedNamesItAndTheProperty() throws Exception {
        Path file = Files.writeString(root.resolve("not-a-directory"), "x");
        FailureAnalysis analysis = analyze(new KvStoreDirectoryFailureAnalyzer(),
                "kvstore.instances.app.data-dir=" + file.resolve("app"));
        assertThat(analysis.getDescription()).contains("KvStore instance 'app'", "cannot be created");
        assertThat(analysis.getAction()).contains("kvstore.instances.app.data-dir");
    }

    @Test
    void theAnalyzersAreRegisteredForSpringBoot() throws Exception {
        Properties factories = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring.factories")) {
            factories.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        assertThat(factories.getProperty(FailureAnalyzer.class.getName()).split(",")).containsExactlyInAnyOrder(
                InvalidKvStorePropertyFailureAnalyzer.class.getName(), SharedDataDirectoryFailureAnalyzer.class.getName(),
                StoreLockedFailureAnalyzer.class.getName(), KvStoreDirectoryFailureAnalyzer.class.getName());
    }

    private FailureAnalysis analyze(FailureAnalyzer analyzer, String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        runner.withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            analysis[0] = analyzer.analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("analysis").isNotNull();
        return analysis[0];
    }
}
