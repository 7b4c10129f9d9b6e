package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.CompactionStrategy;
import io.kvstore.engine.Compression;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.index.IndexType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code kvstore.*} properties: one engine instance per entry of {@code kvstore.instances}.
 * Every default equals the engine's ({@code KvStoreOptions.defaults()}); a test keeps them equal.
 */
@ConfigurationProperties("kvstore")
public class KvStoreProperties {

    /** Name of the instance created when no instance is configured. */
    public static final String DEFAULT_INSTANCE = "default";

    /** Engine instances by name; with none configured, one instance "default" under ./data/default. */
    private Map<String, Instance> instances = new LinkedHashMap<>();

    private final Repositories repositories = new Repositories();

    private final Backup backup = new Backup();

    public Map<String, Instance> getInstances() {
        return instances;
    }

    public void setInstances(Map<String, Instance> instances) {
        this.instances = instances;
    }

    public Repositories getRepositories() {
        return repositories;
    }

    public Backup getBackup() {
        return backup;
    }

    /** The configured instances, or the single {@code default} instance when none is configured. */
    public Map<String, Instance> effectiveInstances() {
        return instances.isEmpty() ? Map.of(DEFAULT_INSTANCE, new Instance()) : instances;
    }

    /** One engine instance. */
    public static class Instance {

        /** Directory holding the instance's files; default ./data/<instance name>. */
        private Path dataDir;

        /** Whether this instance is injected where no qualifier is given; a single instance is always primary. */
        private boolean primary;

        /** When the write-ahead log is forced to disk: before every acknowledgement, periodically, or never. */
        private SyncMode syncMode = SyncMode.SYNC;

        /** How often the write-ahead log is forced to disk in the periodic sync mode. */
        private Duration syncInterval = Duration.ofSeconds(1);

        /** How values are encoded and validated: raw (any bytes), json or bson; repositories need json or bson. */
        private String codec = "raw";

        /** Bytes of writes buffered in memory before they are flushed to a table file. */
        private DataSize memtableSize = DataSize.ofMegabytes(64);

        /** Uncompressed data blocks kept in memory, shared by all table files of the instance; 0 disables the cache. */
        private DataSize blockCacheSize = DataSize.ofMegabytes(32);

        /** Target uncompressed size of a table data block. */
        private DataSize blockSize = DataSize.ofKilobytes(4);

        /** Bloom filter bits per key in table files; 0 for no filter, 10 gives about 1% false positives. */
        private int bloomBitsPerKey = 10;

        /** Largest key accepted. */
        private DataSize maxKeySize = DataSize.ofKilobytes(16);

        /** Largest value accepted. */
        private DataSize maxValueSize = DataSize.ofMegabytes(16);

        /** Most table files held open at once. */
        private int maxOpenFiles = 1000;

        /** Compression of table data blocks written from now on; existing files stay readable. */
        private Compression compression = Compression.LZ4;

        /** Whether index queries and index creation are allowed; false makes a plain key-value store. */
        private boolean queryEnabled = true;

        private final Compaction compaction = new Compaction();

        /** Secondary indexes created (and filled from existing records) when the instance opens. */
        private List<Index> indexes = new ArrayList<>();

        /** Directory the backup action writes this instance's archives into; default kvstore.backup.directory. */
        private Path backupDirectory;

        public Path getBackupDirectory() {
            return backupDirectory;
        }

        public void setBackupDirectory(Path backupDirectory) {
            this.backupDirectory = backupDirectory;
        }

        public Path getDataDir() {
            return dataDir;
        }

        public void setDataDir(Path dataDir) {
            this.dataDir = dataDir;
        }

        public boolean isPrimary() {
            return primary;
        }

        public void setPrimary(boolean primary) {
            this.primary = primary;
        }

        public SyncMode getSyncMode() {
            return syncMode;
        }

        public void setSyncMode(SyncMode syncMode) {
            this.syncMode = syncMode;
        }

        public Duration getSyncInterval() {
            return syncInterval;
        }

        public void setSyncInterval(Duration syncInterval) {
            this.syncInterval = syncInterval;
        }

        public String getCodec() {
            return codec;
        }

        public void setCodec(String codec) {
            this.codec = codec;
        }

        public DataSize getMemtableSize() {
            return memtableSize;
        }

        public void setMemtableSize(DataSize memtableSize) {
            this.memtableSize = memtableSize;
        }

        public DataSize getBlockCacheSize() {
            return blockCacheSize;
        }

        public void setBlockCacheSize(DataSize blockCacheSize) {
            this.blockCacheSize = blockCacheSize;
        }

        public DataSize getBlockSize() {
            return blockSize;
        }

        public void setBlockSize(DataSize blockSize) {
            this.blockSize = blockSize;
        }

        public int getBloomBitsPerKey() {
            return bloomBitsPerKey;
        }

