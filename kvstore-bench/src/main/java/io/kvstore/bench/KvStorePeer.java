package io.kvstore.bench;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.OperationListener;
import io.kvstore.engine.SyncMode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Our engine with its defaults (64 MiB memtable, LZ4, 10 bloom bits/key, 32 MiB block cache);
 * {@code --block-cache-mib} changes the block cache size, to see reads served from the cache rather
 * than from the page cache.
 *
 * <p>{@link #withListener()} is the variant {@code kvstore+listener}: the same store with an
 * {@link OperationListener} installed that does nothing: the store then reads the clock before and
 * after every operation and makes one call, which is what timing costs before any registry does
 * work. {@code kvstore} has no listener and never reads the clock.
 */
final class KvStorePeer implements Peer {

    private static final OperationListener NO_OP = (operation, nanos, failure) -> {
    };

    private final boolean listener;
    /** Block cache size; 0 for the engine's default. */
    private final long blockCacheMiB;

    KvStorePeer(long blockCacheMiB) {
        this(false, blockCacheMiB);
    }

    private KvStorePeer(boolean listener, long blockCacheMiB) {
        this.listener = listener;
        this.blockCacheMiB = blockCacheMiB;
    }

    static KvStorePeer withListener(long blockCacheMiB) {
        return new KvStorePeer(true, blockCacheMiB);
    }

    @Override
    public String name() {
        return listener ? "kvstore+listener" : "kvstore";
    }

    @Override
    public String durabilityNote() {
        return (listener ? "as kvstore, plus a no-op OperationListener (the store times every operation); " : "defaults")
                + (blockCacheMiB > 0 ? " but a " + blockCacheMiB + " MiB block cache; " : "; ")
                + "NONE = SyncMode.NONE, SYNC = SyncMode.SYNC (fsync per write group, group commit)";
    }

    @Override
    public boolean onRequest() {
        return listener;
    }

    @Override
    public Optional<IndexedPeer> indexed() {
        return listener ? Optional.empty() : Optional.of(new KvStoreIndexedPeer());
    }

    @Override
    public Store open(Path directory, Durability durability) {
        KvStoreOptions options = KvStoreOptions.defaults()
                .withSyncMode(durability == Durability.SYNC ? SyncMode.SYNC : SyncMode.NONE);
        if (blockCacheMiB > 0) {
            options = options.withBlockCacheSize(blockCacheMiB << 20);
        }
        if (listener) {
            options = options.withOperationListener(NO_OP);
        }
        KvStore db = KvStore.open(directory, options);
        return new Store() {
            @Override
            public void put(byte[] key, byte[] value) {
                db.put(key, value);
            }

            @Override
            public byte[] get(byte[] key) {
                return db.get(key);
            }

            @Override
            public void delete(byte[] key) {
                db.delete(key);
            }

            @Override
            public int scan(byte[] fromKey, int n) {
                int read = 0;
                try (KvIterator it = db.scan(KeyRange.atLeast(fromKey))) {
                    while (read < n && it.hasNext()) {
                        it.next();
                        read++;
                    }
                }
                return read;
            }

            @Override
            public long bytesOnDisk() {
                return db.stats().bytesOnDisk();
            }

            @Override
            public void close() {
                db.close();
            }
        };
    }
}
