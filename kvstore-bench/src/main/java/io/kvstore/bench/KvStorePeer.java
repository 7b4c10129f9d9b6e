package io.kvstore.bench;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import java.nio.file.Path;

/**
 * Our engine with its defaults (64 MiB memtable, LZ4, 10 bloom bits/key, 32 MiB block cache).
 * {@code -Dkvstore.bench.blockCacheMiB=N} changes the block cache size, to see reads served from
 * the cache rather than from the page cache.
 */
final class KvStorePeer implements Peer {

    @Override
    public String name() {
        return "kvstore";
    }

    @Override
    public String durabilityNote() {
        return "defaults; NONE = SyncMode.NONE, SYNC = SyncMode.SYNC (fsync per write group, group commit)";
    }

    @Override
    public Store open(Path directory, Durability durability) {
        KvStoreOptions options = KvStoreOptions.defaults()
                .withSyncMode(durability == Durability.SYNC ? SyncMode.SYNC : SyncMode.NONE);
        String cacheMiB = System.getProperty("kvstore.bench.blockCacheMiB");
        if (cacheMiB != null) {
            options = options.withBlockCacheSize(Long.parseLong(cacheMiB) << 20);
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
