package io.kvstore.engine;

/** When the write-ahead log is forced to stable storage. */
public enum SyncMode {
    /**
     * Every write is fsynced before it is acknowledged. Concurrent writers share one fsync (group
     * commit). Survives power loss.
     */
    SYNC,
    /**
     * A background thread fsyncs the log every {@link KvStoreOptions#syncInterval()}. A power cut may
     * lose up to that interval of acknowledged writes; a process crash loses nothing.
     */
    PERIODIC,
    /**
     * Writes reach the OS page cache before they are acknowledged, and the OS decides when they
     * reach the disk. A process crash loses nothing; a power cut may lose recent writes.
     */
    NONE
}
