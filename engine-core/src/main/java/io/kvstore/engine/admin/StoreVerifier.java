package io.kvstore.engine.admin;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.VerifyReport;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.sstable.TableCache;
import io.kvstore.engine.version.FileMetadata;
import io.kvstore.engine.version.FileNames;
import io.kvstore.engine.wal.LogFormat;
import io.kvstore.engine.wal.LogReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a store's files the way {@code fsck} checks a file system, reading everything and
 * trusting nothing it has cached:
 * <ul>
 *   <li>the manifest against the directory: every live table exists with the recorded size;</li>
 *   <li>every block of every live table: checksum, decompression, structure, key order, and that
 *       the index agrees with the blocks;</li>
 *   <li>key order across the files of each level below L0: sorted and never overlapping;</li>
 *   <li>every record checksum of the write-ahead logs not yet flushed (a torn tail of the log
 *       being written is not a problem: it is the write in progress).</li>
 * </ul>
 * Problems are collected, not thrown, so one report names them all.
 */
public final class StoreVerifier {

    private final FileSystem fs;
    private final Path dir;
    private final Path manifest;
    private final List<VerifyReport.Problem> problems = new ArrayList<>();

    /**
     * @param manifest the live manifest, named in problems about the manifest's own records
     */
    public StoreVerifier(FileSystem fs, Path dir, Path manifest) {
        this.fs = fs;
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Verifies the tables of {@code levels} (L0 first) through {@code tables}, and the WALs
     * numbered {@code oldestLog} and above, the newest of which ({@code activeLog}) may be mid-write.
     */
    public VerifyReport verify(List<List<FileMetadata>> levels, TableCache tables, long oldestLog, long activeLog)
            throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        for (String name : fs.list(dir)) {
            if (FileNames.parse(name) != null) {
                try {
                    sizes.put(name, fs.size(dir.resolve(name)));
                } catch (java.nio.file.NoSuchFileException deletedMeanwhile) {
                    // A WAL a finished flush made obsolete, or a table no pinned version lists.
                }
            }
        }
        int tablesChecked = 0;
        for (int level = 0; level < levels.size(); level++) {
            for (FileMetadata f : levels.get(level)) {
                if (checkTable(level, f, sizes, tables)) {
                    tablesChecked++;
                }
            }
            if (level > 0) {
                checkLevelOrder(level, levels.get(level));
            }
        }
        long records = 0;
        for (String name : sizes.keySet()) {
            FileNames.Parsed parsed = FileNames.parse(name);
            if (parsed.kind() == FileNames.Kind.LOG && parsed.number() >= oldestLog) {
                records += checkLog(dir.resolve(name), parsed.number() == activeLog);
            }
        }
        return new VerifyReport(problems, tablesChecked, records);
    }

    private boolean checkTable(int level, FileMetadata f, Map<String, Long> sizes, TableCache tables) {
        Path path = FileNames.table(dir, f.number());
        Long size = sizes.get(path.getFileName().toString());
        if (size == null) {
            problems.add(new VerifyReport.Problem(path, -1, "listed at level " + level
                    + " in the manifest but missing on disk"));
            return false;
        }
        if (size != f.size()) {
            problems.add(new VerifyReport.Problem(path, Math.min(size, f.size()), "file is " + size
                    + " bytes but the manifest recorded " + f.size()));
            return false;
        }
        try {
            tables.verify(f.number(), f.size());
            return true;
        } catch (CorruptionException e) {
            problems.add(new VerifyReport.Problem(e.file(), e.offset(), e.getMessage()));
        } catch (UncheckedIOException e) {
            problems.add(new VerifyReport.Problem(path, -1, "cannot be read: " + e.getCause()));
        }
        return false;
    }

    private void checkLevelOrder(int level, List<FileMetadata> files) {
        for (int i = 1; i < files.size(); i++) {
            FileMetadata previous = files.get(i - 1);
            FileMetadata next = files.get(i);
            if (Arrays.compareUnsigned(previous.largestUserKey(), next.smallestUserKey()) >= 0) {
                problems.add(new VerifyReport.Problem(manifest, -1, String.format(
                        "level %d: %06d.sst and %06d.sst overlap or are out of order", level, previous.number(),
                        next.number())));
            }
        }
    }

    private long checkLog(Path path, boolean active) throws IOException {
        long records = 0;
        try (LogReader reader = new LogReader(fs.openForRead(path), path, LogFormat.WAL_MAGIC)) {
            while ((active ? reader.nextUpToTornTail(true) : reader.next()) != null) {
                records++;
            }
        } catch (CorruptionException e) {
            problems.add(new VerifyReport.Problem(e.file(), e.offset(), e.getMessage()));
        } catch (java.nio.file.NoSuchFileException flushedMeanwhile) {
            // A flush finished since the listing and deleted the WAL: its records are in a table.
        }
        return records;
    }
}
