package io.kvstore.engine.io;

/**
 * The rule that picks, for a key, a prefix that bloom filters (of tables and memtables) index
 * besides the whole key: a scan of every key with such a prefix asks each filter for it and skips
 * the tables and memtables that certainly hold none.
 *
 * <p>The store's rule (index postings: one prefix per index term) is written into the tables it
 * builds, which record in their format version that their filters hold it; a rule may therefore
 * only change with a table format version bump.
 */
@FunctionalInterface
public interface FilterPrefix {

    /** No key has a filtered prefix. */
    FilterPrefix NONE = (key, off, len) -> -1;

    /** Length of the filtered prefix of {@code key[off..off+len)}, or -1 when it has none. */
    int length(byte[] key, int off, int len);
}
