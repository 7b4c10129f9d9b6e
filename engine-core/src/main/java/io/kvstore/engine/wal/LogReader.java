package io.kvstore.engine.wal;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.UnsupportedFormatException;
import io.kvstore.engine.io.Checksums;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.ReadableFile;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the records of a {@link LogFormat} file in order, one block in memory at a time.
 *
 * <p>Damage handling: {@link #next()} throws {@link CorruptionException} with the offset of the
 * first bad fragment or record. Recovery reads with {@link #nextUpToTornTail(boolean)}, which
 * ends the log quietly at a torn tail (an interrupted write) and reports any other damage:
 * skipping it would skip acknowledged records. Any intact fragment at a later block start counts
 * as data after the damage: a block begins with a fragment of whatever record was being written
 * when the previous block filled.
 */
public final class LogReader implements Closeable {

    private final ReadableFile file;
    private final Path path;
    private final long fileSize;
    private final byte[] block = new byte[LogFormat.BLOCK_SIZE];
    private long blockStart = -LogFormat.BLOCK_SIZE;
    private int blockLength;
    private int pos = LogFormat.BLOCK_SIZE;
    /** Offset just past the last complete record returned. */
    private long validEnd;
    private CorruptionException tornTail;
    /** Where the last damage was found, for probing what follows it; whether the file's end caused it. */
    private long damageProbeFrom;
    private boolean damageIsTruncation;

    /**
     * Opens {@code path} and checks its header record.
     *
     * @throws CorruptionException if the header names another file kind or a newer format; a
     *         missing or torn header reads as an empty log (the writer died while creating it)
     */
    public LogReader(ReadableFile file, Path path, long expectedMagic) throws IOException {
        this.file = file;
        this.path = path;
        this.fileSize = file.size();
        byte[] header;
        header = nextUpToTornTail(true);
        if (tornTail != null) {
            exhaust();
        }
        if (header == null) {
            return;
        }
        if (header.length != LogFormat.FILE_HEADER_SIZE || Coding.getLong(header, 0) != expectedMagic) {
            throw new CorruptionException(path, 0, "bad log header: not a "
                    + (expectedMagic == LogFormat.WAL_MAGIC ? "write-ahead log" : "manifest") + " of this store");
        }
        int version = Coding.getInt(header, 8);
        if (version > LogFormat.FORMAT_VERSION || version < 1) {
            throw new UnsupportedFormatException(path, 0, version, LogFormat.FORMAT_VERSION);
        }
    }

    /** The next record, or {@code null} at the end of the log. */
    public byte[] next() throws IOException {
        ByteArrayOutputStream assembling = null;
        long recordStart = -1;
        while (true) {
            if (LogFormat.BLOCK_SIZE - pos < LogFormat.HEADER_SIZE || pos >= blockLength) {
                if (!readNextBlock()) {
                    if (assembling != null) {
                        throw damage(recordStart, "log ends inside a record", fileSize, true);
                    }
                    return null;
                }
                continue;
            }
            long fragmentStart = blockStart + pos;
            boolean lastBlock = blockLength < LogFormat.BLOCK_SIZE;
            if (pos + LogFormat.HEADER_SIZE > blockLength) {
                throw damage(fragmentStart, "truncated fragment header", fileSize, lastBlock);
            }
            int crc = Checksums.unmask(Coding.getInt(block, pos));
            int length = ((block[pos + 4] & 0xFF) << 8) | (block[pos + 5] & 0xFF);
            byte type = block[pos + 6];
            int payload = pos + LogFormat.HEADER_SIZE;
            if (payload + length > blockLength) {
                boolean cutByEndOfFile = lastBlock && payload + length <= LogFormat.BLOCK_SIZE;
                throw damage(fragmentStart, "fragment of " + length + " bytes runs past the end of its "
                        + (cutByEndOfFile ? "file" : "block"), cutByEndOfFile ? fileSize : fragmentStart, cutByEndOfFile);
            }
            if (Checksums.crc32c(type, block, payload, length) != crc) {
                throw damage(fragmentStart, "checksum mismatch in log fragment", fragmentStart, false);
            }
            pos = payload + length;
            switch (type) {
                case LogFormat.FULL -> {
                    if (assembling != null) {
                        throw damage(fragmentStart, "FULL fragment inside a split record", fragmentStart, false);
                    }
                    validEnd = blockStart + pos;
                    byte[] record = new byte[length];
                    System.arraycopy(block, payload, record, 0, length);
                    return record;
                }
                case LogFormat.FIRST -> {
                    if (assembling != null) {
                        throw damage(fragmentStart, "FIRST fragment inside a split record", fragmentStart, false);
                    }
                    assembling = new ByteArrayOutputStream(Math.max(length * 2, 64));
                    recordStart = fragmentStart;
                    assembling.write(block, payload, length);
                }
                case LogFormat.MIDDLE, LogFormat.LAST -> {
                    if (assembling == null) {
                        throw damage(fragmentStart, "continuation fragment without a start", fragmentStart, false);
                    }
                    assembling.write(block, payload, length);
                    if (type == LogFormat.LAST) {
                        validEnd = blockStart + pos;
                        return assembling.toByteArray();
                    }
                }
                default -> throw damage(fragmentStart, "unknown fragment type " + type, fragmentStart, false);
            }
        }
    }

    /**
     * The next record, or {@code null} at the end of the log or at a torn tail (see
     * {@link #tornTail()}): how recovery reads the newest WAL and the manifest.
     *
     * <p>Damage is a torn tail when it is the end of the file cutting a record short, or, if
     * {@code checksumDamageMayBeTorn}, any damage after which no intact fragment starts at a later
     * block boundary (a disk may persist garbage for an interrupted, unsynced write). The manifest
     * passes {@code false}: each of its records is synced before the store acts on it, so a
     * complete record with a bad checksum is corruption, not an interrupted write.
     *
     * @throws CorruptionException for damage that is not a torn tail
     */
    public byte[] nextUpToTornTail(boolean checksumDamageMayBeTorn) throws IOException {
        if (tornTail != null) {
            return null;
        }
        try {
            return next();
        } catch (CorruptionException e) {
            if (damageIsTruncation || (checksumDamageMayBeTorn && !intactFragmentAfter(damageProbeFrom))) {
                tornTail = e;
                return null;
            }
            throw e;
        }
    }

    /** The damage that ended {@link #nextUpToTornTail} early, or {@code null} if the log ended cleanly. */
    public CorruptionException tornTail() {
        return tornTail;
    }

    private CorruptionException damage(long offset, String problem, long probeFrom, boolean truncation) {
        damageProbeFrom = probeFrom;
        damageIsTruncation = truncation;
        return new CorruptionException(path, offset, problem);
    }

    /** Whether an intact fragment starts at a block boundary after the block holding {@code offset}. */
    private boolean intactFragmentAfter(long offset) throws IOException {
        long start = (offset / LogFormat.BLOCK_SIZE + 1) * LogFormat.BLOCK_SIZE;
        byte[] probe = new byte[LogFormat.BLOCK_SIZE];
        for (long b = start; b + LogFormat.HEADER_SIZE <= fileSize; b += LogFormat.BLOCK_SIZE) {
            int len = (int) Math.min(LogFormat.BLOCK_SIZE, fileSize - b);
            file.readFully(b, probe, 0, len);
            int length = ((probe[4] & 0xFF) << 8) | (probe[5] & 0xFF);
            byte type = probe[6];
            if (type >= LogFormat.FULL && type <= LogFormat.LAST && LogFormat.HEADER_SIZE + length <= len
                    && Checksums.crc32c(type, probe, LogFormat.HEADER_SIZE, length)
                            == Checksums.unmask(Coding.getInt(probe, 0))) {
                return true;
            }
        }
        return false;
    }

    /** Offset just past the last complete record read: where a torn log is cut. */
    public long validEnd() {
        return validEnd;
    }

    public Path path() {
        return path;
    }

    private void exhaust() {
        blockStart = fileSize;
        blockLength = 0;
        pos = LogFormat.BLOCK_SIZE;
    }

    private boolean readNextBlock() throws IOException {
        long next = blockStart + LogFormat.BLOCK_SIZE;
        if (next >= fileSize) {
            return false;
        }
        blockStart = next;
        blockLength = (int) Math.min(LogFormat.BLOCK_SIZE, fileSize - next);
        file.readFully(next, block, 0, blockLength);
        pos = 0;
        return true;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
