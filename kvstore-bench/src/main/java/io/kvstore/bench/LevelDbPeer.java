package io.kvstore.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteOptions;
import org.iq80.leveldb.impl.Iq80DBFactory;

/**
 * The pure-Java LevelDB port (org.iq80.leveldb) with a 64 MiB write buffer, as the others, and its
 * default 8 MiB block cache or the size of {@code --block-cache-mib}.
 */
final class LevelDbPeer implements Peer {

    /** Block cache size; 0 for LevelDB's default. */
    private final long blockCacheMiB;

    LevelDbPeer(long blockCacheMiB) {
        this.blockCacheMiB = blockCacheMiB;
    }

    @Override
    public String name() {
        return "leveldb-java";
    }

    @Override
    public String durabilityNote() {
        return "64 MiB write buffer" + (blockCacheMiB > 0 ? ", " + blockCacheMiB + " MiB block cache" : "")
                + ", otherwise defaults; NONE = WriteOptions.sync(false), SYNC = WriteOptions.sync(true)";
    }

    @Override
    public Store open(Path directory, Durability durability) throws IOException {
        Options options = new Options().createIfMissing(true).writeBufferSize(64 << 20);
        if (blockCacheMiB > 0) {
            options.cacheSize(blockCacheMiB << 20);
        }
        DB db = Iq80DBFactory.factory.open(directory.toFile(), options);
        WriteOptions writeOptions = new WriteOptions().sync(durability == Durability.SYNC);
        return new Store() {
            @Override
            public void put(byte[] key, byte[] value) {
                db.put(key, value, writeOptions);
            }

            @Override
            public byte[] get(byte[] key) {
                return db.get(key);
            }

            @Override
            public void delete(byte[] key) {
                db.delete(key, writeOptions);
            }

            @Override
            public int scan(byte[] fromKey, int n) {
                int read = 0;
                try (DBIterator it = db.iterator()) {
                    for (it.seek(fromKey); read < n && it.hasNext(); read++) {
                        it.next();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return read;
            }

            @Override
            public long bytesOnDisk() {
                return DirectorySize.of(directory);
            }

            @Override
            public void close() {
                try {
                    db.close();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
