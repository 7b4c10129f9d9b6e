package io.kvstore.engine;

import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.NioFileSystem;
import java.time.Clock;
import java.time.Duration;
import io.kvstore.engine.codec.Codec;
import java.util.Objects;

/**
 * Settings of one {@link KvStore} instance. Immutable: every {@code with…} method returns a copy.
 * Start from {@link #defaults()}. Each setter checks its argument and names the allowed range.
 */
public final class KvStoreOptions {

    /** Largest accepted memtable size: a memtable must stay addressable by int offsets in its records. */
    public static final long MAX_MEMTABLE_SIZE = 1L << 30;
    /** Largest key the engine accepts with any setting. */
    public static final int MAX_KEY_SIZE_LIMIT = 1 << 20;
    /** Largest value the engine accepts with any setting. */
    public static final int MAX_VALUE_SIZE_LIMIT = 256 << 20;

    private static final KvStoreOptions DEFAULTS = new KvStoreOptions(new Values());

    /** The settings; copied on every change so an options object never changes once built. */
    private static final class Values implements Cloneable {
        SyncMode syncMode = SyncMode.SYNC;
        Duration syncInterval = Duration.ofSeconds(1);
        long memtableSize = 64L << 20;
        int blockSize = 4096;
        int bloomBitsPerKey = 10;
        int maxKeySize = 16 << 10;
        int maxValueSize = 16 << 20;
        Compression compression = Compression.LZ4;
        Codec codec = Codec.RAW;
        boolean queriesEnabled = true;
        OperationListener operationListener;
        long blockCacheSize = 32L << 20;
        int maxOpenFiles = 1000;
        CompactionStrategy compactionStrategy = CompactionStrategy.LEVELED;
        int level0FileTrigger = 4;
        int level0SlowdownTrigger = 20;
        int level0StopTrigger = 36;
        long maxBytesForLevelBase = 256L << 20;
        long targetFileSize = 64L << 20;
        int compactionThreads = 1;
        Clock clock = Clock.systemUTC();
        FileSystem fileSystem = NioFileSystem.INSTANCE;

