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
 * first bad fragment. A caller recovering the newest log asks {@link #isTornTail(long)}: when no
 * intact record starts in any later block, the damage is the torn tail of an interrupted write
 * and the log is used up to that offset; otherwise acknowledged records would be skipped, so the
 * corruption is reported. Any intact fragment at a later block start counts: a block begins with
 * a fragment of whatever record was being written when the previous block filled.
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
        try {
            header = next();
        } catch (CorruptionException e) {
            if (isTornTail(e.offset())) {
                header = null;
                exhaust();
            } else {
                throw e;
            }
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
                        throw new CorruptionException(path, recordStart, "log ends inside a record");
                    }
                    return null;
                }
                continue;
            }
            long fragmentStart = blockStart + pos;
            if (pos + LogFormat.HEADER_SIZE > blockLength) {
                throw new CorruptionException(path, fragmentStart, "truncated fragment header");
            }
            int crc = Checksums.unmask(Coding.getInt(block, pos));
            int length = ((block[pos + 4] & 0xFF) << 8) | (block[pos + 5] & 0xFF);
            byte type = block[pos + 6];
            int payload = pos + LogFormat.HEADER_SIZE;
            if (payload + length > blockLength) {
                throw new CorruptionException(path, fragmentStart, "fragment of " + length
                        + " bytes runs past the end of its block");
            }
            if (Checksums.crc32c(type, block, payload, length) != crc) {
                throw new CorruptionException(path, fragmentStart, "checksum mismatch in log fragment");
            }
            pos = payload + length;
            switch (type) {
                case LogFormat.FULL -> {
                    if (assembling != null) {
                        throw new CorruptionException(path, fragmentStart, "FULL fragment inside a split record");
                    }
                    validEnd = blockStart + pos;
                    byte[] record = new byte[length];
                    System.arraycopy(block, payload, record, 0, length);
                    return record;
                }
                case LogFormat.FIRST -> {
                    if (assembling != null) {
                        throw new CorruptionException(path, fragmentStart, "FIRST fragment inside a split record");
                    }
                    assembling = new ByteArrayOutputStream(Math.max(length * 2, 64));
                    recordStart = fragmentStart;
                    assembling.write(block, payload, length);
                }
                case LogFormat.MIDDLE, LogFormat.LAST -> {
                    if (assembling == null) {
                        throw new CorruptionException(path, fragmentStart, "continuation fragment without a start");
                    }
                    assembling.write(block, payload, length);
                    if (type == LogFormat.LAST) {
                        validEnd = blockStart + pos;
                        return assembling.toByteArray();
                    }
                }
                default -> throw new CorruptionException(path, fragmentStart, "unknown fragment type " + type);
            }
        }
    }

    /**
     * The next record, or {@code null} at the end of the log or at a torn tail (see
     * {@link #tornTail()}): how recovery reads the newest WAL and the manifest.
     *
     * @throws CorruptionException for damage that intact data follows
     */
    public byte[] nextUpToTornTail() throws IOException {
        if (tornTail != null) {
            return null;
        }
        try {
            return next();
        } catch (CorruptionException e) {
            if (isTornTail(e.offset())) {
                tornTail = e;
                return null;
            }
            throw e;
        }
    }

    /** The damage that ended {@link #nextUpToTornTail()} early, or {@code null} if the log ended cleanly. */
    public CorruptionException tornTail() {
        return tornTail;
    }

    /**
     * Whether damage found at {@code damageOffset} is a torn tail: no intact fragment starts at
     * any later block boundary.
     */
    public boolean isTornTail(long damageOffset) throws IOException {
        long start = (damageOffset / LogFormat.BLOCK_SIZE + 1) * LogFormat.BLOCK_SIZE;
        byte[] probe = new byte[LogFormat.BLOCK_SIZE];
        for (long b = start; b + LogFormat.HEADER_SIZE <= fileSize; b += LogFormat.BLOCK_SIZE) {
            int len = (int) Math.min(LogFormat.BLOCK_SIZE, fileSize - b);
            file.readFully(b, probe, 0, len);
            int length = ((probe[4] & 0xFF) << 8) | (probe[5] & 0xFF);
            byte type = probe[6];
            if (type >= LogFormat.FULL && type <= LogFormat.LAST && LogFormat.HEADER_SIZE + length <= len
                    && Checksums.crc32c(type, probe, LogFormat.HEADER_SIZE, length)
                            == Checksums.unmask(Coding.getInt(probe, 0))) {
                return false;
            }
        }
        return true;
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
