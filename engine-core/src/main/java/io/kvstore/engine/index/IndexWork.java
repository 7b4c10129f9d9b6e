package io.kvstore.engine.index;

import java.util.ArrayList;
import java.util.List;

/**
 * Index work that must run in the commit leader, serialized with every other write: own-entry
 * writes (definitions, build progress), changes to which indexes writes maintain, and re-indexing
 * of stored records. Built by {@link IndexManager}; opaque to the store.
 */
public final class IndexWork {

    final List<Op> ops = new ArrayList<>();
    /** Runs in the leader before any op of the batch is computed. */
    Runnable onCommit;
    /** Re-index the records in [reindexFrom, reindexTo] (inclusive) for index {@code reindex}. */
    IndexManager.Live reindex;
    byte[] reindexFrom;
    byte[] reindexTo;

    IndexWork put(byte[] ownKey, byte[] value) {
        ops.add(Op.put(ownKey, value, 0));
        return this;
    }

    IndexWork delete(byte[] ownKey) {
        ops.add(Op.delete(ownKey));
        return this;
    }
}
