package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.ManualClock;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreIndexTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE).withClock(clock);

    static String user(String city, int age, String... tags) {
        StringBuilder t = new StringBuilder();
        for (String tag : tags) {
            t.append(t.length() == 0 ? "" : ",").append('"').append(tag).append('"');
        }
        return "{\"city\":\"" + city + "\",\"age\":" + age + ",\"tags\":[" + t + "],\"bio\":\"Likes " + city
                + " and Coffee\"}";
    }

    static void createUserIndexes(KvStore db) {
        db.indexes().create(IndexDefinition.of("city", IndexType.EQUALITY, Extractor.jsonPath("$.city"))
                .withScopePrefix("users:"));
        db.indexes().create(IndexDefinition.of("age", IndexType.RANGE, Extractor.jsonPath("$.age"))
                .withScopePrefix("users:"));
        db.indexes().create(IndexDefinition.of("tags", IndexType.EQUALITY, Extractor.jsonPath("$.tags[*]"))
                .withScopePrefix("users:"));
        db.indexes().create(IndexDefinition.of("cityPrefix", IndexType.PREFIX, Extractor.jsonPath("$.city"))
                .withScopePrefix("users:"));
        db.indexes().create(IndexDefinition.of("bio", IndexType.TEXT, Extractor.jsonPath("$.bio"))
                .withScopePrefix("users:"));
        db.indexes().create(IndexDefinition.of("scores", IndexType.RANGE, Extractor.jsonPath("$.scores[*]"))
                .withScopePrefix("users:"));
    }

    static List<String> keys(QueryPage page) {
        return page.entries().stream().map(KvEntry::keyAsString).toList();
    }

    @Test
    void everyQueryFormFindsTheMatchingRecordsInItsOrder() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            db.put("users:1", user("PortoAlegre", 25, "a", "b"));
            db.put("users:2", user("Porto", 31, "b"));
            db.put("users:3", user("PortoAlegre", 20, "c"));
            db.put("users:4", user("Lisbon", 30));
            db.put("users:5", user("PortoAlegre", 40, "a"));
            db.put("other:1", user("PortoAlegre", 25)); // out of scope

            assertThat(keys(db.query(IndexQuery.eq("city", "PortoAlegre")))).containsExactly("users:1", "users:3", "users:5");
            assertThat(keys(db.query(IndexQuery.in("city", "Lisbon", "Porto")))).containsExactly("users:2", "users:4");
            assertThat(keys(db.query(IndexQuery.range("age", 20, 30)))).containsExactly("users:3", "users:1", "users:4");
            assertThat(keys(db.query(IndexQuery.range("age", 20, 30).descending()))).containsExactly("users:4", "users:1", "users:3");
            assertThat(keys(db.query(IndexQuery.gt("age", 30)))).containsExactly("users:2", "users:5");
            assertThat(keys(db.query(IndexQuery.gte("age", 30.0)))).containsExactly("users:4", "users:2", "users:5");
            assertThat(keys(db.query(IndexQuery.lt("age", 25)))).containsExactly("users:3");
            assertThat(keys(db.query(IndexQuery.lte("age", 25)))).containsExactly("users:3", "users:1");
            assertThat(keys(db.query(IndexQuery.range("age", 20, false, 31, false)))).containsExactly("users:1", "users:4");
            assertThat(keys(db.query(IndexQuery.range("age", 20, true, 31, true)))).containsExactly("users:3", "users:1", "users:4", "users:2");
            assertThat(keys(db.query(IndexQuery.prefix("cityPrefix", "Porto")))).containsExactly("users:1", "users:2", "users:3", "users:5");
            assertThat(keys(db.query(IndexQuery.prefix("age", "x")))).isEmpty(); // strings only
            assertThat(keys(db.query(IndexQuery.eq("tags", "a")))).containsExactly("users:1", "users:5");
            assertThat(keys(db.query(IndexQuery.text("bio", "coffee LIKES")))).hasSize(5);
            assertThat(keys(db.query(IndexQuery.text("bio", "lisbon")))).containsExactly("users:4");
            assertThat(keys(db.query(IndexQuery.eq("city", "PortoAlegre").and(IndexQuery.range("age", 20, 30)))))
                    .containsExactly("users:3", "users:1");
            assertThat(keys(db.query(IndexQuery.eq("city", "PortoAlegre").and(IndexQuery.eq("tags", "a")))))
                    .containsExactly("users:1", "users:5");
            assertThat(keys(db.query(IndexQuery.eq("city", "Lisbon").or(IndexQuery.eq("tags", "c")))))
                    .containsExactly("users:3", "users:4");
            assertThat(keys(db.query(IndexQuery.eq("city", "Lisbon").or(IndexQuery.range("age", 39, null)))))
                    .containsExactly("users:4", "users:5");
            assertThat(db.count(IndexQuery.eq("city", "PortoAlegre"))).isEqualTo(3);
            assertThat(db.count(IndexQuery.range("age", null, null))).isEqualTo(5);
            assertThat(db.query(IndexQuery.eq("city", "PortoAlegre")).entries().get(0).valueAsString())
                    .isEqualTo(user("PortoAlegre", 25, "a", "b"));
        }
    }

    @Test
    void eqNullFindsExplicitNullsAndOrderByKeyReordersRanges() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            db.put("users:1", "{\"city\":null,\"age\":50}");
            db.put("users:2", "{\"age\":10}"); // no city at all: not an explicit null
            db.put("users:3", user("Porto", 30));

            assertThat(keys(db.query(IndexQuery.eq("city", null)))).containsExactly("users:1");
            assertThat(keys(db.query(IndexQuery.range("age", null, null).orderByKey())))
                    .containsExactly("users:1", "users:2", "users:3");
            assertThat(keys(db.query(IndexQuery.range("age", null, null)))).containsExactly("users:2", "users:3", "users:1");
            QueryPage first = db.query(IndexQuery.range("age", null, null).orderByKey().limit(2));
            assertThatThrownBy(() -> db.query(IndexQuery.range("age", null, null).after(first.cursor())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another query");
            assertThat(keys(db.query(IndexQuery.range("age", null, null).orderByKey().after(first.cursor()))))
                    .containsExactly("users:3");
            assertThat(db.count(IndexQuery.range("age", 10, 30))).isEqualTo(2);
            assertThat(db.indexes().entryCount("age")).isEqualTo(3);
            assertThat(db.indexes().entryCount("city")).isEqualTo(2); // users:1's null and Porto
            db.put("users:4", user("Lisbon", 40, "a", "b", "c"));
            assertThat(db.indexes().entryCount("tags")).isEqualTo(3); // multi-valued: one per tag
            db.delete("users:4");
            assertThat(db.indexes().entryCount("tags")).isZero();
            assertThatThrownBy(() -> db.indexes().entryCount("nope")).isInstanceOf(NoSuchIndexException.class);
        }
    }

    @Test
    void overwritesMoveRecordsBetweenTermsAndDeletesRemoveThem() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            db.put("users:1", user("Porto", 25, "a"));
            db.put("users:1", user("Lisbon", 26, "b"));
            assertThat(keys(db.query(IndexQuery.eq("city", "Porto")))).isEmpty();
            assertThat(keys(db.query(IndexQuery.eq("city", "Lisbon")))).containsExactly("users:1");
            assertThat(keys(db.query(IndexQuery.eq("tags", "a")))).isEmpty();
            assertThat(keys(db.query(IndexQuery.range("age", 25, 25)))).isEmpty();
            db.write(new WriteBatch().put("users:2", user("Porto", 1)).delete("users:1").put("users:2", user("Faro", 2)));
            assertThat(keys(db.query(IndexQuery.eq("city", "Lisbon")))).isEmpty();
            assertThat(keys(db.query(IndexQuery.eq("city", "Porto")))).isEmpty();
            assertThat(keys(db.query(IndexQuery.eq("city", "Faro")))).containsExactly("users:2");
            assertThat(db.count(IndexQuery.range("age", null, null))).isEqualTo(1);
        }
    }

    @Test
    void indexesAndPostingsSurviveReopenAndStayOutOfScans() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            for (int i = 0; i < 500; i++) {
                db.put("users:" + i, user(i % 2 == 0 ? "Even" : "Odd", i));
            }
        }
        try (KvStore db = KvStore.open(dir, options)) {
            assertThat(db.indexes().list()).extracting(IndexDefinition::name)
                    .containsExactly("age", "bio", "city", "cityPrefix", "scores", "tags");
            assertThat(db.indexes().get("city")).contains(IndexDefinition.of("city", IndexType.EQUALITY,
                    Extractor.jsonPath("$.city")).withScopePrefix("users:"));
            assertThat(db.count(IndexQuery.eq("city", "Even"))).isEqualTo(250);
            db.put("users:0", user("Odd", 0));
            assertThat(db.count(IndexQuery.eq("city", "Odd"))).isEqualTo(251);
            db.flush();
            db.compact();
            assertThat(db.count(IndexQuery.eq("city", "Odd"))).isEqualTo(251);
            List<String> all = new ArrayList<>();
            try (KvIterator it = db.scan(KeyRange.all())) {
                it.forEachRemaining(e -> all.add(e.keyAsString()));
            }
            assertThat(all).hasSize(500).allMatch(k -> k.startsWith("users:"));
            assertThat(db.verify().ok()).isTrue();
        }
    }

    @Test
    void expiredRecordsLeaveTheirIndexesAtTheSameMoment() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            db.put("users:1".getBytes(StandardCharsets.UTF_8), user("Porto", 20).getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(10));
            db.put("users:2", user("Porto", 21));
            assertThat(db.count(IndexQuery.eq("city", "Porto"))).isEqualTo(2);
            clock.advance(Duration.ofSeconds(10));
            assertThat(keys(db.query(IndexQuery.eq("city", "Porto")))).containsExactly("users:2");
            assertThat(keys(db.query(IndexQuery.range("age", 0, 100)))).containsExactly("users:2");
            assertThat(db.count(IndexQuery.eq("city", "Porto"))).isEqualTo(1);
            // a new value for the expired key is indexed by itself
            db.put("users:1", user("Faro", 22));
            assertThat(keys(db.query(IndexQuery.eq("city", "Faro")))).containsExactly("users:1");
            assertThat(db.count(IndexQuery.eq("city", "Porto"))).isEqualTo(1);
        }
    }

    @Test
    void pagingWithTheCursorVisitsEveryRecordOnce() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            for (int i = 0; i < 300; i++) {
                db.put(String.format("users:%03d", i), user("C" + (i % 3), i % 50, "t" + (i % 7)));
            }
            for (IndexQuery q : List.of(IndexQuery.eq("city", "C1"), IndexQuery.range("age", 10, 20),
                    IndexQuery.range("age", 10, 20).descending(), IndexQuery.prefix("cityPrefix", "C"),
                    IndexQuery.eq("city", "C1").and(IndexQuery.range("age", 0, 30)),
                    IndexQuery.eq("tags", "t1").or(IndexQuery.eq("city", "C2")))) {
                List<String> all = keys(db.query(q.limit(1_000_000)));
                List<String> paged = new ArrayList<>();
                String cursor = null;
                do {
                    QueryPage page = db.query(q.limit(7).after(cursor));
                    assertThat(page.entries()).hasSizeLessThanOrEqualTo(7);
                    paged.addAll(keys(page));
                    cursor = page.cursor();
                } while (cursor != null);
                assertThat(paged).as("%s", q).isEqualTo(all).doesNotHaveDuplicates();
                assertThat(all).isNotEmpty();
                assertThat((long) all.size()).isEqualTo(db.count(q));
            }
        }
    }

    @Test
    void badQueriesFailWithMessagesThatNameTheProblem() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            db.put("users:1", user("Porto", 25));
            assertThatThrownBy(() -> db.query(IndexQuery.eq("nope", 1))).isInstanceOf(NoSuchIndexException.class)
                    .hasMessageContaining("no index named 'nope'").hasMessageContaining("city");
            assertThatThrownBy(() -> db.query(IndexQuery.range("city", "a", "b"))).hasMessageContaining("needs a RANGE index")
                    .hasMessageContaining("'city' is EQUALITY");
            assertThat(keys(db.query(IndexQuery.eq("city", "Porto").descending()))).containsExactly("users:1");
            assertThatThrownBy(() -> db.query(IndexQuery.range("age", 1, "x"))).hasMessageContaining("mixes kinds");
            String cursor = db.query(IndexQuery.range("age", 0, 100).limit(1)).cursor();
            assertThat(cursor).isNull();
            db.put("users:2", user("Porto", 26));
            cursor = db.query(IndexQuery.range("age", 0, 100).limit(1)).cursor();
            String c = cursor;
            assertThatThrownBy(() -> db.query(IndexQuery.eq("city", "Porto").after(c))).hasMessageContaining("another query");
            assertThatThrownBy(() -> db.query(IndexQuery.eq("city", "Porto").after("%%%"))).hasMessageContaining("not a cursor");
            assertThatThrownBy(() -> db.query(IndexQuery.eq("city", "Porto").maxPostingsScanned(1)))
                    .isInstanceOf(QueryLimitException.class).hasMessageContaining("maxPostingsScanned = 1");
            assertThat(db.query(IndexQuery.eq("city", "Porto").maxPostingsScanned(2)).entries()).hasSize(2);
            assertThatThrownBy(() -> db.query(IndexQuery.eq("city", "Porto").timeout(Duration.ofNanos(1))))
                    .isInstanceOf(QueryLimitException.class).hasMessageContaining("timeout of PT0.000000001S");
            assertThatThrownBy(() -> db.indexes().create(IndexDefinition.of("city", IndexType.RANGE, Extractor.jsonPath("$.city"))))
                    .hasMessageContaining("already exists");
            assertThatThrownBy(() -> IndexDefinition.of("bad name", IndexType.RANGE, Extractor.raw()))
                    .hasMessageContaining("' '");
        }
    }

    @Test
    void aValueAnIndexCannotReadIsRefusedAndNothingIsWritten() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            assertThatThrownBy(() -> db.put("users:1", "not json")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("users:1").hasMessageContaining("JSON");
            assertThat(db.get("users:1")).isNull();
            db.put("other:1", "not json"); // out of every index's scope
            assertThat(db.get("other:1")).isNotNull();
        }
    }

    @Test
    void dropRemovesTheIndexAndRebuildKeepsAnsweringTheSame() {
        try (KvStore db = KvStore.open(dir, options)) {
            createUserIndexes(db);
            for (int i = 0; i < 100; i++) {
                db.put("users:" + i, user("C" + (i % 4), i));
            }
            db.indexes().rebuild("city");
            assertThat(db.count(IndexQuery.eq("city", "C1"))).isEqualTo(25);
            db.indexes().drop("city");
            db.indexes().drop("city"); // absent: no error
            assertThatThrownBy(() -> db.query(IndexQuery.eq("city", "C1"))).isInstanceOf(NoSuchIndexException.class);
            db.put("users:1", user("C1", 1));
        }
        try (KvStore db = KvStore.open(dir, options)) {
            assertThat(db.indexes().get("city")).isEmpty();
            db.indexes().create(IndexDefinition.of("city", IndexType.EQUALITY, Extractor.jsonPath("$.city"))
                    .withScopePrefix("users:"));
            assertThat(db.count(IndexQuery.eq("city", "C1"))).isEqualTo(25);
        }
    }

    @Test
    void customExtractorMustBeSuppliedAfterReopenAndMissedWritesAreIndexedThen() {
        IndexDefinition byLength = IndexDefinition.of("len", IndexType.RANGE,
                Extractor.custom("valueLength", v -> List.of(v.length)));
        try (KvStore db = KvStore.open(dir, options)) {
            db.indexes().create(byLength);
            db.put("a", "xx");
            db.put("b", "xxx");
            assertThat(keys(db.query(IndexQuery.range("len", 3, null)))).containsExactly("b");
        }
        try (KvStore db = KvStore.open(dir, options)) {
            assertThatThrownBy(() -> db.query(IndexQuery.range("len", 3, null))).isInstanceOf(NoSuchIndexException.class)
                    .hasMessageContaining("valueLength");
            db.put("c", "xxxx"); // written while nobody can compute the index
            db.indexes().create(byLength);
            assertThat(keys(db.query(IndexQuery.range("len", 3, null)))).containsExactly("b", "c");
        }
    }

    @Test
    void createOnAStoreWithDataBuildsTheWholeIndex() {
        try (KvStore db = KvStore.open(dir, options.withMemtableSize(64 << 10))) {
            for (int i = 0; i < 5000; i++) {
                db.put(String.format("users:%05d", i), user("C" + (i % 10), i % 90));
            }
            db.put("zzz", "not json, out of scope");
            createUserIndexes(db);
            assertThat(db.count(IndexQuery.eq("city", "C3"))).isEqualTo(500);
            assertThat(db.count(IndexQuery.range("age", 0, 9))).isEqualTo(5000 / 90 * 10 + Math.min(10, 5000 % 90));
            assertThat(Set.copyOf(keys(db.query(IndexQuery.eq("city", "C3").limit(1000)))))
                    .allMatch(k -> Integer.parseInt(k.substring(6)) % 10 == 3);
        }
    }
}
