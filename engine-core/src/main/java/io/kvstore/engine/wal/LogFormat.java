package io.kvstore.engine.wal;

/**
 * The block-framed log format shared by the write-ahead log ({@code NNNNNN.log}) and the manifest
 * ({@code MANIFEST-NNNNNN}); the same framing LevelDB uses ({@code doc/log_format.md}).
 *
 * <pre>
 * file      := block*                       each block is 32 KiB; the last may be short
 * block     := fragment* trailer?           trailer: &lt; 7 zero bytes when no header fits
 * fragment  := crc:u32 length:u16 type:u8 payload[length]
 *   crc     =  masked CRC32C over type and payload
 *   type    =  FULL(1) | FIRST(2) | MIDDLE(3) | LAST(4)   (0 is never written)
 * record    := FULL | FIRST MIDDLE* LAST    a record is split across blocks as needed
 * </pre>
 *
 * The first record of every log file is its header: {@code magic:u64 formatVersion:u32}, the magic
 * telling a WAL from a manifest. A reader refuses a newer format version.
 */
public final class LogFormat {

    public static final int BLOCK_SIZE = 32 * 1024;
    public static final int HEADER_SIZE = 4 + 2 + 1;

    public static final byte FULL = 1;
    public static final byte FIRST = 2;
    public static final byte MIDDLE = 3;
    public static final byte LAST = 4;

    /** "KVSWAL\0\1": a write-ahead log. */
    public static final long WAL_MAGIC = 0x4B5653_57414C_0001L;
    /** "KVSMAN\0\1": a manifest. */
    public static final long MANIFEST_MAGIC = 0x4B5653_4D414E_0001L;

    /** Format version this build writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    /** Size of the file-header record's payload. */
    public static final int FILE_HEADER_SIZE = 8 + 4;

    private LogFormat() {
    }
}
