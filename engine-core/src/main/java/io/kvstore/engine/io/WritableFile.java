package io.kvstore.engine.io;

import java.io.Closeable;
import java.io.IOException;

/** A file open for appending. Not thread-safe for concurrent appends; {@link #sync()} may run concurrently. */
public interface WritableFile extends Closeable {

    /** Appends {@code len} bytes of {@code src} starting at {@code off}, all or an exception. */
    void append(byte[] src, int off, int len) throws IOException;

    default void append(byte[] src) throws IOException {
        append(src, 0, src.length);
    }

    /** Forces everything appended so far to stable storage. */
    void sync() throws IOException;

    /** Bytes appended so far (the file's length). */
    long size();
}
