package io.kvstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes this process has caused to be written to storage, from {@code /proc/self/io}
 * ({@code write_bytes}, counted when pages are dirtied, background threads included).
 * -1 where the platform does not provide it.
 */
final class ProcessIo {

    private static final Path PROC_IO = Path.of("/proc/self/io");

    private ProcessIo() {
    }

    static long writeBytes() {
        try {
            for (String line : Files.readAllLines(PROC_IO)) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
