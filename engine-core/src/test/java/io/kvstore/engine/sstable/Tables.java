package io.kvstore.engine.sstable;

import io.kvstore.engine.Compression;
import io.kvstore.engine.io.Checksums;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.NioFileSystem;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.memtable.InternalKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/** Writes test tables and edits their bytes on disk. */
final class Tables {

    private Tables() {
    }

    static byte[] key(int i) {
        return String.format("key%07d", i).getBytes(StandardCharsets.UTF_8);
    }

    /** Random bytes: no codec shrinks them. */
    static byte[] randomValue(Random random, int length) {
        byte[] v = new byte[length];
        random.nextBytes(v);
        return v;
    }

    /** Text with much repetition: every codec shrinks it. */
    static byte[] compressibleValue(int i) {
        return ("{\"id\":" + i + ",\"city\":\"Amsterdam\",\"tags\":[\"a\",\"b\",\"c\"],\"note\":\"same text again\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Keys {@code first..first+count) with random or compressible values, ordered as a table stores them. */
    static NavigableMap<byte[], byte[]> entries(int first, int count, boolean compressible, long seed) {
        Random random = new Random(seed);
        NavigableMap<byte[], byte[]> entries = new TreeMap<>(java.util.Arrays::compareUnsigned);
        for (int i = first; i < first + count; i++) {
            entries.put(key(i), compressible ? compressibleValue(i) : randomValue(random, 200));
        }
        return entries;
    }

    /** Writes {@code entries} as puts at sequence 1; returns the file size. */
    static long write(Path path, Map<byte[], byte[]> entries, Compression compression, int blockSize)
            throws IOException {
        try (WritableFile file = NioFileSystem.INSTANCE.create(path)) {
            TableBuilder builder = new TableBuilder(file, blockSize, 10, compression);
            long trailer = InternalKey.trailer(1, InternalKey.TYPE_PUT);
            for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
                builder.add(e.getKey(), 0, e.getKey().length, trailer, e.getValue(), 0, e.getValue().length);
            }
            long size = builder.finish();
            file.sync();
            return size;
        }
    }

    static byte[] read(Path path, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new IOException("end of " + path);
                }
            }
            return buf.array();
        }
    }

    static void overwrite(Path path, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
        }
    }

    static void flipByte(Path path, long offset) throws IOException {
        byte[] b = read(path, offset, 1);
        b[0] ^= 0x5A;
        overwrite(path, offset, b);
    }

    /** The compression byte of the block stored at {@code offset} with {@code size} bytes of contents. */
    static byte compressionType(Path path, long offset, int size) throws IOException {
        return read(path, offset + size, 1)[0];
    }

    /** Replaces the stored contents of a block of the same stored size, with a matching checksum. */
    static void rewriteBlock(Path path, long offset, byte[] contents) throws IOException {
        byte type = compressionType(path, offset, contents.length);
        byte[] crc = new byte[4];
        Coding.putInt(crc, 0, Checksums.mask(Checksums.crc32c(contents, 0, contents.length, type)));
        overwrite(path, offset, contents);
        overwrite(path, offset + contents.length + 1, crc);
    }
}
