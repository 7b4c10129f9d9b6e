package io.kvstore.engine.version;

import io.kvstore.engine.io.Coding;
import java.util.ArrayList;
import java.util.List;

/**
 * One change to the live set of files, as recorded in the manifest. Replaying every edit of the
 * manifest in order rebuilds the current {@link Version}.
 *
 * <pre>
 * edit  := field*
 * field := tag:varint32 payload
 *   1 LOG_NUMBER     number:varint64      WAL files numbered below it are flushed and obsolete
 *   2 NEXT_FILE      number:varint64      the next unused file number
 *   3 LAST_SEQUENCE  sequence:varint64    the last sequence number in tables or logs
 *   4 DELETED_FILE   level:varint32 number:varint64
 *   5 NEW_FILE       level:varint32 number:varint64 size:varint64
 *                    smallestLen:varint32 smallest largestLen:varint32 largest
 *                    smallestSequence:varint64 largestSequence:varint64
 * </pre>
 *
 * Tags are never reused; a tag this build does not know fails recovery (a newer writer's edit).
 */
public final class VersionEdit {

    static final int TAG_LOG_NUMBER = 1;
    static final int TAG_NEXT_FILE = 2;
    static final int TAG_LAST_SEQUENCE = 3;
    static final int TAG_DELETED_FILE = 4;
    static final int TAG_NEW_FILE = 5;

    /** A file added at a level. */
    public record NewFile(int level, FileMetadata file) {
    }

    /** A file removed from a level. */
    public record DeletedFile(int level, long number) {
    }

    long logNumber = -1;
    long nextFileNumber = -1;
    long lastSequence = -1;
    final List<NewFile> newFiles = new ArrayList<>();
    final List<DeletedFile> deletedFiles = new ArrayList<>();

    public VersionEdit setLogNumber(long logNumber) {
        this.logNumber = logNumber;
        return this;
    }

    public VersionEdit addFile(int level, FileMetadata file) {
        newFiles.add(new NewFile(level, file));
        return this;
    }

    public VersionEdit deleteFile(int level, long number) {
        deletedFiles.add(new DeletedFile(level, number));
        return this;
    }

    public List<NewFile> newFiles() {
        return newFiles;
    }

    public List<DeletedFile> deletedFiles() {
        return deletedFiles;
    }

    byte[] encode() {
        int size = 64;
        for (NewFile f : newFiles) {
            size += 60 + f.file().smallest().length + f.file().largest().length;
        }
        size += deletedFiles.size() * 20;
        byte[] out = new byte[size];
        int p = 0;
        if (logNumber >= 0) {
            p = Coding.putVarint32(out, p, TAG_LOG_NUMBER);
            p = Coding.putVarint64(out, p, logNumber);
        }
        if (nextFileNumber >= 0) {
            p = Coding.putVarint32(out, p, TAG_NEXT_FILE);
            p = Coding.putVarint64(out, p, nextFileNumber);
        }
        if (lastSequence >= 0) {
            p = Coding.putVarint32(out, p, TAG_LAST_SEQUENCE);
            p = Coding.putVarint64(out, p, lastSequence);
        }
        for (DeletedFile d : deletedFiles) {
            p = Coding.putVarint32(out, p, TAG_DELETED_FILE);
            p = Coding.putVarint32(out, p, d.level());
            p = Coding.putVarint64(out, p, d.number());
        }
        for (NewFile n : newFiles) {
            FileMetadata f = n.file();
            p = Coding.putVarint32(out, p, TAG_NEW_FILE);
            p = Coding.putVarint32(out, p, n.level());
            p = Coding.putVarint64(out, p, f.number());
            p = Coding.putVarint64(out, p, f.size());
            p = putBytes(out, p, f.smallest());
            p = putBytes(out, p, f.largest());
            p = Coding.putVarint64(out, p, f.smallestSequence());
            p = Coding.putVarint64(out, p, f.largestSequence());
        }
        return java.util.Arrays.copyOf(out, p);
    }

    private static int putBytes(byte[] out, int p, byte[] bytes) {
        p = Coding.putVarint32(out, p, bytes.length);
        System.arraycopy(bytes, 0, out, p, bytes.length);
        return p + bytes.length;
    }

    /**
     * Decodes an edit.
     *
     * @throws IllegalArgumentException naming the problem (the caller adds file and offset)
     */
    static VersionEdit decode(byte[] in) {
        VersionEdit edit = new VersionEdit();
        int[] pos = {0};
        try {
            while (pos[0] < in.length) {
                int tag = Coding.getVarint32(in, pos, in.length);
                switch (tag) {
                    case TAG_LOG_NUMBER -> edit.logNumber = Coding.getVarint64(in, pos, in.length);
                    case TAG_NEXT_FILE -> edit.nextFileNumber = Coding.getVarint64(in, pos, in.length);
                    case TAG_LAST_SEQUENCE -> edit.lastSequence = Coding.getVarint64(in, pos, in.length);
                    case TAG_DELETED_FILE -> edit.deletedFiles.add(new DeletedFile(
                            level(Coding.getVarint32(in, pos, in.length)), Coding.getVarint64(in, pos, in.length)));
                    case TAG_NEW_FILE -> {
                        int level = level(Coding.getVarint32(in, pos, in.length));
                        long number = Coding.getVarint64(in, pos, in.length);
                        long size = Coding.getVarint64(in, pos, in.length);
                        byte[] smallest = getBytes(in, pos);
                        byte[] largest = getBytes(in, pos);
                        long smallestSequence = Coding.getVarint64(in, pos, in.length);
                        long largestSequence = Coding.getVarint64(in, pos, in.length);
                        edit.newFiles.add(new NewFile(level, new FileMetadata(number, size, smallest, largest,
                                smallestSequence, largestSequence)));
                    }
                    default -> throw new IllegalArgumentException("unknown version edit tag " + tag
                            + " (written by a newer KvStore?)");
                }
            }
        } catch (IllegalStateException | ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed version edit: " + e.getMessage(), e);
        }
        return edit;
    }

    private static int level(int level) {
        if (level < 0 || level >= Version.NUM_LEVELS) {
            throw new IllegalArgumentException("level " + level + " out of range");
        }
        return level;
    }

    private static byte[] getBytes(byte[] in, int[] pos) {
        int len = Coding.getVarint32(in, pos, in.length);
        if (pos[0] + len > in.length) {
            throw new IllegalArgumentException("key runs past the end of the edit");
        }
        byte[] out = java.util.Arrays.copyOfRange(in, pos[0], pos[0] + len);
        pos[0] += len;
        return out;
    }
}
