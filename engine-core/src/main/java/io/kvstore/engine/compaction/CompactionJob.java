package io.kvstore.engine.compaction;

import io.kvstore.engine.Compression;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.FilterPrefix;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.sstable.TableBuilder;
import io.kvstore.engine.version.FileMetadata;
import io.kvstore.engine.version.FileNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Writes a sorted stream of internal entries into new table files, dropping what no reader can
 * see any more. A memtable flush is a job over one memtable; a compaction is a job over the
 * merged input tables.
 *
 * <pre>
 * Dropping (S = the oldest open snapshot's sequence, or the last sequence if none is open):
 *   A version is dropped when a newer version of the same key has a sequence ≤ S: every reader
 *   sees that newer one instead.
 *   A delete with sequence ≤ S is dropped when no older data for its key can exist outside the
 *   job's inputs ({@code noOlderDataOutside}): there is nothing left for it to hide.
 * Expiry:
 *   An entry with a time-to-live that expired before every reader's time (now, or the earliest
 *   open snapshot's) is a delete for every reader: it is dropped like one, or, where it must
 *   still hide older versions, rewritten as a delete without its value.
 * Output files:
 *   A new file starts once the current one holds {@code targetFileSize} bytes of keys and
 *   values, but only between two user keys, so a key's versions never straddle two files of a
 *   level. Each file is fsynced; the directory is fsynced once at the end.
 * </pre>
 */
public final class CompactionJob {

    /** How outputs are written. */
    public record Settings(FileSystem fs, Path dir, int blockSize, int bloomBitsPerKey, Compression compression,
            FilterPrefix filterPrefix, long targetFileSize) {
    }

    /** What a job read and wrote, for stats. */
    public record Result(List<FileMetadata> outputs, long entriesRead, long entriesDropped, long bytesWritten) {
    }

    private final Settings settings;
    private final long smallestSnapshot;
    private final long expiredForAllAt;
    private final Predicate<byte[]> noOlderDataOutside;
    private final LongSupplier newFileNumber;

    /**
     * @param expiredForAllAt    an entry with a time-to-live expiring at or before this time is
     *                           expired for every reader (now, or the earliest open snapshot's time)
     * @param noOlderDataOutside tells, for a user key, that no file outside the inputs can hold an
     *                           older version of it ({@code k -> false} keeps every delete)
     * @param newFileNumber      allocates an output file number and protects it from deletion
     */
    public CompactionJob(Settings settings, long smallestSnapshot, long expiredForAllAt,
            Predicate<byte[]> noOlderDataOutside, LongSupplier newFileNumber) {
        this.settings = settings;
        this.smallestSnapshot = smallestSnapshot;
        this.expiredForAllAt = expiredForAllAt;
        this.noOlderDataOutside = noOlderDataOutside;
        this.newFileNumber = newFileNumber;
    }

    /** Writes {@code source} (from its first entry on) to new tables; {@code source} stays open. */
    public Result run(InternalIterator source) throws IOException {
        List<FileMetadata> outputs = new ArrayList<>();
        Output out = null;
        byte[] currentKey = null;
        long newerSequence = Long.MAX_VALUE;
        long read = 0;
        long dropped = 0;
        long written = 0;
        try {
            for (source.seekToFirst(); source.isValid(); source.next()) {
                read++;
                byte[] key = source.keyArray();
                int off = source.keyOffset();
                int len = source.keyLength();
                long trailer = source.trailer();
                long sequence = InternalKey.sequence(trailer);
                boolean newKey = currentKey == null || !Arrays.equals(currentKey, 0, currentKey.length, key, off,
                        off + len);
                if (newKey) {
                    currentKey = Arrays.copyOfRange(key, off, off + len);
                    newerSequence = Long.MAX_VALUE;
                    if (out != null && out.bytes >= settings.targetFileSize()) {
                        outputs.add(out.finish());
                        out = null;
                    }
                }
                byte type = InternalKey.type(trailer);
                boolean expired = type == InternalKey.TYPE_PUT_TTL
                        && Coding.getLong(source.valueArray(), source.valueOffset()) <= expiredForAllAt;
                boolean drop;
                if (newerSequence <= smallestSnapshot) {
                    drop = true; // shadowed by a newer version every reader sees
                } else {
                    drop = (type == InternalKey.TYPE_DELETE || expired) && sequence <= smallestSnapshot
                            && noOlderDataOutside.test(currentKey);
                }
                newerSequence = sequence;
                if (drop) {
                    dropped++;
                    continue;
                }
                if (out == null) {
                    out = new Output(newFileNumber.getAsLong());
                }
                if (expired) {
                    // Every reader sees it as deleted already: keep only a delete, to hide older versions.
                    out.add(source, key, off, len, InternalKey.trailer(sequence, InternalKey.TYPE_DELETE), sequence,
                            true);
                } else {
                    out.add(source, key, off, len, trailer, sequence, false);
                }
            }
            if (out != null) {
                outputs.add(out.finish());
                out = null;
            }
        } finally {
            if (out != null) {
                out.abandon();
            }
        }
        if (!outputs.isEmpty()) {
            settings.fs().syncDirectory(settings.dir());
        }
        for (FileMetadata f : outputs) {
            written += f.size();
        }
        return new Result(outputs, read, dropped, written);
    }

    /** One output table being written. */
    private final class Output {
        final long number;
        final WritableFile file;
        final TableBuilder builder;
        long bytes;
        long smallestSequence = Long.MAX_VALUE;
        long largestSequence;

        Output(long number) throws IOException {
            this.number = number;
            this.file = settings.fs().create(FileNames.table(settings.dir(), number));
            this.builder = new TableBuilder(file, settings.blockSize(), settings.bloomBitsPerKey(),
                    settings.compression(), settings.filterPrefix());
        }

        void add(InternalIterator source, byte[] key, int off, int len, long trailer, long sequence,
                boolean withoutValue) throws IOException {
            int valueLen = withoutValue ? 0 : source.valueLength();
            builder.add(key, off, len, trailer, source.valueArray(), source.valueOffset(), valueLen);
            bytes += len + valueLen + InternalKey.TRAILER_SIZE;
            smallestSequence = Math.min(smallestSequence, sequence);
            largestSequence = Math.max(largestSequence, sequence);
        }

        FileMetadata finish() throws IOException {
            long size;
            try (file) {
                size = builder.finish();
                file.sync();
            }
            return new FileMetadata(number, size, builder.smallestKey(), builder.largestKey(), smallestSequence,
                    largestSequence);
        }

        void abandon() {
            try {
                file.close();
            } catch (IOException ignored) {
                // the job already failed with the exception that explains it; the file is an orphan
                // that the next cleanup deletes
            }
        }
    }
}
