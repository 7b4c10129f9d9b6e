package io.kvstore.engine.io;

import java.io.Closeable;
import java.io.IOException;

/** A file open for positional reads; safe for concurrent readers. */
public interface ReadableFile extends Closeable {

    /**
     * Reads exactly {@code len} bytes at {@code position} into {@code dst[off..off+len)}.
     *
     * @throws java.io.EOFException if the file ends before {@code len} bytes were read
     */
    void readFully(long position, byte[] dst, int off, int len) throws IOException;

    long size() throws IOException;
}
