package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The postings of one term are read only from the tables that hold the term: table filters also
 * index each posting's term prefix, so an equality lookup does not seek in every table of a store.
 */
class KvStoreIndexTermFilterTest {

    private static final int TABLES = 12;
    private static final int PER_TABLE = 300;

    @TempDir
    Path dir;

    /** Compaction held off: every flush stays its own L0 table. */
    private final KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE)
            .withLevel0FileTrigger(100).withLevel0SlowdownTrigger(1000).withLevel0StopTrigger(1000);

    private static String doc(String city) {
        return "{\"city\":\"" + city + "\",\"padding\":\"" + "x".repeat(100) + "\"}";
    }

    /** Data blocks looked at, whether the block cache had them or not. */
    private static long blockAccesses(KvStore db) {
        return db.stats().blockCacheHits() + db.stats().blockCacheMisses();
    }

    @Test
    void anEqualityLookupReadsOnlyTheTablesHoldingItsTerm() {
        try (KvStore db = KvStore.open(dir, options)) {
            db.indexes().create(IndexDefinition.of("city", IndexType.EQUALITY, Extractor.jsonPath("$.city")));
            for (int t = 0; t < TABLES; t++) {
                for (int i = 0; i < PER_TABLE; i++) {
                    db.put(String.format("user:%02d:%04d", t, i), doc("City" + t));
                }
                db.flush();
            }
            // A newer table moves one record of City3 to City11: its posting delete lives in the newest
            // table, which the filter must not hide.
            db.put("user:03:0000", doc("City11"));
            db.flush();
            assertThat(db.stats().tableFilesPerLevel().get(0)).isGreaterThanOrEqualTo(TABLES);
        }
        try (KvStore db = KvStore.open(dir, options)) {
            long before = blockAccesses(db);
            List<KvEntry> found = db.query(IndexQuery.eq("city", "City3").limit(1)).entries();
            long accesses = blockAccesses(db) - before;
            assertThat(found).extracting(KvEntry::key).extracting(String::new).containsExactly("user:03:0001");
            System.out.printf("term filter: eq lookup over %d tables touched %d blocks%n", TABLES + 1, accesses);
            // The posting block of City3's table and the record's block (plus a rare filter false
            // positive); a seek in every table would touch at least one block per table.
            assertThat(accesses).isLessThanOrEqualTo(4);

            assertThat(db.count(IndexQuery.eq("city", "City3"))).isEqualTo(PER_TABLE - 1);
            assertThat(db.count(IndexQuery.eq("city", "City11"))).isEqualTo(PER_TABLE + 1);
            assertThat(db.count(IndexQuery.eq("city", "Nowhere"))).isZero();
            assertThat(db.query(IndexQuery.eq("city", "City11").limit(1)).entries())
                    .extracting(KvEntry::key).extracting(String::new).containsExactly("user:03:0000");
        }
    }
}
