package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.WriteBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers racing each other and index builds: the postings must always describe the stored values exactly. */
class KvStoreIndexConcurrencyTest {

    private static final Pattern COLOR = Pattern.compile("\"color\":\"([a-z]+)\"");
    private static final String[] COLORS = {"red", "green", "blue", "cyan", "pink"};

    @TempDir
    Path dir;

    private final KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE)
            .withMemtableSize(128 << 10);

    private static IndexDefinition colorIndex() {
        return IndexDefinition.of("color", IndexType.EQUALITY, Extractor.jsonPath("$.color")).withScopePrefix("k:");
    }

    /**
     * The same index with a deliberately slow extractor: while the commit leader computes one
     * writer's postings the others queue up, so groups hold several writers of the same keys.
     */
    private static IndexDefinition slowColorIndex() {
        return IndexDefinition.of("color", IndexType.EQUALITY, Extractor.custom("slowColor", v -> {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            Matcher m = COLOR.matcher(new String(v, java.nio.charset.StandardCharsets.UTF_8));
            return m.find() ? List.of(m.group(1)) : List.of();
        })).withScopePrefix("k:");
    }

    private static String value(String color, int n) {
        return "{\"color\":\"" + color + "\",\"n\":" + n + "}";
    }

    /** Every color's query results equal the keys whose stored value has that color, and nothing else. */
    private static void assertIndexMatchesStore(KvStore db) {
        Map<String, List<String>> expected = new HashMap<>();
        try (KvIterator it = db.scan(KeyRange.prefix("k:"))) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                Matcher m = COLOR.matcher(e.valueAsString());
                assertThat(m.find()).isTrue();
                expected.computeIfAbsent(m.group(1), c -> new ArrayList<>()).add(e.keyAsString());
            }
        }
        for (String color : COLORS) {
            List<String> got = new ArrayList<>();
            String cursor = null;
            do {
                QueryPage page = db.query(IndexQuery.eq("color", color).limit(500).after(cursor));
                page.entries().forEach(e -> {
                    assertThat(e.valueAsString()).as("a record the query returns matches it").contains("\"" + color + "\"");
                    got.add(e.keyAsString());
                });
                cursor = page.cursor();
            } while (cursor != null);
            assertThat(got).as("records of color %s", color).isEqualTo(expected.getOrDefault(color, List.of()));
            assertThat(db.count(IndexQuery.eq("color", color))).isEqualTo(got.size());
        }
    }

    @Test
    void concurrentWritersToTheSameKeysNeverLeaveAStalePosting() throws Exception {
        try (KvStore db = KvStore.open(dir, options)) {
            db.indexes().create(slowColorIndex());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 1500; i++) {
                        String key = "k:" + rnd.nextInt(20); // few keys: constant collisions
                        String color = COLORS[rnd.nextInt(COLORS.length)];
                        switch (rnd.nextInt(4)) {
                            case 0 -> db.delete(key);
                            case 1 -> db.write(new WriteBatch().put(key, value(color, i))
                                    .put("k:" + rnd.nextInt(20), value(COLORS[rnd.nextInt(COLORS.length)], i)));
                            default -> db.put(key, value(color, i));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertIndexMatchesStore(db);
        }
    }

    @Test
    void createBackfillsWhileWritesGoOn() throws Exception {
        try (KvStore db = KvStore.open(dir, options)) {
            for (int i = 0; i < 20_000; i++) {
                db.put(String.format("k:%05d", i), value(COLORS[i % COLORS.length], i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<Integer>> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int seed = t;
                writers.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    int n = 0;
                    while (!stop.get() || n < 500) {
                        String key = String.format("k:%05d", rnd.nextInt(25_000)); // existing and new keys
                        if (rnd.nextInt(5) == 0) {
                            db.delete(key);
                        } else {
                            db.put(key, value(COLORS[rnd.nextInt(COLORS.length)], n));
                        }
                        n++;
                    }
                    return n;
                }));
            }
            db.indexes().create(colorIndex());
            stop.set(true);
            int written = 0;
            for (Future<Integer> f : writers) {
                written += f.get();
            }
            pool.shutdown();
            assertThat(written).isGreaterThanOrEqualTo(1000);
            assertIndexMatchesStore(db);
        }
    }

    @Test
    void pagingNeitherRepeatsNorSkipsUnchangedRecordsWhileOthersChange() throws Exception {
        try (KvStore db = KvStore.open(dir, options)) {
            db.indexes().create(colorIndex());
            db.indexes().create(IndexDefinition.of("n", IndexType.RANGE, Extractor.jsonPath("$.n")).withScopePrefix("k:"));
            // Stable records: even keys, never touched again. Odd keys churn while we page.
            List<String> stableRed = new ArrayList<>();
            List<String> stableInRange = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                String key = String.format("k:%05d", i);
                db.put(key, value(COLORS[i % COLORS.length], i % 1000));
                if (i % 2 == 0 && i % COLORS.length == 0) {
                    stableRed.add(key);
                }
                if (i % 2 == 0 && i % 1000 >= 200 && i % 1000 <= 700) {
                    stableInRange.add(key);
                }
            }
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> churn = pool.submit(() -> {
                Random rnd = new Random(5);
                while (!stop.get()) {
                    int i = 2 * rnd.nextInt(2000) + 1;
                    String key = String.format("k:%05d", i);
                    if (rnd.nextInt(4) == 0) {
                        db.delete(key);
                    } else {
                        db.put(key, value(COLORS[rnd.nextInt(COLORS.length)], rnd.nextInt(1000)));
                    }
                }
                return null;
            });
            try {
                for (IndexQuery q : List.of(IndexQuery.eq("color", "red"), IndexQuery.range("n", 200, 700),
                        IndexQuery.range("n", 200, 700).descending())) {
                    List<String> seen = new ArrayList<>();
                    String cursor = null;
                    do {
                        QueryPage page = db.query(q.limit(13).after(cursor));
                        page.entries().forEach(e -> seen.add(e.keyAsString()));
                        cursor = page.cursor();
                    } while (cursor != null);
                    List<String> stable = q.toString().startsWith("color") ? stableRed : stableInRange;
                    // Each unchanged record exactly once; a record that changed may show at its old and new place.
                    for (String key : stable) {
                        assertThat(seen.stream().filter(key::equals).count()).as("%s in %s", key, q).isEqualTo(1);
                    }
                }
            } finally {
                stop.set(true);
                churn.get();
                pool.shutdown();
            }
        }
    }
}
