package io.kvstore.engine.sstable;

import io.kvstore.engine.io.FileSystem;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Open table files by number, opened on first use (so opening a store reads no table) and closed
 * when the file leaves the live set. The next issue bounds the number of open handles.
 */
public final class TableCache implements Closeable {

    private final FileSystem fs;
    private final LongFunction<Path> pathOf;
    private final ReadCounters counters;
    private final ConcurrentHashMap<Long, TableReader> open = new ConcurrentHashMap<>();

    public TableCache(FileSystem fs, LongFunction<Path> pathOf, ReadCounters counters) {
        this.fs = fs;
        this.pathOf = pathOf;
        this.counters = counters;
    }

    /** The reader of table {@code number}, whose manifest size is {@code size}. */
    public TableReader get(long number, long size) {
        TableReader reader = open.get(number);
        if (reader != null) {
            return reader;
        }
        return open.computeIfAbsent(number, n -> {
            try {
                return TableReader.open(fs, pathOf.apply(n), size, counters);
            } catch (IOException e) {
                throw new UncheckedIOException("opening table " + pathOf.apply(n), e);
            }
        });
    }

    /** Closes table {@code number} if open; called once no version references it. */
    public void evict(long number) {
        TableReader reader = open.remove(number);
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // a read handle: nothing was written that a failed close could lose
            }
        }
    }

    @Override
    public void close() {
        for (Long number : open.keySet()) {
            evict(number);
        }
    }
}
