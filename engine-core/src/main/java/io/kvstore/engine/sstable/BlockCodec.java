package io.kvstore.engine.sstable;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.kvstore.engine.Compression;
import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.io.Coding;
import java.nio.file.Path;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Block compression: the codes of {@link TableFormat} mapped to LZ4 and Zstandard.
 *
 * <pre>
 * compressed contents := uncompressedLength:varint32 codecBytes
 * </pre>
 *
 * The LZ4 objects are stateless and thread-safe. Decompression uses LZ4's safe decompressor, which
 * never reads or writes outside the given ranges whatever the input, because a block whose
 * checksum matches can still have been written wrong.
 */
final class BlockCodec {

    private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    /**
     * Zstandard's default level (ZSTD_CLEVEL_DEFAULT). A constant, not {@code Zstd.defaultCompressionLevel()},
     * so that the native library loads only when a ZSTD block is written or read.
     */
    private static final int ZSTD_LEVEL = 3;
    /**
     * One native Zstandard context per thread: creating one per block dominated ZSTD's cost. A
     * context is single-threaded state; a thread's is freed when the thread and its context are collected.
     */
    private static final ThreadLocal<ZstdCompressCtx> ZSTD_COMPRESSOR =
            ThreadLocal.withInitial(() -> new ZstdCompressCtx().setLevel(ZSTD_LEVEL));
    private static final ThreadLocal<ZstdDecompressCtx> ZSTD_DECOMPRESSOR = ThreadLocal.withInitial(ZstdDecompressCtx::new);
    /** An LZ4 sequence's length bytes add at most 255 output bytes each: no input expands further. */
    private static final int LZ4_MAX_RATIO = 256;

    private BlockCodec() {
    }

    /** The trailer code of {@code compression}. */
    static byte code(Compression compression) {
        return switch (compression) {
            case NONE -> TableFormat.COMPRESSION_NONE;
            case LZ4 -> TableFormat.COMPRESSION_LZ4;
            case ZSTD -> TableFormat.COMPRESSION_ZSTD;
        };
    }

    /** Size of the buffer {@link #compress} needs for {@code len} bytes. */
    static int maxCompressedLength(byte code, int len) {
        int body = code == TableFormat.COMPRESSION_LZ4 ? LZ4_COMPRESSOR.maxCompressedLength(len)
                : (int) Math.min(Integer.MAX_VALUE - 16, Zstd.compressBound(len));
        return Coding.varintLength(len) + body;
    }

    /**
     * Compresses {@code src[0..len)} into {@code dst} (at least {@link #maxCompressedLength} long) as
     * compressed contents; returns their length, or -1 if they would not be at most 7/8 of
     * {@code len}, in which case the block is stored raw.
     *
     * <p>Requires: {@code code} is {@link TableFormat#COMPRESSION_LZ4} or {@link TableFormat#COMPRESSION_ZSTD}.
     */
    static int compress(byte code, byte[] src, int len, byte[] dst) {
        int header = Coding.putVarint32(dst, 0, len);
        int body;
        if (code == TableFormat.COMPRESSION_LZ4) {
            body = LZ4_COMPRESSOR.compress(src, 0, len, dst, header, dst.length - header);
        } else {
            try {
                body = ZSTD_COMPRESSOR.get().compressByteArray(dst, header, dst.length - header, src, 0, len);
            } catch (ZstdException e) {
                throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
            }
        }
        int stored = header + body;
        return stored <= len - len / 8 ? stored : -1;
    }

    /**
     * The block stored as {@code stored[0..storedLen)} with compression {@code code}, decompressed
     * into an array of exactly its length.
     *
     * @throws CorruptionException naming {@code file} and the block's {@code offset} if the code is
     *         unknown, the codec fails or the result's length differs from the recorded one
     */
    static byte[] decompress(Path file, long offset, byte code, byte[] stored, int storedLen) {
        if (code != TableFormat.COMPRESSION_LZ4 && code != TableFormat.COMPRESSION_ZSTD) {
            throw new CorruptionException(file, offset, "unknown block compression type " + code);
        }
        int[] pos = new int[1];
        int expected;
        try {
            expected = Coding.getVarint32(stored, pos, storedLen);
        } catch (IllegalStateException e) {
            throw new CorruptionException(file, offset, "bad uncompressed length: " + e.getMessage());
        }
        int srcOff = pos[0];
        int srcLen = storedLen - srcOff;
        // Check the recorded length against what the codec can produce before allocating it.
        long possible = code == TableFormat.COMPRESSION_LZ4 ? (long) srcLen * LZ4_MAX_RATIO
                : Zstd.getFrameContentSize(stored, srcOff, srcLen);
        if (expected < 0 || (code == TableFormat.COMPRESSION_LZ4 ? expected > possible : expected != possible)) {
            throw new CorruptionException(file, offset, "recorded uncompressed length "
                    + Integer.toUnsignedString(expected) + " does not fit the " + srcLen + " compressed bytes");
        }
        byte[] out = new byte[expected];
        int actual;
        if (code == TableFormat.COMPRESSION_LZ4) {
            try {
                actual = LZ4_DECOMPRESSOR.decompress(stored, srcOff, srcLen, out, 0, expected);
            } catch (LZ4Exception e) {
                throw new CorruptionException(file, offset, "LZ4 block does not decompress: " + e.getMessage(), e);
            }
        } else {
            try {
                actual = ZSTD_DECOMPRESSOR.get().decompressByteArray(out, 0, expected, stored, srcOff, srcLen);
            } catch (ZstdException e) {
                throw new CorruptionException(file, offset, "Zstandard block does not decompress: " + e.getMessage(),
                        e);
            }
        }
        if (actual != expected) {
            throw new CorruptionException(file, offset, "block decompressed to " + actual + " bytes but records "
                    + expected);
        }
        return out;
    }
}
