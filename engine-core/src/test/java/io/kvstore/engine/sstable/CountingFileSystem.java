package io.kvstore.engine.sstable;

import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.NioFileSystem;
import io.kvstore.engine.io.ReadableFile;
import io.kvstore.engine.io.WritableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The real file system, counting the files open for reading now, at most so far, and per path. */
final class CountingFileSystem implements FileSystem {

    private final FileSystem delegate = NioFileSystem.INSTANCE;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger opens = new AtomicInteger();
    private final Map<Path, AtomicInteger> openByPath = new ConcurrentHashMap<>();

    int openNow() {
        return open.get();
    }

    int maxOpen() {
        return maxOpen.get();
    }

    /** Times a file was opened for reading. */
    int opens() {
        return opens.get();
    }

    boolean isOpen(Path path) {
        AtomicInteger n = openByPath.get(path);
        return n != null && n.get() > 0;
    }

    @Override
    public ReadableFile openForRead(Path file) throws IOException {
        ReadableFile inner = delegate.openForRead(file);
        opens.incrementAndGet();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        openByPath.computeIfAbsent(file, p -> new AtomicInteger()).incrementAndGet();
        AtomicBoolean closed = new AtomicBoolean();
        return new ReadableFile() {
            @Override
            public void readFully(long position, byte[] dst, int off, int len) throws IOException {
                if (closed.get()) {
                    throw new IOException(file + " read after close");
                }
                inner.readFully(position, dst, off, len);
            }

            @Override
            public long size() throws IOException {
                return inner.size();
            }

            @Override
            public void close() throws IOException {
                if (closed.compareAndSet(false, true)) {
                    open.decrementAndGet();
                    openByPath.get(file).decrementAndGet();
                    inner.close();
                }
            }
        };
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        return delegate.create(file);
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return delegate.size(file);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return delegate.list(dir);
    }

    @Override
    public void delete(Path file) throws IOException {
        delegate.delete(file);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        delegate.rename(source, target);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        delegate.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        delegate.syncDirectory(dir);
    }

    @Override
    public AutoCloseable lock(Path lockFile) throws IOException {
        return delegate.lock(lockFile);
    }
}
