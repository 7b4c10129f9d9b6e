package io.kvstore.engine.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory {@link FileSystem} for crash-safety tests: it can cut the power, fail chosen
 * operations and flip bytes, and it remembers exactly which bytes and which names a real disk
 * would be obliged to keep. No byte touches the real disk.
 *
 * <h2>The model: page cache versus platter</h2>
 *
 * A POSIX file system keeps two copies of the world. What a process sees (the <em>live</em> state:
 * the page cache and the in-memory directory entries) runs ahead of what is on stable storage (the
 * <em>durable</em> state). Only two calls move the durable state forward, and this class models
 * exactly those two:
 *
 * <ul>
 *   <li><b>File contents</b> belong to an <em>inode</em>, not to a name. Every inode has live
 *       content (everything appended) and durable content (the live content as of its last
 *       {@link WritableFile#sync()}; empty if it was never synced). Appending changes only the live
 *       content.</li>
 *   <li><b>Names</b> belong to a directory. Every directory has a live namespace (name &rarr; inode)
 *       and a durable namespace (the live namespace as of the last {@link #syncDirectory(Path)} of
 *       that directory). {@link #create}, {@link #delete} and {@link #rename} change only the live
 *       namespace. A rename across directories is durable only once <em>both</em> directories were
 *       synced; syncing just one of them may, after a cut, leave the file under both names or
 *       under neither, as on a real disk.</li>
 * </ul>
 *
 * The two are independent, which is the point: syncing a file does not make its name durable
 * (a freshly created WAL that was synced but whose directory was not is gone after a cut), and
 * syncing the directory does not make the content durable (the name survives, pointing at an
 * empty file). A durable file therefore needs both, in either order.
 *
 * <h2>Power cut</h2>
 *
 * {@link #powerCut()} throws the live state away: every directory's live namespace becomes its
 * durable namespace and every inode's content becomes its durable content. After that, everything
 * that survived is by definition durable. All locks are released (the process holding them died)
 * and every handle opened before the cut fails on any use with an {@link IOException} saying it
 * predates a power cut, so a test notices if the old store instance keeps running. Closing such a
 * handle is a silent no-op (it must not, for instance, release a lock taken after the cut). The
 * instance stays usable: a test reopens the store on the same file system, like a machine that
 * boots again.
 *
 * <p>{@link #powerCut(Random)} models a torn write: the disk had started writing what it was given
 * when the power went. Each file keeps its durable content plus a random-length prefix (anything
 * from none to all) of the bytes appended after its last sync. Pass a seeded {@link Random} to get
 * a reproducible cut; files are visited in path order so the same seed gives the same result.
 *
 * <p>Directory creation is treated as durable at once ({@link #createDirectories}), and so is the
 * deletion of an empty directory; the engine creates its directory once and never depends on the
 * ordering of that against anything else. Every root directory always exists.
 *
 * <h2>Re-creating an existing file</h2>
 *
 * {@link #create} of an existing name truncates that inode in place, as {@code O_TRUNC} does. The
 * truncation is part of the file's content, so it too is durable only at the next sync: a cut
 * before that brings the <em>old</em> durable content back (an outcome a real disk may well
 * produce, and the nasty one for an engine that reuses names). A torn cut picks at random between
 * the old durable content and a prefix of the new content.
 *
 * <h2>Failures</h2>
 *
 * {@link #failNth} and {@link #failAlways} make operations of one {@link Operation} kind throw
 * {@code IOException("injected failure: <op> #<k> on <path>")}, where {@code k} counts the
 * operations of that kind since construction (the same numbering as {@link #count}). A failed
 * operation has no effect at all: a failed append appends nothing, a failed sync makes nothing
 * durable, a failed rename renames nothing. Every attempt is counted, failed or not, so a test can
 * run a workload once, read {@link #count}, and then replay it failing at each of 1..count.
 * Operations on closed or stale handles are rejected before they are counted.
 *
 * <h2>Everything else</h2>
 *
 * {@link #flipByte} corrupts a byte in both the live and the durable content (bit rot on the
 * platter that the page cache also sees). A {@link ReadableFile} holds its inode, so it keeps
 * reading the same file after a rename or a delete of its name, and it sees appends made after it
 * was opened. Locks are per instance and per path: a second {@link #lock} of the same path fails
 * with {@link FileLockedException} until the first handle is closed or the power is cut. All
 * methods are thread-safe; they synchronize on this instance, which is fine for tests.
 */
public final class FaultInjectingFileSystem implements FileSystem {

    /** The kinds of operation whose failure can be injected and whose attempts are counted. */
    public enum Operation {
        /** {@link FileSystem#create}. */
        CREATE,
        /** {@link WritableFile#append}. */
        APPEND,
        /** {@link WritableFile#sync}. */
        SYNC,
        /** {@link FileSystem#syncDirectory}. */
        SYNC_DIRECTORY,
        /** {@link FileSystem#rename}. */
        RENAME,
        /** {@link FileSystem#delete}. */
        DELETE
    }

    /** Directories by normalized absolute path; ordered so torn power cuts are reproducible. */
    private final Map<Path, Directory> directories = new TreeMap<>();
    /** Held locks by normalized absolute path. */
    private final Map<Path, LockHandle> locks = new TreeMap<>();

    private final long[] counts = new long[Operation.values().length];
    private final Map<Operation, Set<Long>> failAt = new TreeMap<>();
    private final Set<Operation> failAlways = EnumSet.noneOf(Operation.class);

    /** Incremented by every power cut; a handle opened in an earlier epoch is stale. */
    private long epoch;

    public FaultInjectingFileSystem() {
    }

    // ---------------------------------------------------------------- test controls

    /** Cuts the power: only durable names and durable content survive. See the class comment. */
    public synchronized void powerCut() {
        cut(null);
    }

    /**
     * Cuts the power mid-write: each file keeps its durable content plus a random-length prefix of
     * the bytes appended since its last sync.
     */
    public synchronized void powerCut(Random random) {
        cut(Objects.requireNonNull(random, "random"));
    }

    /**
     * Makes the {@code n}-th operation of kind {@code op} from now (1-based) fail. Calls accumulate:
     * {@code failNth(SYNC, 1); failNth(SYNC, 3)} fails the next sync and the one two after it.
     */
    public synchronized void failNth(Operation op, int n) {
        Objects.requireNonNull(op, "op");
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1 but was " + n);
        }
        failAt.computeIfAbsent(op, k -> new TreeSet<>()).add(counts[op.ordinal()] + n);
    }

    /** Makes every later operation of kind {@code op} fail, until {@link #clearFaults()}. */
    public synchronized void failAlways(Operation op) {
        failAlways.add(Objects.requireNonNull(op, "op"));
    }

    /** Forgets every pending {@link #failNth} and {@link #failAlways}. Counts are kept. */
    public synchronized void clearFaults() {
        failAt.clear();
        failAlways.clear();
    }

    /** How many operations of kind {@code op} were attempted (including failed ones) since construction. */
    public synchronized long count(Operation op) {
        return counts[Objects.requireNonNull(op, "op").ordinal()];
    }

    /**
     * XORs the byte at {@code offset} of {@code file} with 0xFF, in its live and its durable content.
     *
     * @throws IllegalArgumentException if the file does not exist or {@code offset} is outside it
     */
    public synchronized void flipByte(Path file, long offset) {
        Path path = normalize(file);
        Inode inode = liveInode(path);
        if (inode == null) {
            throw new IllegalArgumentException("cannot flip a byte of " + path + ": no such file");
        }
        if (offset < 0 || offset >= inode.size) {
            throw new IllegalArgumentException("cannot flip byte at offset " + offset + " of " + path
                    + ": offset out of range for its size of " + inode.size + " bytes");
        }
        int at = (int) offset;
        inode.data[at] ^= (byte) 0xFF; // also the durable content, if the durable prefix covers it
        if (inode.durableSnapshot != null && at < inode.durableSnapshot.length) {
            inode.durableSnapshot[at] ^= (byte) 0xFF;
        }
    }

    /**
     * The live size of {@code file}; a test convenience without checked exceptions.
     *
     * @throws IllegalArgumentException if the file does not exist
     */
    public synchronized long fileSize(Path file) {
        Path path = normalize(file);
        Inode inode = liveInode(path);
        if (inode == null) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        return inode.size;
    }

    // ---------------------------------------------------------------- FileSystem

    @Override
    public synchronized WritableFile create(Path file) throws IOException {
        Path path = normalize(file);
        attempt(Operation.CREATE, path.toString());
        Directory dir = parentDirectory(path);
        if (directories.containsKey(path)) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        String name = name(path);
        Inode inode = dir.live.get(name);
        if (inode == null) {
            inode = new Inode();
            dir.live.put(name, inode);
        } else {
            inode.truncate();
        }
        return new MemoryWritableFile(path, inode, epoch);
    }

    @Override
    public synchronized ReadableFile openForRead(Path file) throws IOException {
        Path path = normalize(file);
        return new MemoryReadableFile(path, existingFile(path), epoch);
    }

    @Override
    public synchronized boolean exists(Path path) {
        Path p = normalize(path);
        return directory(p) != null || liveInode(p) != null;
    }

    @Override
    public synchronized long size(Path file) throws IOException {
        return existingFile(normalize(file)).size;
    }

    @Override
    public synchronized List<String> list(Path dir) throws IOException {
        Path path = normalize(dir);
        Directory directory = directory(path);
        if (directory == null) {
            if (liveInode(path) != null) {
                throw new NotDirectoryException(path.toString());
            }
            throw new NoSuchFileException(path.toString());
        }
        List<String> names = new ArrayList<>(directory.live.keySet());
        for (Path child : directories.keySet()) {
            if (path.equals(child.getParent())) {
                names.add(name(child));
            }
        }
        return names;
    }

    @Override
    public synchronized void delete(Path file) throws IOException {
        Path path = normalize(file);
        attempt(Operation.DELETE, path.toString());
        Directory directory = directories.get(path);
        if (directory != null) {
            if (!list(path).isEmpty()) {
                throw new DirectoryNotEmptyException(path.toString());
            }
            if (path.getParent() != null) {
                directories.remove(path); // durable at once, like createDirectories
            }
            return;
        }
        Path parent = path.getParent();
        Directory dir = parent == null ? null : directories.get(parent);
        if (dir != null) {
            dir.live.remove(name(path)); // open handles keep the inode
        }
    }

    @Override
    public synchronized void rename(Path source, Path target) throws IOException {
        Path from = normalize(source);
        Path to = normalize(target);
        attempt(Operation.RENAME, from + " -> " + to);
        Inode inode = existingFile(from);
        Directory toDir = parentDirectory(to);
        if (directories.containsKey(to)) {
            throw new FileSystemException(from.toString(), to.toString(), "target is a directory");
        }
        if (from.equals(to)) {
            return;
        }
        directories.get(from.getParent()).live.remove(name(from));
        toDir.live.put(name(to), inode);
    }

    @Override
    public synchronized void createDirectories(Path dir) throws IOException {
        Path path = normalize(dir);
        List<Path> missing = new ArrayList<>();
        for (Path p = path; p != null && directory(p) == null; p = p.getParent()) {
            if (liveInode(p) != null) {
                throw new FileAlreadyExistsException(p.toString(), null, "exists and is not a directory");
            }
            missing.add(p);
        }
        for (Path p : missing) {
            directories.put(p, new Directory());
        }
    }

    @Override
    public synchronized void syncDirectory(Path dir) throws IOException {
        Path path = normalize(dir);
        attempt(Operation.SYNC_DIRECTORY, path.toString());
        Directory directory = directory(path);
        if (directory == null) {
            throw new NoSuchFileException(path.toString());
        }
        directory.durable.clear();
        directory.durable.putAll(directory.live);
    }

    @Override
    public synchronized AutoCloseable lock(Path lockFile) throws IOException {
        Path path = normalize(lockFile);
        if (directories.containsKey(path)) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        Directory dir = parentDirectory(path);
        if (locks.containsKey(path)) {
            throw new FileLockedException(path);
        }
        dir.live.computeIfAbsent(name(path), n -> new Inode());
        LockHandle handle = new LockHandle(path, epoch);
        locks.put(path, handle);
        return handle;
    }

    // ---------------------------------------------------------------- internals

    private void cut(Random random) {
        Set<Inode> survivors = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Directory dir : directories.values()) {
            dir.live.clear();
            dir.live.putAll(dir.durable);
            for (Inode inode : dir.durable.values()) {
                if (survivors.add(inode)) {
                    inode.revertToDurable(random);
                }
            }
        }
        locks.clear();
        epoch++;
    }

    /** Counts an attempt of {@code op} and throws if a fault is armed for it; before any effect. */
    private void attempt(Operation op, String target) throws IOException {
        long k = ++counts[op.ordinal()];
        Set<Long> armed = failAt.get(op);
        boolean fail = failAlways.contains(op);
        if (armed != null && armed.remove(k)) {
            fail = true;
        }
        if (fail) {
            throw new IOException("injected failure: " + op + " #" + k + " on " + target);
        }
    }

    private static Path normalize(Path path) {
        return Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    /** The directory at {@code path}, or null; roots always exist. */
    private Directory directory(Path path) {
        Directory dir = directories.get(path);
        if (dir == null && path.getParent() == null) {
            dir = new Directory();
            directories.put(path, dir);
        }
        return dir;
    }

    /** The directory a new entry at {@code path} goes into; NoSuchFileException if missing. */
    private Directory parentDirectory(Path path) throws IOException {
        Path parent = path.getParent();
        if (parent == null) {
            throw new FileSystemException(path.toString(), null, "is a root directory");
        }
        Directory dir = directory(parent);
        if (dir == null) {
            throw new NoSuchFileException(path.toString(), null, "parent directory " + parent + " does not exist");
        }
        return dir;
    }

    /** The inode named {@code path} in the live namespace, or null. */
    private Inode liveInode(Path path) {
        Path parent = path.getParent();
        if (parent == null) {
            return null;
        }
        Directory dir = directories.get(parent);
        return dir == null ? null : dir.live.get(name(path));
    }

    private Inode existingFile(Path path) throws IOException {
        Inode inode = liveInode(path);
        if (inode == null) {
            if (directories.containsKey(path)) {
                throw new FileSystemException(path.toString(), null, "is a directory");
            }
            throw new NoSuchFileException(path.toString());
        }
        return inode;
    }

    private static IOException stale(Path path) {
        return new IOException("handle on " + path + " predates a power cut; it cannot be used any more");
    }

    private static final class Directory {
        final TreeMap<String, Inode> live = new TreeMap<>();
        final TreeMap<String, Inode> durable = new TreeMap<>();
    }

    /**
     * A file's content. While the file was not truncated since its last sync, the durable content
     * is the prefix {@code data[0..durableSize)} of the live content (files are append-only), so a
     * sync is O(1). A truncation keeps a copy of the old durable content in {@code durableSnapshot}.
     */
    private static final class Inode {
        byte[] data = new byte[64];
        int size;
        int durableSize;
        /** The durable content if the file was truncated since its last sync, else null. */
        byte[] durableSnapshot;

        void append(byte[] src, int off, int len) throws IOException {
            long newSize = (long) size + len;
            if (newSize > Integer.MAX_VALUE - 16) {
                throw new IOException("in-memory file would exceed 2 GiB");
            }
            if (newSize > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(newSize, 2L * data.length)));
            }
            System.arraycopy(src, off, data, size, len);
            size = (int) newSize;
        }

        void sync() {
            durableSize = size;
            durableSnapshot = null;
        }

        void truncate() {
            if (durableSnapshot == null) {
                durableSnapshot = Arrays.copyOf(data, durableSize);
            }
            size = 0;
            durableSize = 0;
        }

        void revertToDurable(Random random) {
            if (durableSnapshot == null) {
                int unsynced = size - durableSize;
                size = durableSize + (random == null ? 0 : random.nextInt(unsynced + 1));
            } else if (random != null && random.nextBoolean()) {
                size = random.nextInt(size + 1); // the truncation reached the disk, and part of what followed
            } else {
                data = durableSnapshot.length == 0 ? new byte[64] : durableSnapshot;
                size = durableSnapshot.length;
            }
            sync(); // what is on the platter now is all there is
        }
    }

    private abstract class Handle implements java.io.Closeable {
        final Path path;
        final long openedInEpoch;
        boolean closed;

        Handle(Path path, long openedInEpoch) {
            this.path = path;
            this.openedInEpoch = openedInEpoch;
        }

        /** Caller holds the file system's monitor. */
        void checkUsable() throws IOException {
            if (openedInEpoch != epoch) {
                throw stale(path);
            }
            if (closed) {
                throw new IOException(path + " is closed");
            }
        }

        @Override
        public void close() {
            synchronized (FaultInjectingFileSystem.this) {
                closed = true;
            }
        }
    }

    private final class MemoryWritableFile extends Handle implements WritableFile {
        private final Inode inode;

        MemoryWritableFile(Path path, Inode inode, long openedInEpoch) {
            super(path, openedInEpoch);
            this.inode = inode;
        }

        @Override
        public void append(byte[] src, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, src.length);
            synchronized (FaultInjectingFileSystem.this) {
                checkUsable();
                attempt(Operation.APPEND, path.toString());
                inode.append(src, off, len);
            }
        }

        @Override
        public void sync() throws IOException {
            synchronized (FaultInjectingFileSystem.this) {
                checkUsable();
                attempt(Operation.SYNC, path.toString());
                inode.sync();
            }
        }

        @Override
        public long size() {
            synchronized (FaultInjectingFileSystem.this) {
                if (openedInEpoch != epoch) {
                    throw new UncheckedIOException(stale(path));
                }
                return inode.size;
            }
        }
    }

    private final class MemoryReadableFile extends Handle implements ReadableFile {
        private final Inode inode;

        MemoryReadableFile(Path path, Inode inode, long openedInEpoch) {
            super(path, openedInEpoch);
            this.inode = inode;
        }

        @Override
        public void readFully(long position, byte[] dst, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, dst.length);
            synchronized (FaultInjectingFileSystem.this) {
                checkUsable();
                if (position < 0) {
                    throw new IllegalArgumentException("negative position " + position + " reading " + path);
                }
                if (position > inode.size - len) {
                    throw new EOFException("end of file " + path + " at offset " + inode.size + " while reading "
                            + len + " bytes at offset " + position);
                }
                System.arraycopy(inode.data, (int) position, dst, off, len);
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (FaultInjectingFileSystem.this) {
                checkUsable();
                return inode.size;
            }
        }
    }

    private final class LockHandle implements AutoCloseable {
        private final Path path;
        private final long openedInEpoch;

        LockHandle(Path path, long openedInEpoch) {
            this.path = path;
            this.openedInEpoch = openedInEpoch;
        }

        /** Releases the lock; a no-op if already released or if the power was cut since. */
        @Override
        public void close() {
            synchronized (FaultInjectingFileSystem.this) {
                if (openedInEpoch == epoch && locks.get(path) == this) {
                    locks.remove(path);
                }
            }
        }
    }
}
