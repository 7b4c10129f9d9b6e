package io.kvstore.engine.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import java.util.stream.Stream;

/** The real file system, through {@link FileChannel}: positional reads, appends, {@code force}. */
public final class NioFileSystem implements FileSystem {

    public static final NioFileSystem INSTANCE = new NioFileSystem();

    private NioFileSystem() {
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new ChannelWritableFile(channel);
    }

    @Override
    public ReadableFile openForRead(Path file) throws IOException {
        return new ChannelReadableFile(FileChannel.open(file, StandardOpenOption.READ));
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
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return; // Windows cannot open directories; NTFS journals metadata itself.
            }
            throw e;
        }
    }

    @Override
    public AutoCloseable lock(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new FileLockedException(lockFile);
        }
        FileLock held = lock;
        return () -> {
            try (channel) {
                held.release();
            }
        };
    }

    private static final class ChannelWritableFile implements WritableFile {
        private final FileChannel channel;
        private long size;

        ChannelWritableFile(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        @Override
        public void append(byte[] src, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(src, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            size += len;
        }

        @Override
        public void sync() throws IOException {
            channel.force(false);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class ChannelReadableFile implements ReadableFile {
        private final FileChannel channel;

        ChannelReadableFile(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void readFully(long position, byte[] dst, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(dst, off, len);
            long pos = position;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, pos);
                if (n < 0) {
                    throw new EOFException("end of file at offset " + pos + " while reading " + len
                            + " bytes at offset " + position);
                }
                pos += n;
            }
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

}
