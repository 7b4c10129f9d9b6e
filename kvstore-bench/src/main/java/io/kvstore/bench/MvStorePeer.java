package io.kvstore.bench;

import java.nio.file.Path;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore with one {@code MVMap<byte[], byte[]>}. NONE keeps MVStore's auto-commit (a
 * background thread writes a chunk about every second, no fsync per write). SYNC calls
 * {@code commit()} and {@code sync()} (FileChannel.force) after every write: the only way to get
 * per-write durability, and it writes a new chunk each time.
 */
final class MvStorePeer implements Peer {

    @Override
    public String name() {
        return "h2-mvstore";
    }

    @Override
    public String durabilityNote() {
        return "NONE = auto-commit (background chunk write ~1 s, no fsync); SYNC = commit() + sync() after each write "
                + "(serialized: a chunk and an fsync per write, no group commit)";
    }

    @Override
    public Store open(Path directory, Durability durability) throws Exception {
        java.nio.file.Files.createDirectories(directory);
        MVStore store = new MVStore.Builder().fileName(directory.resolve("data.mv").toString()).open();
        MVMap<byte[], byte[]> map = store.openMap("kv");
        boolean sync = durability == Durability.SYNC;
        return new Store() {
            private void durable() {
                synchronized (store) {
                    store.commit();
                    store.sync();
                }
            }

            @Override
            public void put(byte[] key, byte[] value) {
                map.put(key, value);
                if (sync) {
                    durable();
                }
            }

            @Override
            public byte[] get(byte[] key) {
                return map.get(key);
            }

            @Override
            public void delete(byte[] key) {
                map.remove(key);
                if (sync) {
                    durable();
                }
            }

            @Override
            public int scan(byte[] fromKey, int n) {
                int read = 0;
                Cursor<byte[], byte[]> cursor = map.cursor(fromKey);
                for (; read < n && cursor.hasNext(); read++) {
                    cursor.next();
                    cursor.getValue();
                }
                return read;
            }

            @Override
            public long bytesOnDisk() {
                return DirectorySize.of(directory);
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }
}
