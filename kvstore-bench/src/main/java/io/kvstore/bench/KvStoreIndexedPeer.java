package io.kvstore.bench;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexQuery;
import io.kvstore.engine.index.IndexType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * KvStore with the JSON codec and the engine's own secondary indexes: the application hands over
 * the document, the engine parses it, extracts the terms by JSON path and writes the postings in
 * the same WAL record as the value (so every put also reads the key's previous value, to drop its
 * old postings).
 */
final class KvStoreIndexedPeer implements IndexedPeer {

    @Override
    public String indexNote() {
        return "Codec.JSON; engine indexes email (EQUALITY $.email), city (EQUALITY $.city), ts (RANGE $.ts); "
                + "queries via db.query(IndexQuery.eq/range)";
    }

    @Override
    public IndexedStore open(Path directory, Durability durability, IndexSet indexes) {
        KvStoreOptions options = KvStoreOptions.defaults()
                .withCodec(Codec.JSON)
                .withSyncMode(durability == Durability.SYNC ? SyncMode.SYNC : SyncMode.NONE);
        KvStore db = KvStore.open(directory, options);
        try {
            if (indexes.email()) {
                db.indexes().create(IndexDefinition.of("email", IndexType.EQUALITY, Extractor.jsonPath("$.email")));
            }
            if (indexes.cityAndTs()) {
                db.indexes().create(IndexDefinition.of("city", IndexType.EQUALITY, Extractor.jsonPath("$.city")));
                db.indexes().create(IndexDefinition.of("ts", IndexType.RANGE, Extractor.jsonPath("$.ts")));
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new IndexedStore() {
            @Override
            public void put(IndexedDocs.Doc doc) {
                db.put(doc.key(), doc.json());
            }

            @Override
            public List<Found> byEmail(String email) {
                return found(db.query(IndexQuery.eq("email", email)).entries());
            }

            @Override
            public List<Found> byCity(String city, int limit) {
                return found(db.query(IndexQuery.eq("city", city).limit(limit)).entries());
            }

            @Override
            public List<Found> byTs(long from, long to, int limit) {
                return found(db.query(IndexQuery.range("ts", from, to).limit(limit)).entries());
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

    private static List<IndexedStore.Found> found(List<KvEntry> entries) {
        List<IndexedStore.Found> out = new ArrayList<>(entries.size());
        for (KvEntry e : entries) {
            out.add(new IndexedStore.Found(e.key(), e.value()));
        }
        return out;
    }
}
