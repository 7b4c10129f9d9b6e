package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query reads the postings of its terms and the records they point to, nothing else: measured
 * by the postings budget (which counts every posting read) and by the table blocks read from disk
 * on a cold store, next to what a scan of the same data reads.
 */
class KvStoreIndexNoScanTest {

    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    private final KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE);

    @BeforeEach
    void fill() {
        try (KvStore db = KvStore.open(dir, options)) {
            db.indexes().create(IndexDefinition.of("city", IndexType.EQUALITY, Extractor.jsonPath("$.city")));
            db.indexes().create(IndexDefinition.of("tag", IndexType.EQUALITY, Extractor.jsonPath("$.tag")));
            for (int i = 0; i < RECORDS; i++) {
                String city = i % 2000 == 7 ? "Rare" : "Common" + (i % 5);
                String tag = i % 2 == 0 ? "even" : "odd";
                db.put(String.format("user:%06d", i), "{\"city\":\"" + city + "\",\"tag\":\"" + tag
                        + "\",\"padding\":\"" + "x".repeat(80) + "\"}");
            }
            db.compact();
        }
    }

    @Test
    void anEqualityQueryReadsOnlyItsPostingsAndTheirRecords() {
        try (KvStore db = KvStore.open(dir, options)) { // a cold block cache
            long before = db.stats().blockReads();
            QueryPage page = db.query(IndexQuery.eq("city", "Rare").maxPostingsScanned(10));
            long queryReads = db.stats().blockReads() - before;
            assertThat(page.entries()).hasSize(10);
            assertThatThrownBy(() -> db.query(IndexQuery.eq("city", "Rare").maxPostingsScanned(9)))
                    .isInstanceOf(QueryLimitException.class);

            before = db.stats().blockReads();
            long matches = 0;
            try (KvIterator it = db.scan(KeyRange.prefix("user:"))) {
                while (it.hasNext()) {
                    matches += it.next().valueAsString().contains("\"Rare\"") ? 1 : 0;
                }
            }
            long scanReads = db.stats().blockReads() - before;
            assertThat(matches).isEqualTo(10);
            System.out.printf("no-scan: eq query read %d blocks, a scan of the same store %d%n", queryReads, scanReads);
            // One posting block, and at most one block per record (10 records spread over the keys).
            assertThat(queryReads).isLessThanOrEqualTo(12);
            assertThat(scanReads).isGreaterThan(20 * queryReads);
        }
    }

    @Test
    void anAndStartsFromTheSelectiveSideAndOnlySeeksInTheOther() {
        try (KvStore db = KvStore.open(dir, options)) {
            // 10 postings of "Rare" drive; "even" (10,000 postings) is only probed at those keys.
            QueryPage page = db.query(IndexQuery.eq("tag", "odd").and(IndexQuery.eq("city", "Rare"))
                    .maxPostingsScanned(25));
            assertThat(page.entries()).hasSize(10); // i % 2000 == 7 is always odd
            assertThat(db.count(IndexQuery.eq("tag", "even").and(IndexQuery.eq("city", "Rare"))
                    .maxPostingsScanned(25))).isZero();
        }
    }
}
