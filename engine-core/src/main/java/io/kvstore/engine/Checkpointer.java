package io.kvstore.engine;

import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.NioFileSystem;
import io.kvstore.engine.io.ReadableFile;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.memtable.Memtable;
import io.kvstore.engine.version.FileMetadata;
import io.kvstore.engine.version.FileNames;
import io.kvstore.engine.version.ManifestSnapshot;
import io.kvstore.engine.version.Version;
import io.kvstore.engine.wal.BatchRecord;
import io.kvstore.engine.wal.LogFormat;
import io.kvstore.engine.wal.LogWriter;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a consistent point-in-time copy of an open store into another directory while writes go on.
 *
 * <pre>
 * Consistency:
 *   One pinned read (the same a scan uses) fixes a version of the table files and a sequence S:
 *   every write up to S is in that version's tables or in its memtables, no later one is in its
 *   tables. The pin keeps the tables on disk while they are linked or copied.
 * Layout of the checkpoint:
 *   NNNNNN.sst   the version's tables under their own numbers: hard links when the target is on
 *                the same file system (tables are never changed after they are written), copies otherwise
 *   L.log        a fresh WAL holding each memtable entry with sequence ≤ S as a one-op batch
 *                under its own sequence number (puts with expiry keep their absolute expiry)
 *   MANIFEST-M   one snapshot record: the levels, log number L, last sequence S
 *   CURRENT      names MANIFEST-M
 *   with L = highest table number + 1, M = L + 1 and the next file number M + 1, so the store
 *   opened on the checkpoint never writes over a (possibly shared) table.
 * </pre>
 * Opening the checkpoint replays L.log like any unflushed WAL.
 */
final class Checkpointer {

    private final KvStore store;
    private final FileSystem fs;

    Checkpointer(KvStore store) {
        this.store = store;
        this.fs = store.options().fileSystem();
    }

    Checkpoint write(Path target) throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        if (dir.equals(store.directory())) {
            throw new IllegalArgumentException("checkpoint target " + dir + " is the store's own directory");
        }
        if (fs.exists(dir) && !fs.list(dir).isEmpty()) {
            throw new IllegalArgumentException("checkpoint target " + dir + " is not empty");
        }
        fs.createDirectories(dir);
        try {
            return writeInto(dir);
        } catch (IOException | RuntimeException e) {
            // The target was empty: leave it so, not half a checkpoint that might be mistaken for one.
            try {
                for (String name : fs.list(dir)) {
                    fs.delete(dir.resolve(name));
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private Checkpoint writeInto(Path dir) throws IOException {
        try (KvStore.PinnedRead read = store.pin(null)) {
            long sequence = read.sequence();
            Version version = read.view().version();
            List<List<FileMetadata>> levels = new ArrayList<>(Version.NUM_LEVELS);
            long highest = 1;
            int tables = 0;
            int linked = 0;
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                List<FileMetadata> files = version.files(level);
                levels.add(files);
                for (FileMetadata f : files) {
                    tables++;
                    highest = Math.max(highest, f.number());
                    if (linkOrCopy(FileNames.table(store.directory(), f.number()), FileNames.table(dir, f.number()))) {
                        linked++;
                    }
                }
            }
            long logNumber = highest + 1;
            long records = writeLog(FileNames.log(dir, logNumber), read, sequence);
            ManifestSnapshot.write(fs, dir, levels, logNumber, sequence, logNumber + 1, logNumber + 2);
            return new Checkpoint(dir, sequence, tables, linked, records);
        }
    }

    /** Hard-links {@code source} as {@code target}, or copies it; returns whether it linked. */
    private boolean linkOrCopy(Path source, Path target) throws IOException {
        if (fs instanceof NioFileSystem) {
            try {
                Files.createLink(target, source);
                return true;
            } catch (UnsupportedOperationException | FileSystemException e) {
                // another file system, or links not supported: copy below
            }
        }
        try (ReadableFile in = fs.openForRead(source); WritableFile out = fs.create(target)) {
            byte[] buffer = new byte[1 << 16];
            long size = in.size();
            for (long position = 0; position < size; ) {
                int n = (int) Math.min(buffer.length, size - position);
                in.readFully(position, buffer, 0, n);
                out.append(buffer, 0, n);
                position += n;
            }
            out.sync();
        }
        return false;
    }

    /** Writes every memtable entry of the pinned view with a sequence up to {@code sequence}. */
    private long writeLog(Path path, KvStore.PinnedRead read, long sequence) throws IOException {
        long records = 0;
        try (LogWriter log = new LogWriter(fs.create(path), LogFormat.WAL_MAGIC)) {
            records += copyEntries(read.view().imm(), log, sequence);
            records += copyEntries(read.view().mem(), log, sequence);
            log.sync();
        }
        return records;
    }

    private static long copyEntries(Memtable mem, LogWriter log, long sequence) throws IOException {
        if (mem == null) {
            return 0;
        }
        long records = 0;
        byte[] record = new byte[256];
        try (InternalIterator it = mem.iterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long trailer = it.trailer();
                long seq = InternalKey.sequence(trailer);
                if (seq > sequence) {
                    continue;
                }
                byte[] key = java.util.Arrays.copyOfRange(it.keyArray(), it.keyOffset(),
                        it.keyOffset() + it.keyLength());
                byte type = InternalKey.type(trailer);
                int size;
                if (type == InternalKey.TYPE_DELETE) {
                    size = BatchRecord.HEADER_SIZE + BatchRecord.deleteSize(key.length);
                } else {
                    size = BatchRecord.HEADER_SIZE + BatchRecord.putSize(key.length, it.valueLength());
                }
                if (record.length < size) {
                    record = new byte[Math.max(size, record.length * 2)];
                }
                BatchRecord.setSequence(record, seq);
                BatchRecord.setCount(record, 1);
                if (type == InternalKey.TYPE_DELETE) {
                    BatchRecord.writeDelete(record, BatchRecord.HEADER_SIZE, key);
                } else {
                    byte[] value = java.util.Arrays.copyOfRange(it.valueArray(), it.valueOffset(),
                            it.valueOffset() + it.valueLength());
                    // A put with expiry keeps its 8-byte expiry in front of the value, as in the WAL.
                    BatchRecord.writePut(record, BatchRecord.HEADER_SIZE, key, value);
                    record[BatchRecord.HEADER_SIZE] = type;
                }
                log.addRecord(record, 0, size);
                records++;
            }
        }
        return records;
    }
}
