package io.kvstore.engine.compaction;

import io.kvstore.engine.CompactionStrategy;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.version.Version;
import java.util.Set;

/** Chooses the next compaction of a version, or none. One implementation per {@link CompactionStrategy}. */
public interface CompactionPicker {

    /**
     * The most urgent compaction of {@code version} whose inputs do not include any of
     * {@code busy} (files other running compactions hold), or {@code null} if none is due.
     */
    Compaction pick(Version version, Set<Long> busy);

    /**
     * A compaction that merges every file overlapping {@code [fromUserKey, toUserKey]} ({@code null}
     * = unbounded) at {@code level} into the next level (or, for tiered, all overlapping runs into
     * one), or {@code null} if there is nothing to merge there. Used by manual compaction, which
     * runs while no background compaction does.
     */
    Compaction pickRange(Version version, int level, byte[] fromUserKey, byte[] toUserKey);

    /**
     * A compaction that rewrites the files of {@code level} overlapping the range, other than
     * {@code exclude}, into the same level: how a manual compaction cleans the deepest level of
     * shadowed versions, deletes and expired entries. {@code null} if there is nothing to rewrite.
     */
    Compaction pickInPlace(Version version, int level, byte[] fromUserKey, byte[] toUserKey, Set<Long> exclude);

    /** Bytes the picker still wants to compact: how far behind compaction is. */
    long pendingBytes(Version version);

    static CompactionPicker of(KvStoreOptions options) {
        return options.compactionStrategy() == CompactionStrategy.TIERED ? new TieredCompactionPicker(options)
                : new LeveledCompactionPicker(options);
    }
}
