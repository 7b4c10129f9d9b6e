package io.kvstore.engine.sstable;

/**
 * The table file ({@code NNNNNN.sst}) layout. Reader and writer share these constants; a test pins them.
 *
 * <pre>
 * table        := dataBlock* filterBlock indexBlock footer
 * each block   := contents compression:u8 crc:u32       crc = masked CRC32C over contents and compression
 * dataBlock    := a {@link Block} of (internal key → value), sorted
 * filterBlock  := a {@link BloomFilter} over the user keys (empty when bloomBitsPerKey = 0)
 * indexBlock   := a {@link Block} of (last internal key of a data block → offset:varint64 size:varint32)
 * footer       := filterOffset:u64 filterSize:u32 indexOffset:u64 indexSize:u32 entries:u64
 *                 formatVersion:u32 footerCrc:u32 magic:u64               (48 bytes, big-endian)
 *   sizes exclude the 5-byte block trailer; footerCrc = masked CRC32C of the 36 bytes before it
 * </pre>
 */
public final class TableFormat {

    /** "KVSTABLE" */
    public static final long MAGIC = 0x4B56535441424C45L;
    public static final int FORMAT_VERSION = 1;
    public static final int FOOTER_SIZE = 48;
    public static final int BLOCK_TRAILER_SIZE = 5;
    public static final int RESTART_INTERVAL = 16;

    /** Block compression codes; the next issue adds LZ4 and ZSTD. Codes are never reused. */
    public static final byte COMPRESSION_NONE = 0;

    private TableFormat() {
    }
}
