package io.kvstore.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the device under the data directory can do, measured in the same run as the stores. */
final class Ceilings {

    private Ceilings() {
    }

    /** Appends 4 KiB and forces it (fdatasync), for about {@code seconds}; returns syncs per second. */
    static double fsyncRate(Path directory, double seconds) throws IOException {
        Path file = directory.resolve("fsync-probe");
        ByteBuffer block = ByteBuffer.allocateDirect(4096);
        long count = 0;
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (System.nanoTime() < deadline) {
                block.clear();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
                ch.force(false);
                count++;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /** Writes {@code bytes} in 1 MiB appends and forces once at the end; returns MiB per second. */
    static double sequentialWriteMiBps(Path directory, long bytes) throws IOException {
        Path file = directory.resolve("bandwidth-probe");
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < chunk.capacity(); i++) {
            chunk.put(i, (byte) (i * 31 + 7));
        }
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < bytes; written += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
            ch.force(true);
        } finally {
            Files.deleteIfExists(file);
        }
        return (bytes / (double) (1 << 20)) / ((System.nanoTime() - start) / 1e9);
    }
}
