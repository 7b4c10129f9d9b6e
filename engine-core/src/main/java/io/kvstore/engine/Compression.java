package io.kvstore.engine;

/** How table data blocks are compressed. A block that does not shrink by at least 1/8 is stored raw. */
public enum Compression {
    /** Blocks are stored as they are. */
    NONE,
    /** LZ4 (lz4-java): fast compression and very fast decompression. */
    LZ4,
    /** Zstandard (zstd-jni): smaller files, more CPU. */
    ZSTD
}
