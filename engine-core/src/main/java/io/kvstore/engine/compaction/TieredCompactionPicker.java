package io.kvstore.engine.compaction;

import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.version.FileMetadata;
import io.kvstore.engine.version.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Size-tiered compaction: every file is a sorted run in L0, newest data first; runs of similar
 * size that are adjacent in age are merged into one larger run.
 *
 * <pre>
 * Buckets:
 *   Walking the runs from newest to oldest, a run joins the current bucket while its size is
 *   within [avg/2, avg·3/2] of the bucket's average, or while both are below the memtable size
 *   (fresh flushes count as one tier). A bucket of at least level0FileTrigger runs is merged
 *   (at most 32 runs at a time), smallest-average bucket first.
 * Why adjacent runs only:
 *   Runs are ordered by the sequence numbers they hold. Merging only neighbours keeps every
 *   run's sequence range disjoint from the others', so "first run that has the key wins" stays
 *   true for reads.
 * Deletes:
 *   A delete is dropped only when no older run (after the bucket) may hold its key.
 * </pre>
 */
final class TieredCompactionPicker implements CompactionPicker {

    private static final int MAX_RUNS_PER_MERGE = 32;

    private final KvStoreOptions options;

    TieredCompactionPicker(KvStoreOptions options) {
        this.options = options;
    }

    @Override
    public Compaction pick(Version v, Set<Long> busy) {
        List<FileMetadata> runs = v.files(0);
        List<int[]> buckets = buckets(runs);
        int[] best = null;
        double bestAverage = Double.MAX_VALUE;
        for (int[] bucket : buckets) {
            int length = bucket[1] - bucket[0];
            if (length < options.level0FileTrigger()) {
                continue;
            }
            List<FileMetadata> window = runs.subList(bucket[0], bucket[1]);
            if (window.stream().anyMatch(f -> busy.contains(f.number()))) {
                continue;
            }
            double average = window.stream().mapToLong(FileMetadata::size).average().orElse(0);
            if (average < bestAverage) {
                best = bucket;
                bestAverage = average;
            }
        }
        return best == null ? null : merge(runs, best[0], Math.min(best[1], best[0] + MAX_RUNS_PER_MERGE));
    }

    /** Buckets as {@code [from, to)} index ranges into the newest-first run list. */
    private List<int[]> buckets(List<FileMetadata> runs) {
        List<int[]> buckets = new ArrayList<>();
        int start = 0;
        long total = 0;
        for (int i = 0; i < runs.size(); i++) {
            long size = runs.get(i).size();
            if (i > start) {
                double average = (double) total / (i - start);
                boolean small = size < options.memtableSize() && average < options.memtableSize();
                if (!small && (size < average / 2 || size > average * 3 / 2)) {
                    buckets.add(new int[] {start, i});
                    start = i;
                    total = 0;
                }
            }
            total += size;
        }
        if (start < runs.size()) {
            buckets.add(new int[] {start, runs.size()});
        }
        return buckets;
    }

    private static Compaction merge(List<FileMetadata> runs, int from, int to) {
        List<Compaction.Input> inputs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            inputs.add(new Compaction.Input(0, runs.get(i)));
        }
        return new Compaction(inputs, 0, new ArrayList<>(runs.subList(to, runs.size())));
    }

    /** Merges every run into one (the range only decides whether there is anything to do). */
    @Override
    public Compaction pickRange(Version v, int level, byte[] from, byte[] to) {
        List<FileMetadata> runs = v.files(0);
        if (level != 0 || LeveledCompactionPicker.overlapping(runs, from, to).isEmpty()) {
            return null;
        }
        return merge(runs, 0, runs.size());
    }

    /** Runs merged by {@link #pickRange} are already rewritten; a single remaining run is rewritten alone. */
    @Override
    public Compaction pickInPlace(Version v, int level, byte[] from, byte[] to, Set<Long> exclude) {
        List<FileMetadata> runs = v.files(0);
        if (level != 0 || runs.size() != 1 || exclude.contains(runs.get(0).number())
                || LeveledCompactionPicker.overlapping(runs, from, to).isEmpty()) {
            return null;
        }
        return merge(runs, 0, 1);
    }

    @Override
    public long pendingBytes(Version v) {
        long pending = 0;
        List<FileMetadata> runs = v.files(0);
        for (int[] bucket : buckets(runs)) {
            if (bucket[1] - bucket[0] >= options.level0FileTrigger()) {
                for (int i = bucket[0]; i < bucket[1]; i++) {
                    pending += runs.get(i).size();
                }
            }
        }
        return pending;
    }
}
