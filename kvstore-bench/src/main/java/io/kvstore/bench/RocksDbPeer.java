package io.kvstore.bench;

import java.nio.file.Path;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * RocksDB through JNI: 64 MiB write buffer, bloom filter 10 bits/key, LZ4 (as KvStore), otherwise
 * defaults (leveled compaction, 32 MiB block cache of the default table format, or the size of
 * {@code --block-cache-mib}).
 */
final class RocksDbPeer implements Peer {

    /** Block cache size; 0 for RocksDB's default. */
    private final long blockCacheMiB;

    RocksDbPeer(long blockCacheMiB) {
        this.blockCacheMiB = blockCacheMiB;
    }

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public Optional<IndexedPeer> indexed() {
        return Optional.of(new RocksDbIndexedPeer());
    }

    @Override
    public String durabilityNote() {
        return "64 MiB write buffer, bloom 10 bits/key, LZ4"
                + (blockCacheMiB > 0 ? ", " + blockCacheMiB + " MiB LRU block cache" : "") + "; NONE = WriteOptions.sync(false) (WAL on, no fsync), "
                + "SYNC = WriteOptions.sync(true)";
    }

    private BlockBasedTableConfig tableConfig() {
        BlockBasedTableConfig config = new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10));
        if (blockCacheMiB > 0) {
            config.setBlockCache(new LRUCache(blockCacheMiB << 20));
        }
        return config;
    }

    @Override
    public Store open(Path directory, Durability durability) throws RocksDBException {
        RocksDB.loadLibrary();
        Options options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(64L << 20)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(tableConfig());
        RocksDB db = RocksDB.open(options, directory.toString());
        WriteOptions writeOptions = new WriteOptions().setSync(durability == Durability.SYNC);
        return new Store() {
            @Override
            public void put(byte[] key, byte[] value) {
                try {
                    db.put(writeOptions, key, value);
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public byte[] get(byte[] key) {
                try {
                    return db.get(key);
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void delete(byte[] key) {
                try {
                    db.delete(writeOptions, key);
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public int scan(byte[] fromKey, int n) {
                int read = 0;
                try (RocksIterator it = db.newIterator()) {
                    for (it.seek(fromKey); read < n && it.isValid(); it.next()) {
                        it.key();
                        it.value();
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
                db.close();
                writeOptions.close();
                options.close();
            }
        };
    }
}
