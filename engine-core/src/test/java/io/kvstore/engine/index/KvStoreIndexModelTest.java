package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.ManualClock;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random puts, overwrites that change terms, deletes, expiries and reopens; after each round,
 * every query form, paged with random limits, against a brute-force filter of a model.
 */
class KvStoreIndexModelTest {

    private static final String[] CITIES = {"Porto", "PortoAlegre", "Lisbon", "Lima", "Faro", "Paris"};
    private static final String[] TAGS = {"red", "green", "blue", "black"};
    private static final String[] WORDS = {"quick", "brown", "fox", "lazy", "dog", "jumps"};

    /** A model user. */
    record User(String city, Number age, List<String> tags, String bio, List<Integer> scores, long expiresAt) {
        String json() {
            StringBuilder t = new StringBuilder();
            for (String tag : tags) {
                t.append(t.length() == 0 ? "" : ",").append('"').append(tag).append('"');
            }
            return "{\"city\":\"" + city + "\",\"age\":" + age + ",\"tags\":[" + t + "],\"bio\":\"" + bio
                    + "\",\"scores\":" + scores + "}";
        }

        double ageValue() {
            return age.doubleValue();
        }

        boolean hasWords(List<String> words) {
            List<String> mine = IndexQuery.tokenize(bio);
            return mine.containsAll(words);
        }
    }

