package io.kvstore.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.boot.autoconfigure.KvStoreProperties.Compaction;
import io.kvstore.boot.autoconfigure.KvStoreProperties.Instance;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class KvStorePropertiesTests {

    private final KvStoreOptions engine = KvStoreOptions.defaults();

    @Test
    void everyPropertyDefaultEqualsTheEngineDefault() {
        Instance p = new Instance();
        Compaction c = p.getCompaction();
        assertThat(p.getSyncMode()).isEqualTo(engine.syncMode());
        assertThat(p.getSyncInterval()).isEqualTo(engine.syncInterval());
        assertThat(Codec.named(p.getCodec())).isEqualTo(engine.codec());
        assertThat(p.getMemtableSize().toBytes()).isEqualTo(engine.memtableSize());
        assertThat(p.getBlockCacheSize().toBytes()).isEqualTo(engine.blockCacheSize());
        assertThat(p.getBlockSize().toBytes()).isEqualTo(engine.blockSize());
        assertThat(p.getBloomBitsPerKey()).isEqualTo(engine.bloomBitsPerKey());
        assertThat(p.getMaxKeySize().toBytes()).isEqualTo(engine.maxKeySize());
        assertThat(p.getMaxValueSize().toBytes()).isEqualTo(engine.maxValueSize());
        assertThat(p.getMaxOpenFiles()).isEqualTo(engine.maxOpenFiles());
        assertThat(p.getCompression()).isEqualTo(engine.compression());
        assertThat(p.isQueryEnabled()).isEqualTo(engine.queriesEnabled());
        assertThat(c.getStrategy()).isEqualTo(engine.compactionStrategy());
        assertThat(c.getLevel0FileTrigger()).isEqualTo(engine.level0FileTrigger());
        assertThat(c.getLevel0SlowdownTrigger()).isEqualTo(engine.level0SlowdownTrigger());
        assertThat(c.getLevel0StopTrigger()).isEqualTo(engine.level0StopTrigger());
        assertThat(c.getMaxBytesForLevelBase().toBytes()).isEqualTo(engine.maxBytesForLevelBase());
        assertThat(c.getTargetFileSize().toBytes()).isEqualTo(engine.targetFileSize());
        assertThat(c.getThreads()).isEqualTo(engine.compactionThreads());
        // And the whole mapping: default properties give exactly the default options.
        assertThat(KvStoreOptionsMapper.options("x", p).toString()).isEqualTo(engine.toString());
    }

    @Test
    void withNoInstanceConfiguredTheDefaultInstanceIsTheOnlyOneAndPrimary() {
        KvStoreProperties properties = new KvStoreProperties();
        assertThat(properties.effectiveInstances()).containsOnlyKeys("default");
        assertThat(KvStoreInstances.primaryOf(properties)).isEqualTo("default");
        properties.getInstances().put("a", new Instance());
        properties.getInstances().put("b", new Instance());
        assertThat(KvStoreInstances.primaryOf(properties)).isNull();
        properties.getInstances().get("b").setPrimary(true);
        assertThat(KvStoreInstances.primaryOf(properties)).isEqualTo("b");
    }

    @Test
    void theMetadataDocumentsEveryPropertyWithDefaultsMatchingTheEngineAndHintsEveryEnum() throws Exception {
        JsonNode generated = read("META-INF/spring-configuration-metadata.json");
        Map<String, JsonNode> properties = new java.util.HashMap<>();
        generated.get("properties").forEach(p -> properties.put(p.get("name").asString(), p));
        assertThat(properties).containsKeys("kvstore.instances", "kvstore.repositories.enabled",
                "kvstore.repositories.instance", "kvstore.backup.directory",
                "kvstore.instances.default.backup-directory");
        properties.values().forEach(p -> assertThat(p.has("description")).as(p.toString()).isTrue());
        JsonNode hints = generated.get("hints");
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        hints.forEach(h -> byName.put(h.get("name").asString(), h));
        assertThat(byName).containsKeys("kvstore.instances.keys", "kvstore.instances.default.codec",
                "kvstore.instances.default.sync-mode", "kvstore.instances.default.compression",
                "kvstore.instances.default.compaction.strategy", "kvstore.instances.default.indexes[0].type");
        assertThat(byName.get("kvstore.instances.default.codec").get("values")).extracting(v -> v.get("value").asString())
                .containsExactly("raw", "json", "bson");
        properties.values().stream().filter(p -> p.get("name").asString().startsWith("kvstore.instances.default."))
                .forEach(p -> assertThat(p.get("description").asString()).as(p.toString()).isNotBlank());
        assertThat(properties.get("kvstore.instances.default.memtable-size").get("defaultValue").asString())
                .isEqualTo("64MB");
    }

    private JsonNode read(String resource) throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }
}
