package io.kvstore.engine.io;

import java.util.zip.CRC32C;

/**
 * CRC32C (Castagnoli, hardware accelerated by the JDK) over byte ranges, as stored in every WAL
 * record, table block and footer.
 *
 * <p>Stored checksums are masked the way LevelDB masks them: a CRC computed over data that itself
 * embeds CRCs (a WAL record holding a table footer, say) is then not trivially related to them.
 */
public final class Checksums {

    private static final int MASK_DELTA = 0xa282ead8;

    private Checksums() {
    }

    public static int crc32c(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        return (int) crc.getValue();
    }

    /** CRC32C of a one-byte prefix followed by {@code data[off..off+len)}. */
    public static int crc32c(byte prefix, byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(prefix);
        crc.update(data, off, len);
        return (int) crc.getValue();
    }

    /** CRC32C of {@code data[off..off+len)} followed by a one-byte suffix. */
    public static int crc32c(byte[] data, int off, int len, byte suffix) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        crc.update(suffix);
        return (int) crc.getValue();
    }

    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    public static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }
}
