package io.kvstore.engine.wal;

import io.kvstore.engine.io.Checksums;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.WritableFile;
import java.io.Closeable;
import java.io.IOException;

/**
 * Appends records to a log file in the {@link LogFormat} framing. Each {@link #addRecord} frames
 * the whole record in one reusable buffer and hands it to the file in a single append, so a
 * group commit costs one write call.
 *
 * <p>Requires: callers serialize {@link #addRecord}; {@link #sync()} may run concurrently with it.
 */
public final class LogWriter implements Closeable {

    private final WritableFile file;
    private int blockOffset;
    private byte[] frame = new byte[4096];

    /** Starts a new log in the empty {@code file}, writing its header record. */
    public LogWriter(WritableFile file, long magic) throws IOException {
        if (file.size() != 0) {
            throw new IllegalArgumentException("a new log must start in an empty file");
        }
        this.file = file;
        byte[] header = new byte[LogFormat.FILE_HEADER_SIZE];
        Coding.putLong(header, 0, magic);
        Coding.putInt(header, 8, LogFormat.FORMAT_VERSION);
        addRecord(header, 0, header.length);
    }

    /** Appends one record (written, not yet synced). */
    public void addRecord(byte[] data, int off, int len) throws IOException {
        int framed = framedSize(len);
        if (frame.length < framed) {
            frame = new byte[Math.max(framed, frame.length * 2)];
        }
        int out = 0;
        int left = len;
        boolean begin = true;
        do {
            int leftover = LogFormat.BLOCK_SIZE - blockOffset;
            if (leftover < LogFormat.HEADER_SIZE) {
                for (int i = 0; i < leftover; i++) {
                    frame[out++] = 0; // block trailer
                }
                blockOffset = 0;
                leftover = LogFormat.BLOCK_SIZE;
            }
            int avail = leftover - LogFormat.HEADER_SIZE;
            int fragment = Math.min(left, avail);
            boolean end = fragment == left;
            byte type = begin && end ? LogFormat.FULL
                    : begin ? LogFormat.FIRST : end ? LogFormat.LAST : LogFormat.MIDDLE;
            int crc = Checksums.mask(Checksums.crc32c(type, data, off, fragment));
            Coding.putInt(frame, out, crc);
            frame[out + 4] = (byte) (fragment >>> 8);
            frame[out + 5] = (byte) fragment;
            frame[out + 6] = type;
            System.arraycopy(data, off, frame, out + LogFormat.HEADER_SIZE, fragment);
            out += LogFormat.HEADER_SIZE + fragment;
            blockOffset += LogFormat.HEADER_SIZE + fragment;
            off += fragment;
            left -= fragment;
            begin = false;
        } while (left > 0);
        file.append(frame, 0, out);
    }

    /** Upper bound of the framed size of a record of {@code len} bytes (headers and block trailers). */
    private static int framedSize(int len) {
        int blocks = len / (LogFormat.BLOCK_SIZE - LogFormat.HEADER_SIZE) + 2;
        return len + blocks * (LogFormat.HEADER_SIZE + LogFormat.HEADER_SIZE);
    }

    public void sync() throws IOException {
        file.sync();
    }

    /** Bytes in the file so far. */
    public long size() {
        return file.size();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
