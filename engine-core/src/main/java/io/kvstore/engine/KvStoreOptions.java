package io.kvstore.engine;

import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.NioFileSystem;
import java.time.Duration;
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

    private static final KvStoreOptions DEFAULTS = new KvStoreOptions(SyncMode.SYNC, Duration.ofSeconds(1),
            64L << 20, 4096, 10, 16 << 10, 16 << 20, NioFileSystem.INSTANCE);

    private final SyncMode syncMode;
    private final Duration syncInterval;
    private final long memtableSize;
    private final int blockSize;
    private final int bloomBitsPerKey;
    private final int maxKeySize;
    private final int maxValueSize;
    private final FileSystem fileSystem;

    private KvStoreOptions(SyncMode syncMode, Duration syncInterval, long memtableSize, int blockSize,
            int bloomBitsPerKey, int maxKeySize, int maxValueSize, FileSystem fileSystem) {
        this.syncMode = syncMode;
        this.syncInterval = syncInterval;
        this.memtableSize = memtableSize;
        this.blockSize = blockSize;
        this.bloomBitsPerKey = bloomBitsPerKey;
        this.maxKeySize = maxKeySize;
        this.maxValueSize = maxValueSize;
        this.fileSystem = fileSystem;
    }

    /**
     * The defaults: {@code SYNC}, sync interval 1 s (for {@code PERIODIC}), 64 MiB memtable, 4 KiB
     * blocks, 10 bloom bits per key, keys up to 16 KiB, values up to 16 MiB, the real file system.
     */
    public static KvStoreOptions defaults() {
        return DEFAULTS;
    }

    /** When the WAL is forced to disk; see {@link SyncMode}. */
    public KvStoreOptions withSyncMode(SyncMode syncMode) {
        Objects.requireNonNull(syncMode, "syncMode must not be null");
        return new KvStoreOptions(syncMode, syncInterval, memtableSize, blockSize, bloomBitsPerKey, maxKeySize,
                maxValueSize, fileSystem);
    }

    /** How often {@link SyncMode#PERIODIC} fsyncs the WAL; 1 ms to 1 hour. */
    public KvStoreOptions withSyncInterval(Duration syncInterval) {
        Objects.requireNonNull(syncInterval, "syncInterval must not be null");
        if (syncInterval.compareTo(Duration.ofMillis(1)) < 0 || syncInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("syncInterval must be between 1 ms and 1 h, was " + syncInterval);
        }
        return new KvStoreOptions(syncMode, syncInterval, memtableSize, blockSize, bloomBitsPerKey, maxKeySize,
                maxValueSize, fileSystem);
    }

    /** Bytes of writes buffered in memory before they are flushed to a table file; 64 KiB to 1 GiB. */
    public KvStoreOptions withMemtableSize(long bytes) {
        requireRange("memtableSize", bytes, 64 << 10, MAX_MEMTABLE_SIZE);
        return new KvStoreOptions(syncMode, syncInterval, bytes, blockSize, bloomBitsPerKey, maxKeySize, maxValueSize,
                fileSystem);
    }

    /** Target uncompressed size of a table data block; 256 bytes to 1 MiB. */
    public KvStoreOptions withBlockSize(int bytes) {
        requireRange("blockSize", bytes, 256, 1 << 20);
        return new KvStoreOptions(syncMode, syncInterval, memtableSize, bytes, bloomBitsPerKey, maxKeySize,
                maxValueSize, fileSystem);
    }

    /** Bloom filter bits per key in table files; 0 (no filter) to 30. 10 gives about 1% false positives. */
    public KvStoreOptions withBloomBitsPerKey(int bits) {
        requireRange("bloomBitsPerKey", bits, 0, 30);
        return new KvStoreOptions(syncMode, syncInterval, memtableSize, blockSize, bits, maxKeySize, maxValueSize,
                fileSystem);
    }

    /** Largest accepted key in bytes; 1 byte to 1 MiB. */
    public KvStoreOptions withMaxKeySize(int bytes) {
        requireRange("maxKeySize", bytes, 1, MAX_KEY_SIZE_LIMIT);
        return new KvStoreOptions(syncMode, syncInterval, memtableSize, blockSize, bloomBitsPerKey, bytes,
                maxValueSize, fileSystem);
    }

    /** Largest accepted value in bytes; 0 to 256 MiB. */
    public KvStoreOptions withMaxValueSize(int bytes) {
        requireRange("maxValueSize", bytes, 0, MAX_VALUE_SIZE_LIMIT);
        return new KvStoreOptions(syncMode, syncInterval, memtableSize, blockSize, bloomBitsPerKey, maxKeySize,
                bytes, fileSystem);
    }

    /** The file system the engine does all its I/O through; tests pass a fault-injecting one. */
    public KvStoreOptions withFileSystem(FileSystem fileSystem) {
        Objects.requireNonNull(fileSystem, "fileSystem must not be null");
        return new KvStoreOptions(syncMode, syncInterval, memtableSize, blockSize, bloomBitsPerKey, maxKeySize,
                maxValueSize, fileSystem);
    }

    public SyncMode syncMode() {
        return syncMode;
    }

    public Duration syncInterval() {
        return syncInterval;
    }

    public long memtableSize() {
        return memtableSize;
    }

    public int blockSize() {
        return blockSize;
    }

    public int bloomBitsPerKey() {
        return bloomBitsPerKey;
    }

    public int maxKeySize() {
        return maxKeySize;
    }

    public int maxValueSize() {
        return maxValueSize;
    }

    public FileSystem fileSystem() {
        return fileSystem;
    }

    private static void requireRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    @Override
    public String toString() {
        return "KvStoreOptions[syncMode=" + syncMode + ", syncInterval=" + syncInterval + ", memtableSize="
                + memtableSize + ", blockSize=" + blockSize + ", bloomBitsPerKey=" + bloomBitsPerKey
                + ", maxKeySize=" + maxKeySize + ", maxValueSize=" + maxValueSize + "]";
    }
}
