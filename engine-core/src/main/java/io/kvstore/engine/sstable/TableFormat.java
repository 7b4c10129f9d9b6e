package io.kvstore.engine.sstable;

/**
 * The table file ({@code NNNNNN.sst}) layout. Reader and writer share these constants; a test pins them.
 *
 * <pre>
 * table        := dataBlock* filterBlock indexBlock footer
 * each block   := contents compression:u8 crc:u32       crc = masked CRC32C over the stored contents
 *                                                      and the compression byte
 * contents     := the block itself                                     compression = 0 (none)
 *               | uncompressedLength:varint32 codecBytes               compression = 1 (LZ4 block format)
 *                                                                        or 2 (one Zstandard frame)
 * dataBlock    := a {@link Block} of (internal key → value), sorted; compressed per the writer's setting,
 *                 stored raw when compression would not save at least 1/8 of it
 * filterBlock  := a {@link BloomFilter} over the user keys (empty when bloomBitsPerKey = 0); never compressed.
 *                 Version 2: also over the distinct {@link io.kvstore.engine.io.FilterPrefix filtered prefixes}
 *                 of the keys (the store's rule: one per index posting term), so a scan of one prefix
 *                 can skip the table; version 1 tables (no such prefixes) are never skipped
 * indexBlock   := a {@link Block} of (last internal key of a data block → offset:varint64 size:varint32);
 *                 never compressed
 * footer       := filterOffset:u64 filterSize:u32 indexOffset:u64 indexSize:u32 entries:u64
 *                 formatVersion:u32 footerCrc:u32 magic:u64               (48 bytes, big-endian)
 *   sizes are of the stored contents and exclude the 5-byte block trailer;
 *   footerCrc = masked CRC32C of the 36 bytes before it
 * </pre>
 *
 * A reader decompresses each block per its own compression byte, so a store whose compression
 * setting changed reads its older tables as they were written.
 */
public final class TableFormat {

    /** "KVSTABLE" */
    public static final long MAGIC = 0x4B56535441424C45L;
    /** Written by builders with a filter-prefix rule; see the filter block above. */
    public static final int FORMAT_VERSION = 2;
    /** Written by builders without one (and by earlier releases): readable, filters hold whole keys only. */
    public static final int FORMAT_VERSION_WHOLE_KEYS = 1;
    public static final int FOOTER_SIZE = 48;
    public static final int BLOCK_TRAILER_SIZE = 5;
    public static final int RESTART_INTERVAL = 16;

    /*
     * Block compression codes, stored in each block's trailer. Codes are never reused: a retired
     * codec keeps its number, marked retired here, so old tables are never misread.
     */
    /** Stored as is. */
    public static final byte COMPRESSION_NONE = 0;
    /** LZ4 block format (lz4-java), preceded by the uncompressed length. */
    public static final byte COMPRESSION_LZ4 = 1;
    /** One Zstandard frame (zstd-jni), preceded by the uncompressed length. */
    public static final byte COMPRESSION_ZSTD = 2;

    private TableFormat() {
    }
}
