package io.kvstore.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.CursorIterable.KeyVal;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava: one write transaction per put (LMDB serializes writers), one read
 * transaction per get or scan. NONE opens the environment with MDB_NOSYNC and MDB_NOMETASYNC.
 */
final class LmdbPeer implements Peer {

    private static final long MAP_SIZE = 32L << 30; // address space only; the file grows as used

    @Override
    public String name() {
        return "lmdb";
    }

    @Override
    public String durabilityNote() {
        return "one write txn per put; NONE = MDB_NOSYNC + MDB_NOMETASYNC, SYNC = default flags (fsync per commit)";
    }

    @Override
    public Store open(Path directory, Durability durability) throws Exception {
        Files.createDirectories(directory);
        EnvFlags[] flags = durability == Durability.SYNC
                ? new EnvFlags[] {EnvFlags.MDB_NOTLS}
                : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOMETASYNC};
        Env<ByteBuffer> env = Env.create().setMapSize(MAP_SIZE).setMaxDbs(1).setMaxReaders(256)
                .open(directory.toFile(), flags);
        Dbi<ByteBuffer> dbi = env.openDbi("kv", DbiFlags.MDB_CREATE);
        ThreadLocal<ByteBuffer> keyBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(511));
        ThreadLocal<ByteBuffer> valueBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(64 << 10));
        return new Store() {
            private ByteBuffer key(byte[] key) {
                ByteBuffer b = keyBuffer.get().clear();
                return b.put(key).flip();
            }

            @Override
            public void put(byte[] key, byte[] value) {
                ByteBuffer v = valueBuffer.get().clear().put(value).flip();
                try (Txn<ByteBuffer> txn = env.txnWrite()) {
                    dbi.put(txn, key(key), v);
                    txn.commit();
                }
            }

            @Override
            public byte[] get(byte[] key) {
                try (Txn<ByteBuffer> txn = env.txnRead()) {
                    ByteBuffer found = dbi.get(txn, key(key));
                    if (found == null) {
                        return null;
                    }
                    byte[] out = new byte[found.remaining()];
                    found.get(out);
                    return out;
                }
            }

            @Override
            public void delete(byte[] key) {
                try (Txn<ByteBuffer> txn = env.txnWrite()) {
                    dbi.delete(txn, key(key));
                    txn.commit();
                }
            }

            @Override
            public int scan(byte[] fromKey, int n) {
                int read = 0;
                try (Txn<ByteBuffer> txn = env.txnRead();
                        CursorIterable<ByteBuffer> it = dbi.iterate(txn, KeyRange.atLeast(key(fromKey)))) {
                    for (KeyVal<ByteBuffer> kv : it) {
                        if (read == n) {
                            break;
                        }
                        byte[] value = new byte[kv.val().remaining()];
                        kv.val().get(value);
                        read++;
                    }
                }
                return read;
            }

            @Override
            public long bytesOnDisk() {
                return DirectorySize.of(directory);
            }

            @Override
            public void close() {
                env.close();
            }
        };
    }
}
