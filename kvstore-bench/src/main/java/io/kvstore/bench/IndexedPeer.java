package io.kvstore.bench;

import java.nio.file.Path;

/**
 * A peer that can serve secondary-index queries over {@link IndexedDocs} records: the engine's own
 * indexes (KvStore), indexed columns (SQLite) or postings the application keeps itself (RocksDB).
 * Reached through {@link Peer#indexed()}; runs under {@link Durability#NONE} only.
 */
interface IndexedPeer {

    /** One line for the results page: how records and indexes are stored. */
    String indexNote();

    /** Opens a fresh store in {@code directory} maintaining {@code indexes}. */
    IndexedStore open(Path directory, Durability durability, IndexSet indexes) throws Exception;
}
