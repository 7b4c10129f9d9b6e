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
        super(describe(file, offset, problem));
        this.file = file;
        this.offset = offset;
    }

    public CorruptionException(Path file, long offset, String problem, Throwable cause) {
        super(describe(file, offset, problem), cause);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** A negative offset: the damage is of the file as a whole (a missing part, a wrong length). */
    private static String describe(Path file, long offset, String problem) {
        return "corruption in " + file + (offset >= 0 ? " at offset " + offset : "") + ": " + problem;
    }

    /**
     * Byte offset in {@link #file()} of the damaged record, block or footer; negative when the
     * damage has no one place.
     */
    public long offset() {
        return offset;
    }
}