        Values copy() {
            try {
                return (Values) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final Values v;

    private KvStoreOptions(Values values) {
        this.v = values;
    }

    /**
     * The defaults: {@code SYNC}, sync interval 1 s (for {@code PERIODIC}), 64 MiB memtable, 4 KiB
     * blocks, 10 bloom bits per key, keys up to 16 KiB, values up to 16 MiB, raw values, LZ4 compression, a
     * 32 MiB block cache, 1000 open table files, leveled compaction (L0 trigger 4, slowdown 20,
     * stop 36, L1 target 256 MiB, 64 MiB files, one compaction thread), the system UTC clock and
     * the real file system.
     */
    public static KvStoreOptions defaults() {
        return DEFAULTS;
    }

    private KvStoreOptions with(java.util.function.Consumer<Values> change) {
        Values copy = v.copy();
        change.accept(copy);
        return new KvStoreOptions(copy);
    }

    /** When the WAL is forced to disk; see {@link SyncMode}. */
    public KvStoreOptions withSyncMode(SyncMode syncMode) {
        Objects.requireNonNull(syncMode, "syncMode must not be null");
        return with(c -> c.syncMode = syncMode);
    }

    /** How often {@link SyncMode#PERIODIC} fsyncs the WAL; 1 ms to 1 hour. */
    public KvStoreOptions withSyncInterval(Duration syncInterval) {
        Objects.requireNonNull(syncInterval, "syncInterval must not be null");
        if (syncInterval.compareTo(Duration.ofMillis(1)) < 0 || syncInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("syncInterval must be between 1 ms and 1 h, was " + syncInterval);
        }
        return with(c -> c.syncInterval = syncInterval);
    }

    /**
     * Bytes of writes buffered in memory before they are flushed to a table file; 64 KiB to 1 GiB.
     * Each memtable also keeps a key filter of 1/64 of this size (1 MiB for the default), so that
     * reads of keys it does not hold skip it.
     */
    public KvStoreOptions withMemtableSize(long bytes) {
        requireRange("memtableSize", bytes, 64 << 10, MAX_MEMTABLE_SIZE);
        return with(c -> c.memtableSize = bytes);
    }

    /** Target uncompressed size of a table data block; 256 bytes to 1 MiB. */
    public KvStoreOptions withBlockSize(int bytes) {
        requireRange("blockSize", bytes, 256, 1 << 20);
        return with(c -> c.blockSize = bytes);
    }

    /** Bloom filter bits per key in table files; 0 (no filter) to 30. 10 gives about 1% false positives. */
    public KvStoreOptions withBloomBitsPerKey(int bits) {
        requireRange("bloomBitsPerKey", bits, 0, 30);
        return with(c -> c.bloomBitsPerKey = bits);
    }

    /** Largest accepted key in bytes; 1 byte to 1 MiB. */
    public KvStoreOptions withMaxKeySize(int bytes) {
        requireRange("maxKeySize", bytes, 1, MAX_KEY_SIZE_LIMIT);
        return with(c -> c.maxKeySize = bytes);
    }

    /** Largest accepted value in bytes; 0 to 256 MiB. */
    public KvStoreOptions withMaxValueSize(int bytes) {
        requireRange("maxValueSize", bytes, 0, MAX_VALUE_SIZE_LIMIT);
        return with(c -> c.maxValueSize = bytes);
    }

    /** Compression of table data blocks written from now on; existing tables stay readable. */
    public KvStoreOptions withCompression(Compression compression) {
        Objects.requireNonNull(compression, "compression must not be null");
        return with(c -> c.compression = compression);
    }

    /**
     * How values are encoded: {@link Codec#RAW} (any bytes, the default), {@link Codec#JSON} or
     * {@link Codec#BSON}. With JSON or BSON a put whose value is not a valid document is refused
     * with a message naming the key and the parse error.
     */
    public KvStoreOptions withCodec(Codec codec) {
        Objects.requireNonNull(codec, "codec must not be null");
        return with(c -> c.codec = codec);
    }

    /**
     * Whether index queries and index creation are allowed (default true). With false, a plain
     * key-value store: {@code query}, {@code count} and {@code indexes().create/rebuild} are
     * refused, and existing indexes are still maintained on writes.
     */
    public KvStoreOptions withQueriesEnabled(boolean enabled) {
        return with(c -> c.queriesEnabled = enabled);
    }

    /** Reports every operation's duration and outcome (for metrics); {@code null} for none, the default. */
    public KvStoreOptions withOperationListener(OperationListener listener) {
        return with(c -> c.operationListener = listener);
    }

    /** Bytes of uncompressed data blocks kept in memory, shared by all tables; 0 (no cache) to 1 TiB. */
    public KvStoreOptions withBlockCacheSize(long bytes) {
        requireRange("blockCacheSize", bytes, 0, 1L << 40);
        return with(c -> c.blockCacheSize = bytes);
    }

    /** Most table files held open at once (their index and bloom filter stay in memory); 16 to 1,000,000. */
    public KvStoreOptions withMaxOpenFiles(int files) {
        requireRange("maxOpenFiles", files, 16, 1_000_000);
        return with(c -> c.maxOpenFiles = files);
    }

    /** How table files are merged; see {@link CompactionStrategy}. */
    public KvStoreOptions withCompactionStrategy(CompactionStrategy strategy) {
        Objects.requireNonNull(strategy, "compactionStrategy must not be null");
        return with(c -> c.compactionStrategy = strategy);
    }

    /** Number of L0 files (leveled) or similar-size runs (tiered) that starts a compaction; 2 to 100. */
    public KvStoreOptions withLevel0FileTrigger(int files) {
        requireRange("level0FileTrigger", files, 2, 100);
        return with(c -> c.level0FileTrigger = files);
    }

    /** Number of L0 files at which each write is delayed a little so compaction can catch up; 2 to 1000. */
    public KvStoreOptions withLevel0SlowdownTrigger(int files) {
        requireRange("level0SlowdownTrigger", files, 2, 1000);
        return with(c -> c.level0SlowdownTrigger = files);
    }

    /** Number of L0 files at which writes wait for compaction; 2 to 1000. */
    public KvStoreOptions withLevel0StopTrigger(int files) {
        requireRange("level0StopTrigger", files, 2, 1000);
        return with(c -> c.level0StopTrigger = files);
    }

    /** Size target of L1 (each deeper level's is ten times the one above); 64 KiB to 1 TiB. */
    public KvStoreOptions withMaxBytesForLevelBase(long bytes) {
        requireRange("maxBytesForLevelBase", bytes, 64 << 10, 1L << 40);
        return with(c -> c.maxBytesForLevelBase = bytes);
    }

    /** Size at which a compaction starts a new output file; 16 KiB to 4 GiB. */
    public KvStoreOptions withTargetFileSize(long bytes) {
        requireRange("targetFileSize", bytes, 16 << 10, 4L << 30);
        return with(c -> c.targetFileSize = bytes);
    }

    /** Background threads running compactions; 1 to 64. */
    public KvStoreOptions withCompactionThreads(int threads) {
        requireRange("compactionThreads", threads, 1, 64);
        return with(c -> c.compactionThreads = threads);
    }

    /** The clock that decides when entries written with a time-to-live expire; tests pass a fake one. */
    public KvStoreOptions withClock(Clock clock) {
        Objects.requireNonNull(clock, "clock must not be null");
        return with(c -> c.clock = clock);
    }

    /** The file system the engine does all its I/O through; tests pass a fault-injecting one. */
    public KvStoreOptions withFileSystem(FileSystem fileSystem) {
        Objects.requireNonNull(fileSystem, "fileSystem must not be null");
        return with(c -> c.fileSystem = fileSystem);
    }

    public SyncMode syncMode() {
        return v.syncMode;
    }

    public Duration syncInterval() {
        return v.syncInterval;
    }

    public long memtableSize() {
        return v.memtableSize;
    }

    public int blockSize() {
        return v.blockSize;
    }

    public int bloomBitsPerKey() {
        return v.bloomBitsPerKey;
    }

    public int maxKeySize() {
        return v.maxKeySize;
    }

    public int maxValueSize() {
        return v.maxValueSize;
    }

    public Compression compression() {
        return v.compression;
    }

    public Codec codec() {
        return v.codec;
    }

    public boolean queriesEnabled() {
        return v.queriesEnabled;
    }

    /** The operation listener, or {@code null}. */
    public OperationListener operationListener() {
        return v.operationListener;
    }

    public long blockCacheSize() {
        return v.blockCacheSize;
    }

    public int maxOpenFiles() {
        return v.maxOpenFiles;
    }

    public CompactionStrategy compactionStrategy() {
        return v.compactionStrategy;
    }

    public int level0FileTrigger() {
        return v.level0FileTrigger;
    }

    public int level0SlowdownTrigger() {
        return v.level0SlowdownTrigger;
    }

    public int level0StopTrigger() {
        return v.level0StopTrigger;
    }

    public long maxBytesForLevelBase() {
        return v.maxBytesForLevelBase;
    }

    public long targetFileSize() {
        return v.targetFileSize;
    }

    public int compactionThreads() {
        return v.compactionThreads;
    }

    public Clock clock() {
        return v.clock;
    }

    public FileSystem fileSystem() {
        return v.fileSystem;
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    @Override
    public String toString() {
        return "KvStoreOptions[syncMode=" + v.syncMode + ", syncInterval=" + v.syncInterval + ", memtableSize="
                + v.memtableSize + ", blockSize=" + v.blockSize + ", bloomBitsPerKey=" + v.bloomBitsPerKey
                + ", maxKeySize=" + v.maxKeySize + ", maxValueSize=" + v.maxValueSize + ", compression="
                + v.compression + ", blockCacheSize=" + v.blockCacheSize + ", maxOpenFiles=" + v.maxOpenFiles
                + ", compactionStrategy=" + v.compactionStrategy + ", level0FileTrigger=" + v.level0FileTrigger
                + ", level0SlowdownTrigger=" + v.level0SlowdownTrigger + ", level0StopTrigger="
                + v.level0StopTrigger + ", maxBytesForLevelBase=" + v.maxBytesForLevelBase + ", targetFileSize="
                + v.targetFileSize + ", compactionThreads=" + v.compactionThreads + "]";
    }
}
