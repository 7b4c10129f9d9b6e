package io.kvstore.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam through which the engine reads and writes every byte it keeps on disk.
 *
 * <p>Production code uses {@link NioFileSystem}. Tests substitute {@link FaultInjectingFileSystem}
 * to simulate power cuts, failed writes or fsyncs and flipped bytes, the way LevelDB's {@code Env}
 * makes its fault-injection tests possible.
 *
 * <p>Durability contract the engine relies on (and the fault-injecting implementation models):
 * bytes appended to a file survive a power cut only once {@link WritableFile#sync()} returned;
 * a newly created, deleted or renamed name survives only once {@link #syncDirectory(Path)} of
 * its parent returned.
 */
public interface FileSystem {

    /** Creates (or truncates) {@code file} and opens it for appending. */
    WritableFile create(Path file) throws IOException;

    /** Opens an existing file for positional reads. */
    ReadableFile openForRead(Path file) throws IOException;

    boolean exists(Path path);

    /** Size in bytes of an existing file. */
    long size(Path file) throws IOException;

    /** The names (not paths) of the entries of {@code dir}, in no particular order. */
    List<String> list(Path dir) throws IOException;

    /** Deletes {@code file} if it exists. */
    void delete(Path file) throws IOException;

    /** Atomically renames {@code source} to {@code target}, replacing {@code target} if it exists. */
    void rename(Path source, Path target) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /** Makes the creations, deletions and renames of entries in {@code dir} durable. */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile} (creating it), held until the returned handle is
     * closed. Fails with {@link FileLockedException} at once if another holder, in this process or
     * another, has it.
     */
    AutoCloseable lock(Path lockFile) throws IOException;
}
