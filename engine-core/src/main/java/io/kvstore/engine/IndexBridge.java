package io.kvstore.engine;

import io.kvstore.engine.index.IndexHost;
import io.kvstore.engine.index.IndexManager;
import io.kvstore.engine.index.IndexWork;

/** The store as the index package sees it: consistent reads of user and own keys, and index work. */
final class IndexBridge implements IndexHost {

    private final KvStore store;

    IndexBridge(KvStore store) {
        this.store = store;
    }

    @Override
    public BridgeRead read() {
        return new BridgeRead(store.pin(null));
    }

    @Override
    public void write(IndexWork work) {
        store.submitIndexWork(work);
    }

    @Override
    public String describe() {
        return store.directory().toString();
    }

    @Override
    public boolean queriesEnabled() {
        return store.options().queriesEnabled();
    }

    /** One pinned view at one sequence: every get and scan through it sees the same state. */
    final class BridgeRead implements IndexHost.Read {
        private final KvStore.PinnedRead pinned;

        BridgeRead(KvStore.PinnedRead pinned) {
            this.pinned = pinned;
        }

        @Override
        public byte[] get(byte[] key) {
            return store.lookupIn(pinned, StorageKeys.user(key));
        }

        @Override
        public Cursor scanUser(byte[] from, byte[] to) {
            return new StorageCursor(store.scanIn(pinned, from == null ? null : StorageKeys.user(from),
                    to == null ? StorageKeys.SYSTEM_START : StorageKeys.user(to), "index build scan", () -> {
                    }), false);
        }

        @Override
        public Cursor scanOwn(byte[] from, byte[] to) {
            return new StorageCursor(store.scanIn(pinned, StorageKeys.system(from),
                    to == null ? null : StorageKeys.system(to), "index read", () -> {
                    }), true);
        }

        @Override
        public Cursor scanTerm(byte[] termPrefix) {
            byte[] from = StorageKeys.system(termPrefix);
            return new StorageCursor(store.scanPrefixIn(pinned, from, StorageKeys.system(
                    IndexManager.prefixEnd(termPrefix)), "index read"), true);
        }

        @Override
        public long nowMillis() {
            return pinned.nowMillis();
        }

        @Override
        public void close() {
            pinned.close();
        }
    }

    private static final class StorageCursor implements IndexHost.Cursor {
        private final StoreIterator it;
        private final boolean own;
        private KvEntry current;

        StorageCursor(StoreIterator it, boolean own) {
            this.it = it;
            this.own = own;
        }

        @Override
        public boolean next() {
            current = it.hasNext() ? it.next() : null;
            return current != null;
        }

        @Override
        public byte[] key() {
            return current.key();
        }

        @Override
        public byte[] value() {
            return current.value();
        }

        @Override
        public long expiresAt() {
            return it.lastExpiresAt();
        }

        @Override
        public void seek(byte[] key) {
            current = null;
            it.seek(own ? StorageKeys.system(key) : StorageKeys.user(key));
        }

        @Override
        public void close() {
            it.close();
        }
    }
}
