package io.kvstore.engine.compaction;

import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.version.FileMetadata;
import io.kvstore.engine.version.Version;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Leveled compaction, as in LevelDB and RocksDB.
 *
 * <pre>
 * Scores:
 *   L0: files / level0FileTrigger. Ln (n ≥ 1): bytes / (maxBytesForLevelBase · 10^(n−1)).
 *   The level with the highest score ≥ 1 is compacted; the last level has no target.
 * L0 → L1:
 *   All L0 files (their ranges overlap, and an older L0 file must never stay above a newer one
 *   that moved down) plus every L1 file overlapping their combined range. One L0 compaction at a time.
 * Ln → Ln+1:
 *   One Ln file, chosen round-robin after the last one compacted at that level, plus every Ln+1
 *   file overlapping it. With no overlap the file moves down by a manifest edit alone.
 * Invariant:
 *   Outputs cover only the inputs' range and every Ln+1 file in that range is an input, so levels
 *   below L0 never hold overlapping files.
 * </pre>
 */
final class LeveledCompactionPicker implements CompactionPicker {

    static final int LEVEL_MULTIPLIER = 10;

    private final KvStoreOptions options;
    /** Per level, the largest user key of the last file compacted there: where the next pick starts. */
    private final byte[][] compactPointer = new byte[Version.NUM_LEVELS][];

    LeveledCompactionPicker(KvStoreOptions options) {
        this.options = options;
    }

    long maxBytesForLevel(int level) {
        long bytes = options.maxBytesForLevelBase();
        for (int i = 1; i < level; i++) {
            bytes = bytes > Long.MAX_VALUE / LEVEL_MULTIPLIER ? Long.MAX_VALUE : bytes * LEVEL_MULTIPLIER;
        }
        return bytes;
    }

    private double score(Version v, int level) {
        if (level == 0) {
            return (double) v.fileCount(0) / options.level0FileTrigger();
        }
        return (double) v.levelBytes(level) / maxBytesForLevel(level);
    }

