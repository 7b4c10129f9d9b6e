package io.kvstore.bench;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One benchmarked store: its name, how it maps {@link Durability}, and how to open it in a
 * directory. {@link #open} may throw anything (a missing native library, for instance); the
 * harness then skips the peer and prints the reason.
 */
public interface Peer {

    /** Short name used in tables, charts and {@code --peers}. */
    String name();

    /** One line saying what NONE and SYNC mean for this peer, for the results page. */
    String durabilityNote();

    /** True when the store keeps keys ordered (scan workloads make sense). */
    default boolean ordered() {
        return true;
    }

    /** True when the store lives only in memory (durability modes do not apply). */
    default boolean inMemory() {
        return false;
    }

    /**
     * True when the peer runs only if {@code --peers} names it (a variant for one comparison, such
     * as {@code kvstore+listener}), not in a run of every peer.
     */
    default boolean onRequest() {
        return false;
    }

    /** The same store serving secondary-index queries, for the indexed workloads, if it can. */
    default Optional<IndexedPeer> indexed() {
        return Optional.empty();
    }

    Store open(Path directory, Durability durability) throws Exception;
}
