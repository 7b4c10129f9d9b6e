package io.kvstore.bench;

import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.codec.Document;
import io.kvstore.engine.codec.FieldPath;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB (configured as {@link RocksDbPeer}) with an index the application maintains by hand, the
 * way RocksDB users build one: postings are keys of their own, written in the same
 * {@link WriteBatch} as the record, and a query seeks the postings, then reads the records, both
 * under one snapshot (so it never returns a record that no longer matches).
 *
 * <p>Key layout (the record keys are 16 ASCII digits, so postings, starting with 0x00, never
 * collide with them and sort first):
 * <pre>
 * record:        key (16 bytes)                                  -> JSON document
 * email posting: 0x00 'e' email (UTF-8, no 0x00) 0x00 key (16)   -> empty
 * city posting:  0x00 'c' city (UTF-8, no 0x00) 0x00 key (16)    -> empty
 * ts posting:    0x00 't' ts (8 bytes big-endian, sign bit flipped) key (16) -> empty
 * </pre>
 * The terms come from the application's own record, not from parsing the JSON (a RocksDB user
 * has the object in hand); only an overwrite parses the previous JSON, to delete its postings.
 * That read-before-write happens under a lock striped by key, so concurrent writers of one key
 * cannot leave a stale posting.
 */
final class RocksDbIndexedPeer implements IndexedPeer {

    private static final byte EMAIL = 'e';
    private static final byte CITY = 'c';
    private static final byte TS = 't';
    private static final FieldPath EMAIL_PATH = FieldPath.parse("$.email");
    private static final FieldPath CITY_PATH = FieldPath.parse("$.city");
    private static final FieldPath TS_PATH = FieldPath.parse("$.ts");
    private static final byte[] EMPTY = new byte[0];

    @Override
    public String indexNote() {
        return "hand-maintained postings keys (email, city, ts) in the record's WriteBatch; read-before-write "
                + "under a striped lock when indexed; queries: seek postings + get records under one snapshot";
    }

    @Override
    public IndexedStore open(Path directory, Durability durability, IndexSet indexes) throws RocksDBException {
        RocksDB.loadLibrary();
        Options options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(64L << 20)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)));
        RocksDB db = RocksDB.open(options, directory.toString());
        WriteOptions writeOptions = new WriteOptions().setSync(durability == Durability.SYNC);
        Object[] stripes = new Object[256];
        Arrays.setAll(stripes, i -> new Object());
        return new IndexedStore() {
            @Override
            public void put(IndexedDocs.Doc doc) {
                try {
                    if (indexes == IndexSet.NONE) {
                        db.put(writeOptions, doc.key(), doc.json());
                        return;
                    }
                    synchronized (stripes[Arrays.hashCode(doc.key()) & 255]) {
                        try (WriteBatch batch = new WriteBatch()) {
                            byte[] old = db.get(doc.key());
                            if (old != null) {
                                Document d = Codec.JSON.parse(doc.key(), old);
                                batch.delete(stringPosting(EMAIL, (String) d.read(EMAIL_PATH).get(0), doc.key()));
                                if (indexes.cityAndTs()) {
                                    batch.delete(stringPosting(CITY, (String) d.read(CITY_PATH).get(0), doc.key()));
                                    batch.delete(tsPosting((Long) d.read(TS_PATH).get(0), doc.key()));
                                }
                            }
                            batch.put(doc.key(), doc.json());
                            batch.put(stringPosting(EMAIL, doc.email(), doc.key()), EMPTY);
                            if (indexes.cityAndTs()) {
                                batch.put(stringPosting(CITY, doc.city(), doc.key()), EMPTY);
                                batch.put(tsPosting(doc.ts(), doc.key()), EMPTY);
                            }
                            db.write(writeOptions, batch);
                        }
                    }
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public List<Found> byEmail(String email) {
                indexes.require("email");
                byte[] prefix = stringPrefix(EMAIL, email);
                return query(prefix, Integer.MAX_VALUE, posting -> startsWith(posting, prefix)
                        ? Arrays.copyOfRange(posting, prefix.length, posting.length) : null);
            }

            @Override
            public List<Found> byCity(String city, int limit) {
                indexes.require("city");
                byte[] prefix = stringPrefix(CITY, city);
                return query(prefix, limit, posting -> startsWith(posting, prefix)
                        ? Arrays.copyOfRange(posting, prefix.length, posting.length) : null);
            }

            @Override
            public List<Found> byTs(long from, long to, int limit) {
                indexes.require("ts");
                // From the first posting of 'from' to the last of 'to': compare the 10-byte tag + term.
                byte[] first = tsPosting(from, EMPTY);
                byte[] last = tsPosting(to, EMPTY);
                return query(first, limit, posting -> posting.length == 26 && posting[1] == TS
                        && Arrays.compareUnsigned(posting, 0, 10, last, 0, 10) <= 0
                        ? Arrays.copyOfRange(posting, 10, 26) : null);
            }

            /**
             * Seeks {@code seek}, maps each posting to its record key until {@code keyOf} says stop
             * (null) or {@code limit} keys, then reads those records, all under one snapshot.
             */
            private List<Found> query(byte[] seek, int limit, java.util.function.Function<byte[], byte[]> keyOf) {
                List<byte[]> keys = new ArrayList<>();
                Snapshot snapshot = db.getSnapshot();
                try (ReadOptions read = new ReadOptions().setSnapshot(snapshot);
                        RocksIterator it = db.newIterator(read)) {
                    for (it.seek(seek); it.isValid() && keys.size() < limit; it.next()) {
                        byte[] key = keyOf.apply(it.key());
                        if (key == null) {
                            break;
                        }
                        keys.add(key);
                    }
                    return records(read, keys);
                } finally {
                    // Closing the Java object alone would leave the snapshot pinned in the DB.
                    db.releaseSnapshot(snapshot);
                }
            }

            private List<Found> records(ReadOptions read, List<byte[]> keys) {
                List<Found> out = new ArrayList<>(keys.size());
                try {
                    for (byte[] key : keys) {
                        byte[] value = db.get(read, key);
                        if (value != null) { // always there: postings and records share the snapshot
                            out.add(new Found(key, value));
                        }
                    }
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
                return out;
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

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** {@code 0x00 tag term 0x00}: every posting of one string term starts with it. */
    private static byte[] stringPrefix(byte tag, String term) {
        byte[] t = term.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[t.length + 3];
        p[1] = tag;
        System.arraycopy(t, 0, p, 2, t.length);
        return p;
    }

    private static byte[] stringPosting(byte tag, String term, byte[] key) {
        byte[] prefix = stringPrefix(tag, term);
        byte[] p = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, p, prefix.length, key.length);
        return p;
    }

    private static byte[] tsPosting(long ts, byte[] key) {
        return ByteBuffer.allocate(10 + key.length).put((byte) 0).put(TS).putLong(ts ^ Long.MIN_VALUE).put(key)
                .array();
    }
}
