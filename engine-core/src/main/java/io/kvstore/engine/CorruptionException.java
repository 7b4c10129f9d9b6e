package io.kvstore.engine;

import java.nio.file.Path;

/**
 * Stored data failed a check (checksum, magic number, structure). Names the file and the byte
 * offset where the damage was found; the engine never returns damaged data instead.
 */
public class CorruptionException extends KvStoreException {

    private final Path file;
    private final long offset;

    public CorruptionException(Path file, long offset, String problem) {
        super("corruption in " + file + " at offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public CorruptionException(Path file, long offset, String problem, Throwable cause) {
        super("corruption in " + file + " at offset " + offset + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset in {@link #file()} of the damaged record, block or footer. */
    public long offset() {
        return offset;
    }
}
