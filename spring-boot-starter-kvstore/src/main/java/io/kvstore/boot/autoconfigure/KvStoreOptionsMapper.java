package io.kvstore.boot.autoconfigure;

import io.kvstore.boot.autoconfigure.KvStoreProperties.Compaction;
import io.kvstore.boot.autoconfigure.KvStoreProperties.Index;
import io.kvstore.boot.autoconfigure.KvStoreProperties.Instance;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.util.unit.DataSize;

/**
 * Turns the properties of one instance into engine options and index definitions. Every value
 * goes through the engine's own checks; a refusal becomes an {@link InvalidKvStorePropertyException}
 * that names the property as the user wrote it.
 */
final class KvStoreOptionsMapper {

    private final String prefix;

    private KvStoreOptionsMapper(String instance) {
        this.prefix = "kvstore.instances." + instance + ".";
    }

    static KvStoreOptions options(String instance, Instance p) {
        return new KvStoreOptionsMapper(instance).options(p);
    }

    static List<IndexDefinition> indexes(String instance, Instance p) {
        return new KvStoreOptionsMapper(instance).indexes(p);
    }

    private KvStoreOptions options(Instance p) {
        KvStoreOptions o = KvStoreOptions.defaults();
        o = set(o, "sync-mode", p.getSyncMode(), KvStoreOptions::withSyncMode);
        o = set(o, "sync-interval", p.getSyncInterval(), KvStoreOptions::withSyncInterval);
        o = set(o, "codec", p.getCodec(), (opts, name) -> opts.withCodec(Codec.named(name)));
        o = setBytes(o, "memtable-size", p.getMemtableSize(), KvStoreOptions::withMemtableSize);
        o = setBytes(o, "block-cache-size", p.getBlockCacheSize(), KvStoreOptions::withBlockCacheSize);
        o = setIntBytes(o, "block-size", p.getBlockSize(), KvStoreOptions::withBlockSize);
        o = set(o, "bloom-bits-per-key", p.getBloomBitsPerKey(), KvStoreOptions::withBloomBitsPerKey);
        o = setIntBytes(o, "max-key-size", p.getMaxKeySize(), KvStoreOptions::withMaxKeySize);
        o = setIntBytes(o, "max-value-size", p.getMaxValueSize(), KvStoreOptions::withMaxValueSize);
        o = set(o, "max-open-files", p.getMaxOpenFiles(), KvStoreOptions::withMaxOpenFiles);
        o = set(o, "compression", p.getCompression(), KvStoreOptions::withCompression);
        o = o.withQueriesEnabled(p.isQueryEnabled());
        Compaction c = p.getCompaction();
        o = set(o, "compaction.strategy", c.getStrategy(), KvStoreOptions::withCompactionStrategy);
        o = set(o, "compaction.level0-file-trigger", c.getLevel0FileTrigger(), KvStoreOptions::withLevel0FileTrigger);
        o = set(o, "compaction.level0-slowdown-trigger", c.getLevel0SlowdownTrigger(),
                KvStoreOptions::withLevel0SlowdownTrigger);
        o = set(o, "compaction.level0-stop-trigger", c.getLevel0StopTrigger(), KvStoreOptions::withLevel0StopTrigger);
        o = setBytes(o, "compaction.max-bytes-for-level-base", c.getMaxBytesForLevelBase(),
                KvStoreOptions::withMaxBytesForLevelBase);
        o = setBytes(o, "compaction.target-file-size", c.getTargetFileSize(),
                KvStoreOptions::withTargetFileSize);
        o = set(o, "compaction.threads", c.getThreads(), KvStoreOptions::withCompactionThreads);
        return o;
    }

    private List<IndexDefinition> indexes(Instance p) {
        List<IndexDefinition> definitions = new ArrayList<>();
        Codec codec = options(p).codec();
        for (int i = 0; i < p.getIndexes().size(); i++) {
            Index index = p.getIndexes().get(i);
            String property = prefix + "indexes[" + i + "]";
            if (!p.isQueryEnabled()) {
                throw new InvalidKvStorePropertyException(property + ".name", index.getName(),
                        "indexes cannot be created while " + prefix + "query-enabled is false");
            }
            if (index.getName() == null || index.getName().isBlank()) {
                throw new InvalidKvStorePropertyException(property + ".name", index.getName(), "every index needs a name");
            }
            if (index.getType() == null) {
                throw new InvalidKvStorePropertyException(property + ".type", null,
                        "must be one of equality, range, prefix, text");
            }
            Extractor extractor;
            try {
                extractor = extractor(codec, index.getPath());
            } catch (IllegalArgumentException e) {
                throw new InvalidKvStorePropertyException(property + ".path", index.getPath(), e.getMessage(), e);
            }
            IndexDefinition definition;
            try {
                definition = IndexDefinition.of(index.getName(), index.getType(), extractor);
            } catch (IllegalArgumentException e) {
                throw new InvalidKvStorePropertyException(property + ".name", index.getName(), e.getMessage(), e);
            }
            if (index.getScopePrefix() != null && !index.getScopePrefix().isEmpty()) {
                definition = definition.withScopePrefix(index.getScopePrefix());
            }
            definitions.add(definition);
        }
        return definitions;
    }

    /** The whole value for no path; a field path read in the instance's codec otherwise. */
    private static Extractor extractor(Codec codec, String path) {
        if (path == null || path.isBlank()) {
            return Extractor.raw();
        }
        if (codec == Codec.JSON) {
            return Extractor.jsonPath(path);
        }
        if (codec == Codec.BSON) {
            return Extractor.bsonPath(path);
        }
        throw new IllegalArgumentException("a field path needs the json or bson codec, but the instance's codec is "
                + codec.name() + "; leave path out to index the whole value");
    }

    private <T> KvStoreOptions set(KvStoreOptions options, String property, T value,
            BiFunction<KvStoreOptions, T, KvStoreOptions> setter) {
        if (value == null) {
            throw new InvalidKvStorePropertyException(prefix + property, null, "must be set");
        }
        try {
            return setter.apply(options, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidKvStorePropertyException(prefix + property, value, e.getMessage(), e);
        }
    }

    private KvStoreOptions setBytes(KvStoreOptions options, String property, DataSize size,
            BiFunction<KvStoreOptions, Long, KvStoreOptions> setter) {
        if (size == null) {
            throw new InvalidKvStorePropertyException(prefix + property, null, "must be set");
        }
        try {
            return setter.apply(options, size.toBytes());
        } catch (IllegalArgumentException e) {
            throw new InvalidKvStorePropertyException(prefix + property, size, e.getMessage(), e);
        }
    }

    private KvStoreOptions setIntBytes(KvStoreOptions options, String property, DataSize size,
            BiFunction<KvStoreOptions, Integer, KvStoreOptions> setter) {
        if (size != null && (size.toBytes() > Integer.MAX_VALUE || size.toBytes() < Integer.MIN_VALUE)) {
            throw new InvalidKvStorePropertyException(prefix + property, size, "must be below 2GB");
        }
        return setBytes(options, property, size, (o, bytes) -> setter.apply(o, bytes.intValue()));
    }
}
