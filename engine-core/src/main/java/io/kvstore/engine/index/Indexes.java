package io.kvstore.engine.index;

import java.util.List;
import java.util.Optional;

/**
 * The secondary indexes of one store ({@code KvStore.indexes()}). Definitions live in the store
 * itself and survive restarts.
 */
public interface Indexes {

    /**
     * Creates the index and fills it from the records already stored; returns when it is
     * complete. Writes go on meanwhile. Creating an index that exists with the same definition
     * does nothing (and supplies a custom extractor's function after a restart); with a
     * different definition it fails. A crash during the build is resumed when the store opens.
     */
    void create(IndexDefinition definition);

    /** Removes the index and its postings. Dropping an absent index is not an error. */
    void drop(String name);

    /** Builds the index again from the stored records; it keeps answering queries until the new one replaces it. */
    void rebuild(String name);

    /** Every index, by name. */
    List<IndexDefinition> list();

    /** The index named {@code name}, if it exists. */
    Optional<IndexDefinition> get(String name);

    /**
     * The entries (postings) the index holds now: one per indexed value of each live record, so a
     * multi-valued index can hold more entries than records. Counted by reading the postings'
     * keys (never the records), so it costs time in proportion to the index's size; meant for
     * monitoring at a modest rate, not for every request. Fails like a query when the index
     * does not exist or is not ready.
     */
    long entryCount(String name);
}