    @Override
    public synchronized Compaction pick(Version v, Set<Long> busy) {
        Integer[] levels = new Integer[Version.NUM_LEVELS - 1];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = i;
        }
        Arrays.sort(levels, (a, b) -> Double.compare(score(v, b), score(v, a)));
        for (int level : levels) {
            if (score(v, level) < 1) {
                return null;
            }
            Compaction c = level == 0 ? pickLevel0(v, busy) : pickLevel(v, level, busy);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private Compaction pickLevel0(Version v, Set<Long> busy) {
        List<FileMetadata> l0 = v.files(0);
        if (l0.isEmpty() || anyBusy(l0, busy)) {
            return null;
        }
        return level0Compaction(v, l0, busy);
    }

    private Compaction level0Compaction(Version v, List<FileMetadata> l0, Set<Long> busy) {
        byte[][] range = range(l0);
        List<FileMetadata> l1 = overlapping(v.files(1), range[0], range[1]);
        if (busy != null && anyBusy(l1, busy)) {
            return null;
        }
        List<Compaction.Input> inputs = new ArrayList<>();
        l0.forEach(f -> inputs.add(new Compaction.Input(0, f)));
        l1.forEach(f -> inputs.add(new Compaction.Input(1, f)));
        return new Compaction(inputs, 1, olderFiles(v, 2, inputs));
    }

    private Compaction pickLevel(Version v, int level, Set<Long> busy) {
        List<FileMetadata> files = v.files(level);
        int start = 0;
        if (compactPointer[level] != null) {
            while (start < files.size()
                    && FileMetadata.compareUser(files.get(start).smallest(), compactPointer[level]) <= 0) {
                start++;
            }
        }
        for (int i = 0; i < files.size(); i++) {
            FileMetadata f = files.get((start + i) % files.size());
            if (busy.contains(f.number())) {
                continue;
            }
            Compaction c = levelCompaction(v, level, List.of(f));
            if (c != null && !anyBusy(c.inputFiles(), busy)) {
                compactPointer[level] = f.largestUserKey();
                return c;
            }
        }
        return null;
    }

    private Compaction levelCompaction(Version v, int level, List<FileMetadata> files) {
        byte[][] range = range(files);
        List<FileMetadata> next = overlapping(v.files(level + 1), range[0], range[1]);
        List<Compaction.Input> inputs = new ArrayList<>();
        files.forEach(f -> inputs.add(new Compaction.Input(level, f)));
        next.forEach(f -> inputs.add(new Compaction.Input(level + 1, f)));
        return new Compaction(inputs, level + 1, olderFiles(v, level + 2, inputs));
    }

    @Override
    public synchronized Compaction pickRange(Version v, int level, byte[] from, byte[] to) {
        if (level >= Version.NUM_LEVELS - 1) {
            return null;
        }
        if (level == 0) {
            List<FileMetadata> l0 = v.files(0);
            return overlapping(l0, from, to).isEmpty() ? null : level0Compaction(v, l0, null);
        }
        List<FileMetadata> files = overlapping(v.files(level), from, to);
        return files.isEmpty() ? null : levelCompaction(v, level, files);
    }

    @Override
    public synchronized Compaction pickInPlace(Version v, int level, byte[] from, byte[] to, Set<Long> exclude) {
        if (level == 0) {
            return null; // L0 files are rewritten by merging them into L1
        }
        List<FileMetadata> files = new ArrayList<>();
        for (FileMetadata f : overlapping(v.files(level), from, to)) {
            if (!exclude.contains(f.number())) {
                files.add(f);
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        // Every file of the level overlapping the rewritten range must be an input, or outputs
        // could overlap it: widen to the inputs' full range.
        byte[][] range = range(files);
        List<Compaction.Input> inputs = new ArrayList<>();
        overlapping(v.files(level), range[0], range[1]).forEach(f -> inputs.add(new Compaction.Input(level, f)));
        return new Compaction(inputs, level, olderFiles(v, level + 1, inputs));
    }

    @Override
    public long pendingBytes(Version v) {
        long pending = v.fileCount(0) >= options.level0FileTrigger() ? v.levelBytes(0) : 0;
        for (int level = 1; level < Version.NUM_LEVELS - 1; level++) {
            pending += Math.max(0, v.levelBytes(level) - maxBytesForLevel(level));
        }
        return pending;
    }

    /** Files at {@code fromLevel} and deeper overlapping the inputs' range: where older data may be. */
    private static List<FileMetadata> olderFiles(Version v, int fromLevel, List<Compaction.Input> inputs) {
        List<FileMetadata> files = new ArrayList<>();
        inputs.forEach(i -> files.add(i.file()));
        byte[][] range = range(files);
        List<FileMetadata> older = new ArrayList<>();
        for (int level = fromLevel; level < Version.NUM_LEVELS; level++) {
            older.addAll(overlapping(v.files(level), range[0], range[1]));
        }
        return older;
    }

    static List<FileMetadata> overlapping(List<FileMetadata> files, byte[] from, byte[] to) {
        List<FileMetadata> out = new ArrayList<>();
        for (FileMetadata f : files) {
            if (f.overlaps(from, to)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Smallest and largest user key of {@code files}. */
    static byte[][] range(List<FileMetadata> files) {
        byte[] smallest = null;
        byte[] largest = null;
        for (FileMetadata f : files) {
            byte[] s = f.smallestUserKey();
            byte[] l = f.largestUserKey();
            if (smallest == null || Arrays.compareUnsigned(s, smallest) < 0) {
                smallest = s;
            }
            if (largest == null || Arrays.compareUnsigned(l, largest) > 0) {
                largest = l;
            }
        }
        return new byte[][] {smallest, largest};
    }

    private static boolean anyBusy(List<FileMetadata> files, Set<Long> busy) {
        for (FileMetadata f : files) {
            if (busy.contains(f.number())) {
                return true;
            }
        }
        return false;
    }
}
