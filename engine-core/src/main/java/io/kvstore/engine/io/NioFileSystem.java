package io.kvstore.engine.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The real file system, through {@link FileChannel}: positional reads, appends, {@code force}.
 *
 * <pre>
 * Interrupts:
 *   A FileChannel closes itself when a thread with its interrupt flag set uses it, which would
 *   turn one cancelled task into failed reads for every thread sharing the table, or a store
 *   gone read-only. So the channels here reopen themselves when found closed by an interrupt
 *   and retry, leaving the caller's interrupt flag set. An append retried this way first cuts
 *   the file back to the length its last complete append left, so no partial write stays in it.
 * Locks:
 *   A process holds at most one lock per file, and closing any channel of a locked file drops
 *   the lock on POSIX systems. The lock files this process holds are therefore tracked here and
 *   a second attempt fails before touching the file.
 * </pre>
 */
public final class NioFileSystem implements FileSystem {

    public static final NioFileSystem INSTANCE = new NioFileSystem();

    /** Real paths of the lock files this JVM holds. */
    private static final Set<Path> HELD_LOCKS = ConcurrentHashMap.newKeySet();
    private static final int MAX_REOPENS = 3;

    private NioFileSystem() {
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new ChannelWritableFile(file, channel);
    }

    @Override
    public ReadableFile openForRead(Path file) throws IOException {
        return new ChannelReadableFile(file, FileChannel.open(file, StandardOpenOption.READ));
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public long size(Path file) throws IOException {
        return Files.size(file);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("file system cannot rename " + source + " to " + target + " atomically", e);
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // Opening a directory for reading and forcing it is how the JDK exposes fsync(dirfd) on Linux and macOS.
        boolean interrupted = false;
        try {
            for (int attempt = 0; ; attempt++) {
                try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                    channel.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted |= Thread.interrupted();
                    if (attempt >= MAX_REOPENS) {
                        throw e;
                    }
                } catch (IOException e) {
                    if (System.getProperty("os.name", "").startsWith("Windows")) {
                        return; // Windows cannot open directories; NTFS journals metadata itself.
                    }
                    throw e;
                }
            }
        } finally {
            restoreInterrupt(interrupted);
        }
    }

    @Override
    public AutoCloseable lock(Path lockFile) throws IOException {
        // Keyed by the directory's real path, and checked before any channel to the file is opened:
        // closing even a fresh channel would drop the lock this JVM already holds on it.
        Path key = lockFile.toAbsolutePath().getParent().toRealPath().resolve(lockFile.getFileName());
        if (!HELD_LOCKS.add(key)) {
            throw new FileLockedException(lockFile);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new FileLockedException(lockFile); // held by another process
            }
            FileChannel held = channel;
            FileLock heldLock = lock;
            return () -> {
                try (held) {
                    heldLock.release();
                } finally {
                    HELD_LOCKS.remove(key);
                }
            };
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD_LOCKS.remove(key);
            throw e;
        }
    }

    private static void restoreInterrupt(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A file channel that reopens itself after an interrupt closed it. */
    private abstract static class ReopeningChannel {
        final Path path;
        volatile FileChannel channel;
        volatile boolean closed;

        ReopeningChannel(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        abstract FileChannel reopen() throws IOException;

        /** An operation on the channel, retried on a reopened one if an interrupt closed it. */
        interface Action<T> {
            T run(FileChannel channel) throws IOException;
        }

        <T> T retrying(Action<T> action) throws IOException {
            boolean interrupted = false;
            try {
                for (int attempt = 0; ; attempt++) {
                    FileChannel c = channel;
                    try {
                        return action.run(c);
                    } catch (ClosedChannelException e) {
                        if (attempt >= MAX_REOPENS) {
                            throw e;
                        }
                        interrupted |= recover(c, e);
                    }
                }
            } finally {
                restoreInterrupt(interrupted);
            }
        }

        /**
         * Called after {@code failed} threw {@code e}: replaces it if an interrupt (of this or
         * another thread) closed it, else rethrows. Returns whether this thread's interrupt flag
         * was cleared to retry.
         */
        synchronized boolean recover(FileChannel failed, ClosedChannelException e) throws IOException {
            boolean interrupted = Thread.interrupted();
            if (closed) {
                restoreInterrupt(interrupted);
                throw e;
            }
            if (channel == failed) {
                channel = reopen();
            }
            return interrupted;
        }

        public void close() throws IOException {
            closed = true;
            channel.close();
        }
    }

    private static final class ChannelWritableFile extends ReopeningChannel implements WritableFile {
        /** Bytes of complete appends: where a retried append starts. */
        private long size;

        ChannelWritableFile(Path path, FileChannel channel) throws IOException {
            super(path, channel);
            this.size = channel.size();
        }

        @Override
        FileChannel reopen() throws IOException {
            FileChannel reopened = FileChannel.open(path, StandardOpenOption.WRITE);
            reopened.truncate(size); // drop what an interrupted append may have written
            reopened.position(size);
            return reopened;
        }

        @Override
        public void append(byte[] src, int off, int len) throws IOException {
            retrying(c -> {
                ByteBuffer buffer = ByteBuffer.wrap(src, off, len);
                while (buffer.hasRemaining()) {
                    c.write(buffer);
                }
                return null;
            });
            size += len;
        }

        @Override
        public void sync() throws IOException {
            retrying(c -> {
                c.force(false);
                return null;
            });
        }

        @Override
        public long size() {
            return size;
        }
    }

    private static final class ChannelReadableFile extends ReopeningChannel implements ReadableFile {

        ChannelReadableFile(Path path, FileChannel channel) {
            super(path, channel);
        }

        @Override
        FileChannel reopen() throws IOException {
            return FileChannel.open(path, StandardOpenOption.READ);
        }

        @Override
        public void readFully(long position, byte[] dst, int off, int len) throws IOException {
            retrying(c -> {
                ByteBuffer buffer = ByteBuffer.wrap(dst, off, len);
                long pos = position;
                while (buffer.hasRemaining()) {
                    int n = c.read(buffer, pos);
                    if (n < 0) {
                        throw new EOFException("end of file at offset " + pos + " while reading " + len
                                + " bytes at offset " + position + " of " + path);
                    }
                    pos += n;
                }
                return null;
            });
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }
    }
}
