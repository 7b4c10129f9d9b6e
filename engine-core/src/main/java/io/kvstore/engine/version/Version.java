package io.kvstore.engine.version;

import io.kvstore.engine.io.KeyHash;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.sstable.TableCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable set of live table files per level.
 *
 * <pre>
 * Levels:
 *   L0 holds flushed memtables (and size-tiered runs), newest data first; their key ranges may overlap.
 *   L1 and deeper hold files sorted by key with disjoint ranges (compaction keeps it so).
 * Pinning:
 *   Readers pin the version they read with {@link #tryRef()} and release it with {@link #unref()};
 *   the version set holds one reference on the current version. A version whose count drops to
 *   zero is dead and can never be pinned again; its files are deleted once no live version
 *   lists them.
 * </pre>
 */
public final class Version {

    public static final int NUM_LEVELS = 7;

    private final List<List<FileMetadata>> levels;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Runnable onDead;

    Version(List<List<FileMetadata>> levels, Runnable onDead) {
        this.levels = levels;
        this.onDead = onDead;
    }

    /** Pins this version unless it is already dead; lock-free. */
    public boolean tryRef() {
        while (true) {
            int n = refs.get();
            if (n == 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void unref() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            onDead.run();
        } else if (n < 0) {
            throw new IllegalStateException("version released more often than pinned");
        }
    }

    boolean isLive() {
        return refs.get() > 0;
    }

    public List<FileMetadata> files(int level) {
        return Collections.unmodifiableList(levels.get(level));
    }

    public int fileCount(int level) {
        return levels.get(level).size();
    }

    public long levelBytes(int level) {
        long total = 0;
        for (FileMetadata f : levels.get(level)) {
            total += f.size();
        }
        return total;
    }

    /**
     * Looks {@code key} up in the tables, newest first: a copy of the value, {@code Memtable.DELETED}
     * (deleted or expired at {@code nowMillis}), or {@code null} if no table has a version visible
     * at {@code sequence}. {@code hash} is the key's {@link KeyHash}, computed once for every filter.
     */
    public byte[] get(byte[] key, long hash, long sequence, long nowMillis, TableCache tables) {
        for (FileMetadata f : levels.get(0)) {
            if (f.mayContain(key)) {
                byte[] v = tables.get(f.number(), f.size(), key, hash, sequence, nowMillis);
                if (v != null) {
                    return v;
                }
            }
        }
        for (int level = 1; level < NUM_LEVELS; level++) {
            List<FileMetadata> files = levels.get(level);
            int i = findFile(files, key);
            if (i < files.size() && files.get(i).mayContain(key)) {
                byte[] v = tables.get(files.get(i).number(), files.get(i).size(), key, hash, sequence, nowMillis);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    /** Index of the first file whose largest user key is at or after {@code key}. */
    static int findFile(List<FileMetadata> files, byte[] key) {
        int lo = 0;
        int hi = files.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (FileMetadata.compareUser(files.get(mid).largest(), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Adds one iterator per L0 file and one concatenating iterator per deeper non-empty level. */
    public void addIterators(List<InternalIterator> out, TableCache tables) {
        addIterators(out, tables, null, null);
    }

    /**
     * Adds iterators over the files that may hold user keys in {@code [from, to]} ({@code null}:
     * unbounded): a scan of one key range opens no table outside it.
     */
    public void addIterators(List<InternalIterator> out, TableCache tables, byte[] from, byte[] to) {
        for (FileMetadata f : levels.get(0)) {
            if (f.overlaps(from, to)) {
                out.add(tables.iterator(f.number(), f.size()));
            }
        }
        for (int level = 1; level < NUM_LEVELS; level++) {
            List<FileMetadata> files = levels.get(level);
            if (!files.isEmpty() && files.get(0).overlaps(null, to) && files.get(files.size() - 1).overlaps(from, null)) {
                out.add(new LevelIterator(files, tables));
            }
        }
    }

    /**
     * {@link #addIterators(List, TableCache, byte[], byte[])} for a range whose keys all share one
     * filtered prefix (see {@link io.kvstore.engine.io.FilterPrefix}), given by its hash: tables
     * whose filters hold no key with it are left out.
     */
    public void addIterators(List<InternalIterator> out, TableCache tables, byte[] from, byte[] to,
            long prefixHash) {
        for (FileMetadata f : levels.get(0)) {
            if (f.overlaps(from, to) && tables.mayContainPrefix(f.number(), f.size(), prefixHash)) {
                out.add(tables.iterator(f.number(), f.size()));
            }
        }
        for (int level = 1; level < NUM_LEVELS; level++) {
            List<FileMetadata> files = levels.get(level);
            List<FileMetadata> holding = new ArrayList<>(2);
            for (int i = from == null ? 0 : findFile(files, from); i < files.size() && files.get(i).overlaps(from, to); i++) {
                if (tables.mayContainPrefix(files.get(i).number(), files.get(i).size(), prefixHash)) {
                    holding.add(files.get(i)); // a sorted, disjoint subsequence: still a level
                }
            }
            if (!holding.isEmpty()) {
                out.add(new LevelIterator(holding, tables));
            }
        }
    }

    /** Builds the version that results from applying {@code edit} to {@code base}'s files. */
    static List<List<FileMetadata>> apply(List<List<FileMetadata>> base, VersionEdit edit) {
        List<List<FileMetadata>> levels = new ArrayList<>(NUM_LEVELS);
        for (int level = 0; level < NUM_LEVELS; level++) {
            List<FileMetadata> files = new ArrayList<>(base.get(level));
            for (VersionEdit.DeletedFile d : edit.deletedFiles) {
                if (d.level() == level) {
                    files.removeIf(f -> f.number() == d.number());
                }
            }
            for (VersionEdit.NewFile n : edit.newFiles) {
                if (n.level() == level) {
                    files.add(n.file());
                }
            }
            if (level == 0) {
                // Newest data first. Not by file number: a merged size-tiered run gets a new number
                // but holds older data than runs flushed before it.
                files.sort((a, b) -> a.largestSequence() != b.largestSequence()
                        ? Long.compare(b.largestSequence(), a.largestSequence())
                        : Long.compare(b.number(), a.number()));
            } else {
                files.sort((a, b) -> InternalKey.compareEncoded(a.smallest(), 0, a.smallest().length,
                        b.smallest(), 0, b.smallest().length));
            }
            levels.add(files);
        }
        return levels;
    }

    static List<List<FileMetadata>> emptyLevels() {
        List<List<FileMetadata>> levels = new ArrayList<>(NUM_LEVELS);
        for (int i = 0; i < NUM_LEVELS; i++) {
            levels.add(List.of());
        }
        return levels;
    }

    List<List<FileMetadata>> levels() {
        return levels;
    }
}