    /** A query and the model predicate it must agree with, plus how its results are ordered. */
    record Case(IndexQuery query, Predicate<User> filter, Comparator<Map.Entry<String, User>> order) {
    }

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void queriesAgreeWithABruteForceFilterOfTheModel(long seed) {
        Random rnd = new Random(seed);
        KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE)
                .withMemtableSize(64 << 10).withClock(clock);
        TreeMap<String, User> model = new TreeMap<>();
        KvStore db = KvStore.open(dir, options);
        try {
            for (int round = 0; round < 6; round++) {
                if (round == 1) {
                    KvStoreIndexTest.createUserIndexes(db); // builds over what round 0 wrote
                }
                for (int i = 0; i < 400; i++) {
                    mutate(db, model, rnd);
                }
                if (rnd.nextInt(3) == 0) {
                    clock.advance(Duration.ofMillis(rnd.nextInt(20_000))); // some records expire
                }
                if (round >= 1) {
                    check(db, model, rnd);
                }
                if (round % 2 == 1) {
                    db.close();
                    db = KvStore.open(dir, options);
                    if (round >= 1) {
                        check(db, model, rnd);
                    }
                }
            }
        } finally {
            db.close();
        }
    }

    private void mutate(KvStore db, TreeMap<String, User> model, Random rnd) {
        String key = String.format("users:%03d", rnd.nextInt(250));
        int op = rnd.nextInt(10);
        if (op == 0) {
            db.delete(key);
            model.remove(key);
            return;
        }
        List<String> tags = new ArrayList<>();
        for (String t : TAGS) {
            if (rnd.nextInt(3) == 0) {
                tags.add(t);
            }
        }
        StringBuilder bio = new StringBuilder();
        for (int w = 0; w < 3; w++) {
            String word = WORDS[rnd.nextInt(WORDS.length)];
            bio.append(w == 0 ? "" : " ").append(rnd.nextBoolean() ? word.toUpperCase(Locale.ROOT) : word);
        }
        Number age = rnd.nextInt(4) == 0 ? (Number) (rnd.nextInt(80) + 0.5) : (Number) (long) rnd.nextInt(80);
        boolean ttl = rnd.nextInt(5) == 0;
        long expiresAt = ttl ? clock.millis() + 1 + rnd.nextInt(15_000) : 0;
        List<Integer> scores = new ArrayList<>();
        for (int n = rnd.nextInt(4); n > 0; n--) {
            scores.add(rnd.nextInt(100));
        }
        User u = new User(CITIES[rnd.nextInt(CITIES.length)], age, tags, bio.toString(), scores, expiresAt);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = u.json().getBytes(StandardCharsets.UTF_8);
        if (ttl) {
            db.put(k, v, Duration.ofMillis(expiresAt - clock.millis()));
        } else if (op == 1) {
            db.write(new WriteBatch().put(k, v).put("other:" + key, "not indexed"));
        } else {
            db.put(k, v);
        }
        model.put(key, u);
    }

    private void check(KvStore db, TreeMap<String, User> model, Random rnd) {
        TreeMap<String, User> live = new TreeMap<>();
        model.forEach((k, u) -> {
            if (u.expiresAt == 0 || u.expiresAt > clock.millis()) {
                live.put(k, u);
            }
        });
        Comparator<Map.Entry<String, User>> byKey = Map.Entry.comparingByKey();
        Comparator<Map.Entry<String, User>> byAge = Comparator.<Map.Entry<String, User>>comparingDouble(e -> e.getValue().ageValue())
                .thenComparing(byKey);
        String city = CITIES[rnd.nextInt(CITIES.length)];
        String city2 = CITIES[rnd.nextInt(CITIES.length)];
        String tag = TAGS[rnd.nextInt(TAGS.length)];
        String word = WORDS[rnd.nextInt(WORDS.length)];
        String word2 = WORDS[rnd.nextInt(WORDS.length)];
        int lo = rnd.nextInt(60);
        int hi = lo + rnd.nextInt(30);
        int slo = rnd.nextInt(70);
        int shi = slo + rnd.nextInt(40);
        Predicate<User> scoreIn = u -> u.scores.stream().anyMatch(x -> x >= slo && x <= shi);
        // A record with several scores in the range is listed once, at its smallest (largest) one.
        Comparator<Map.Entry<String, User>> byFirstScore = Comparator.<Map.Entry<String, User>>comparingInt(
                e -> e.getValue().scores.stream().filter(x -> x >= slo && x <= shi).min(Integer::compare).orElseThrow())
                .thenComparing(byKey);
        Comparator<Map.Entry<String, User>> byLastScore = Comparator.<Map.Entry<String, User>>comparingInt(
                e -> e.getValue().scores.stream().filter(x -> x >= slo && x <= shi).max(Integer::compare).orElseThrow())
                .thenComparing(byKey).reversed();
        List<Case> cases = List.of(
                new Case(IndexQuery.range("scores", slo, shi), scoreIn, byFirstScore),
                new Case(IndexQuery.range("scores", slo, shi).descending(), scoreIn, byLastScore),
                new Case(IndexQuery.range("scores", slo, shi).and(IndexQuery.eq("city", city)),
                        scoreIn.and(u -> u.city.equals(city)), byFirstScore),
                new Case(IndexQuery.eq("city", city), u -> u.city.equals(city), byKey),
                new Case(IndexQuery.in("city", city, city2), u -> u.city.equals(city) || u.city.equals(city2), byKey),
                new Case(IndexQuery.range("age", lo, hi), u -> u.ageValue() >= lo && u.ageValue() <= hi, byAge),
                new Case(IndexQuery.range("age", lo, hi).descending(), u -> u.ageValue() >= lo && u.ageValue() <= hi, byAge.reversed()),
                new Case(IndexQuery.range("age", lo, hi).orderByKey(), u -> u.ageValue() >= lo && u.ageValue() <= hi, byKey),
                new Case(IndexQuery.range("age", lo, hi).orderByKey().descending(),
                        u -> u.ageValue() >= lo && u.ageValue() <= hi, byKey.reversed()),
                new Case(IndexQuery.range("scores", slo, shi).and(IndexQuery.eq("city", city)).orderByKey(),
                        scoreIn.and(u -> u.city.equals(city)), byKey),
                new Case(IndexQuery.gt("age", lo), u -> u.ageValue() > lo, byAge),
                new Case(IndexQuery.lt("age", hi + 0.5), u -> u.ageValue() < hi + 0.5, byAge),
                new Case(IndexQuery.prefix("cityPrefix", city.substring(0, 2)), u -> u.city.startsWith(city.substring(0, 2)), byKey),
                new Case(IndexQuery.eq("tags", tag), u -> u.tags.contains(tag), byKey),
                new Case(IndexQuery.text("bio", word + " " + word2), u -> u.hasWords(List.of(word, word2)), byKey),
                new Case(IndexQuery.eq("city", city).and(IndexQuery.eq("tags", tag)),
                        u -> u.city.equals(city) && u.tags.contains(tag), byKey),
                new Case(IndexQuery.eq("city", city).and(IndexQuery.range("age", lo, hi)),
                        u -> u.city.equals(city) && u.ageValue() >= lo && u.ageValue() <= hi, byAge),
                new Case(IndexQuery.range("age", lo, hi).and(IndexQuery.eq("tags", tag)).descending(),
                        u -> u.tags.contains(tag) && u.ageValue() >= lo && u.ageValue() <= hi, byAge.reversed()),
                new Case(IndexQuery.eq("city", city).or(IndexQuery.eq("tags", tag)),
                        u -> u.city.equals(city) || u.tags.contains(tag), byKey),
                new Case(IndexQuery.eq("city", city).or(IndexQuery.eq("tags", tag)).descending(),
                        u -> u.city.equals(city) || u.tags.contains(tag), byKey.reversed()),
                new Case(IndexQuery.eq("city", city).or(IndexQuery.range("age", lo, hi).and(IndexQuery.text("bio", word))),
                        u -> u.city.equals(city) || (u.ageValue() >= lo && u.ageValue() <= hi && u.hasWords(List.of(word))), byKey));
        for (Case c : cases) {
            List<String> expected = live.entrySet().stream().filter(e -> c.filter.test(e.getValue()))
                    .sorted(c.order).map(Map.Entry::getKey).toList();
            List<String> got = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                QueryPage page = db.query(c.query.limit(1 + rnd.nextInt(40)).after(cursor));
                for (KvEntry e : page.entries()) {
                    got.add(e.keyAsString());
                    assertThat(e.valueAsString()).isEqualTo(live.get(e.keyAsString()).json());
                }
                cursor = page.cursor();
                assertThat(++pages).isLessThan(1000);
            } while (cursor != null);
            assertThat(got).as("%s", c.query).isEqualTo(expected);
            assertThat(db.count(c.query)).as("count of %s", c.query).isEqualTo(expected.size());
        }
    }
}