        public void setBloomBitsPerKey(int bloomBitsPerKey) {
            this.bloomBitsPerKey = bloomBitsPerKey;
        }

        public DataSize getMaxKeySize() {
            return maxKeySize;
        }

        public void setMaxKeySize(DataSize maxKeySize) {
            this.maxKeySize = maxKeySize;
        }

        public DataSize getMaxValueSize() {
            return maxValueSize;
        }

        public void setMaxValueSize(DataSize maxValueSize) {
            this.maxValueSize = maxValueSize;
        }

        public int getMaxOpenFiles() {
            return maxOpenFiles;
        }

        public void setMaxOpenFiles(int maxOpenFiles) {
            this.maxOpenFiles = maxOpenFiles;
        }

        public Compression getCompression() {
            return compression;
        }

        public void setCompression(Compression compression) {
            this.compression = compression;
        }

        public boolean isQueryEnabled() {
            return queryEnabled;
        }

        public void setQueryEnabled(boolean queryEnabled) {
            this.queryEnabled = queryEnabled;
        }

        public Compaction getCompaction() {
            return compaction;
        }

        public List<Index> getIndexes() {
            return indexes;
        }

        public void setIndexes(List<Index> indexes) {
            this.indexes = indexes;
        }
    }

    /** How an instance merges its table files in the background. */
    public static class Compaction {

        /** Compaction strategy: leveled (low read and space amplification) or tiered (less rewriting). */
        private CompactionStrategy strategy = CompactionStrategy.LEVELED;

        /** Number of level-0 files (leveled) or similar-size runs (tiered) that starts a compaction. */
        private int level0FileTrigger = 4;

        /** Number of level-0 files at which each write is delayed a little so compaction can catch up. */
        private int level0SlowdownTrigger = 20;

        /** Number of level-0 files at which writes wait for compaction. */
        private int level0StopTrigger = 36;

        /** Size target of level 1; each deeper level's target is ten times the one above. */
        private DataSize maxBytesForLevelBase = DataSize.ofMegabytes(256);

        /** Size at which a compaction starts a new output file. */
        private DataSize targetFileSize = DataSize.ofMegabytes(64);

        /** Background threads running compactions. */
        private int threads = 1;

        public CompactionStrategy getStrategy() {
            return strategy;
        }

        public void setStrategy(CompactionStrategy strategy) {
            this.strategy = strategy;
        }

        public int getLevel0FileTrigger() {
            return level0FileTrigger;
        }

        public void setLevel0FileTrigger(int level0FileTrigger) {
            this.level0FileTrigger = level0FileTrigger;
        }

        public int getLevel0SlowdownTrigger() {
            return level0SlowdownTrigger;
        }

        public void setLevel0SlowdownTrigger(int level0SlowdownTrigger) {
            this.level0SlowdownTrigger = level0SlowdownTrigger;
        }

        public int getLevel0StopTrigger() {
            return level0StopTrigger;
        }

        public void setLevel0StopTrigger(int level0StopTrigger) {
            this.level0StopTrigger = level0StopTrigger;
        }

        public DataSize getMaxBytesForLevelBase() {
            return maxBytesForLevelBase;
        }

        public void setMaxBytesForLevelBase(DataSize maxBytesForLevelBase) {
            this.maxBytesForLevelBase = maxBytesForLevelBase;
        }

        public DataSize getTargetFileSize() {
            return targetFileSize;
        }

        public void setTargetFileSize(DataSize targetFileSize) {
            this.targetFileSize = targetFileSize;
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }
    }

    /** A secondary index created when its instance opens. */
    public static class Index {

        /** Name of the index, used by queries. */
        private String name;

        /** Only keys starting with this prefix are indexed (for example "users:"); empty for all keys. */
        private String scopePrefix;

        /** What the index answers: equality, range, prefix or text. */
        private IndexType type = IndexType.EQUALITY;

        /** Field path read from the value (json or bson codec), for example $.city; absent for the whole value. */
        private String path;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getScopePrefix() {
            return scopePrefix;
        }

        public void setScopePrefix(String scopePrefix) {
            this.scopePrefix = scopePrefix;
        }

        public IndexType getType() {
            return type;
        }

        public void setType(IndexType type) {
            this.type = type;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /** Spring Data repositories over an instance. */
    public static class Repositories {

        /** Whether repository interfaces are turned into beans automatically. */
        private boolean enabled = true;

        /** The instance repositories use; default the primary instance. */
        private String instance;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getInstance() {
            return instance;
        }

        public void setInstance(String instance) {
            this.instance = instance;
        }
    }

    /** The backup action of the actuator endpoint and the REST API ({@code admin/backup}). */
    public static class Backup {

        /**
         * Directory backup archives are written into, one {@code <instance>-<UTC time>-<last sequence>.tar.gz}
         * per backup (never overwritten); without it (and without an instance's backup-directory) backups are refused.
         */
        private Path directory;

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }
    }
}
