package io.kvstore.data.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.support.Stores;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;

/**
 * Every derived-query keyword, subject, return type and paging form against a brute-force model
 * of the same data (a {@code TreeMap} filtered and sorted in Java), over random data and random
 * arguments, with rounds of random updates, deletes and inserts in between. A failure prints the
 * seed; replay it with {@code -Dkvstore.seed=<seed>}.
 */
class DerivedQueryModelTest {

    static final long SEED = Long.getLong("kvstore.seed", System.nanoTime());
    static final String[] CITIES = {"Porto", "Lisbon", "Faro", "Braga", "Evora"};
    static final String[] TAGS = {"red", "green", "blue", "gold", "grey"};
    static final String[] WORDS = {"river", "bridge", "tower", "harbor", "market", "garden"};
    static final String[] NAMES = {"Ada", "Alan", "Anita", "Barbara", "Bob", "Grace", "Greg", "Linus"};
    static final String[] PREFIXES = {"A", "Al", "Gr", "B", "Li", "Z", "Ada"};
    static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");
    /** Ascending by age, then id: the order of a RANGE index (term, then primary key). */
    static final Comparator<Item> BY_AGE = Comparator.comparing((Item i) -> i.age).thenComparing(i -> i.id);

    @TempDir
    Path dir;
    Stores stores;
    ItemRepository repo;
    Random rnd;
    final Map<String, Item> model = new TreeMap<>();
    int nextId;

    @BeforeEach
    void fill() {
        rnd = new Random(SEED);
        stores = Stores.open(dir, Codec.JSON);
        repo = stores.repository(ItemRepository.class);
        for (int i = 0; i < 150; i++) {
            insert();
        }
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private void insert() {
        Item item = new Item();
        item.id = String.format("i%04d", nextId);
        item.code = "c" + nextId;
        nextId++;
        randomize(item);
        repo.save(item);
        model.put(item.id, item);
    }

    private void randomize(Item item) {
        item.name = pick(NAMES) + rnd.nextInt(100);
        item.city = pick(CITIES);
        item.age = rnd.nextInt(81);
        item.tags = new ArrayList<>(new HashSet<>(List.of(pick(TAGS), pick(TAGS))));
        item.active = rnd.nextBoolean();
        item.nickname = rnd.nextInt(10) < 3 ? null : "n" + rnd.nextInt(5);
        item.bio = pick(WORDS) + " " + pick(WORDS).toUpperCase(Locale.ROOT) + ", " + pick(WORDS);
        item.joined = EPOCH.plusSeconds(rnd.nextInt(100_000_000)).plusNanos(rnd.nextInt(1_000_000_000));
        item.address = rnd.nextInt(5) == 0 ? null : new Item.Address(pick(CITIES));
    }

    /** Updates, deletes and inserts at random, in the store and the model alike. */
    private void mutate() {
        List<String> ids = new ArrayList<>(model.keySet());
        for (int i = 0; i < 25; i++) {
            Item item = model.get(ids.get(rnd.nextInt(ids.size())));
            randomize(item);
            repo.save(item);
        }
        for (int i = 0; i < 10; i++) {
            String id = ids.get(rnd.nextInt(ids.size()));
            repo.deleteById(id);
            model.remove(id);
        }
        for (int i = 0; i < 10; i++) {
            insert();
        }
    }

    private String pick(String[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private List<String> expected(Predicate<Item> p) {
        return model.values().stream().filter(p).map(i -> i.id).toList();
    }

    private List<String> expectedSorted(Predicate<Item> p, Comparator<Item> order) {
        return model.values().stream().filter(p).sorted(order).map(i -> i.id).toList();
    }

    private static List<String> ids(Iterable<?> items) {
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(((Item) i).id));
        return ids;
    }

    private void same(String what, Iterable<Item> actual, Predicate<Item> p) {
        assertThat(ids(actual)).as("%s (seed %d)", what, SEED).containsExactlyInAnyOrderElementsOf(expected(p));
    }

    private void ordered(String what, Iterable<Item> actual, Predicate<Item> p, Comparator<Item> order) {
        assertThat(ids(actual)).as("%s (seed %d)", what, SEED).containsExactlyElementsOf(expectedSorted(p, order));
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")));
    }

    @Test
    void everyKeywordMatchesTheModelThroughRandomUpdates() {
        for (int round = 0; round < 3; round++) {
            for (int q = 0; q < 4; q++) {
                String city = pick(CITIES);
                same("Is " + city, repo.findByCity(city), i -> i.city.equals(city));
                same("Is (Is) " + city, repo.findByCityIs(city), i -> i.city.equals(city));
                same("Is (Equals) " + city, repo.findByCityEquals(city), i -> i.city.equals(city));
                Set<String> cities = new HashSet<>();
                for (int n = rnd.nextInt(4); n > 0; n--) {
                    cities.add(pick(CITIES));
                }
                same("In " + cities, repo.findByCityIn(cities), i -> cities.contains(i.city));
                int a = rnd.nextInt(81);
                int b = a + rnd.nextInt(20);
                same("Between " + a + " " + b + " (inclusive)", repo.findByAgeBetween(a, b), i -> i.age >= a && i.age <= b);
                same("GreaterThan " + a, repo.findByAgeGreaterThan(a), i -> i.age > a);
                same("GreaterThanEqual " + a, repo.findByAgeGreaterThanEqual(a), i -> i.age >= a);
                same("LessThan " + a, repo.findByAgeLessThan(a), i -> i.age < a);
                same("LessThanEqual " + a, repo.findByAgeLessThanEqual(a), i -> i.age <= a);
                Instant t = EPOCH.plusSeconds(rnd.nextInt(100_000_000)).plusNanos(rnd.nextInt(1_000_000_000));
                same("After " + t, repo.findByJoinedAfter(t), i -> i.joined.isAfter(t));
                same("Before " + t, repo.findByJoinedBefore(t), i -> i.joined.isBefore(t));
                String prefix = pick(PREFIXES);
                same("StartingWith " + prefix, repo.findByNameStartingWith(prefix), i -> i.name.startsWith(prefix));
                String tag = pick(TAGS);
                same("Containing (element) " + tag, repo.findByTagsContaining(tag), i -> i.tags.contains(tag));
                String word = pick(WORDS);
                String two = word + " " + pick(WORDS).toUpperCase(Locale.ROOT);
                same("Containing (word) " + word, repo.findByBioContaining(word), i -> words(i.bio).contains(word));
                same("Containing (words) " + two, repo.findByBioContaining(two),
                        i -> words(i.bio).containsAll(words(two)));
                same("And " + city + " " + a + ".." + b, repo.findByCityAndAgeBetween(city, a, b),
                        i -> i.city.equals(city) && i.age >= a && i.age <= b);
                same("And True " + city, repo.findByCityAndActiveTrue(city), i -> i.city.equals(city) && i.active);
                same("Or " + city + " " + tag, repo.findByCityOrTagsContaining(city, tag),
                        i -> i.city.equals(city) || i.tags.contains(tag));
                same("Or ranges " + a + " " + b, repo.findByAgeLessThanOrAgeGreaterThan(a, b), i -> i.age < a || i.age > b);
                same("nested " + city, repo.findByAddressCity(city), i -> i.address != null && i.address.city.equals(city));
            }
            same("True", repo.findByActiveTrue(), i -> i.active);
            same("False", repo.findByActiveFalse(), i -> !i.active);
            same("IsNull", repo.findByNicknameIsNull(), i -> i.nickname == null);
            mutate();
        }
    }

    @Test
    void subjectsCountExistStreamAndDeleteWhatTheModelHolds() {
        for (int round = 0; round < 2; round++) {
            for (String city : CITIES) {
                same("read " + city, repo.readByCity(city), i -> i.city.equals(city));
                same("get " + city, repo.getByCity(city), i -> i.city.equals(city));
                try (Stream<Item> s = repo.streamByCity(city)) {
                    same("stream " + city, s.toList(), i -> i.city.equals(city));
                }
                assertThat(repo.countByCity(city)).as("count %s (seed %d)", city, SEED).isEqualTo(expected(i -> i.city.equals(city)).size());
                assertThat(repo.existsByCity(city)).isEqualTo(!expected(i -> i.city.equals(city)).isEmpty());
            }
            int a = rnd.nextInt(60);
            assertThat(repo.countByAgeBetween(a, a + 10)).isEqualTo(expected(i -> i.age >= a && i.age <= a + 10).size());
            assertThat(repo.existsByCity("Nowhere")).isFalse();
            assertThat(repo.count()).isEqualTo(model.size());
            mutate();
        }
        String city = pick(CITIES);
        long n = expected(i -> i.city.equals(city)).size();
        assertThat(repo.deleteByCity(city)).isEqualTo(n);
        model.values().removeIf(i -> i.city.equals(city));
        String tag = pick(TAGS);
        List<String> removed = expected(i -> i.tags.contains(tag));
        assertThat(ids(repo.removeByTagsContaining(tag))).containsExactlyInAnyOrderElementsOf(removed);
        model.values().removeIf(i -> i.tags.contains(tag));
        assertThat(ids(repo.findAll())).containsExactlyElementsOf(model.keySet());
        assertThat(repo.countByCity(city)).isZero();
    }

    @Test
    void topFirstAndSingleResultsFollowTheOrder() {
        for (String city : CITIES) {
            Predicate<Item> inCity = i -> i.city.equals(city);
            assertThat(ids(repo.findTop3ByCityOrderByAgeAsc(city)))
                    .containsExactlyElementsOf(expectedSorted(inCity, BY_AGE).stream().limit(3).toList());
            List<String> desc = expectedSorted(inCity, BY_AGE.reversed());
            assertThat(repo.findFirstByCityOrderByAgeDesc(city).id).isEqualTo(desc.get(0));
        }
        assertThat(ids(repo.findFirst5ByAgeGreaterThanOrderByAgeDesc(40)))
                .containsExactlyElementsOf(expectedSorted(i -> i.age > 40, BY_AGE.reversed()).stream().limit(5).toList());
        Item one = model.values().iterator().next();
        assertThat(repo.findOneByCode(one.code)).map(i -> i.id).contains(one.id);
        assertThat(repo.findOneByCode("none")).isEmpty();
        assertThat(repo.findByCode(one.code).id).isEqualTo(one.id);
        assertThat(repo.findByCode("none")).isNull();
        assertThat(repo.findFirstByCityOrderByAgeDesc("Nowhere")).isNull();
    }

    @Test
    void aSingleResultMethodMatchingSeveralFails() {
        Item a = model.get("i0000");
        Item b = model.get("i0001");
        b.code = a.code;
        repo.save(b);
        assertThatThrownBy(() -> repo.findByCode(a.code)).isInstanceOf(IncorrectResultSizeDataAccessException.class)
                .hasMessageContaining("findByCode");
        assertThatThrownBy(() -> repo.findOneByCode(a.code)).isInstanceOf(IncorrectResultSizeDataAccessException.class);
    }

    @Test
    void orderByAndSortAreGlobalOrdersOnRangeIndexesOrTheId() {
        for (int round = 0; round < 2; round++) {
            for (String city : CITIES) {
                Predicate<Item> inCity = i -> i.city.equals(city);
                ordered("OrderByAge " + city, repo.findByCityOrderByAgeAsc(city), inCity, BY_AGE);
                ordered("OrderByAgeDesc " + city, repo.findByCityOrderByAgeDesc(city), inCity, BY_AGE.reversed());
                ordered("Sort age " + city, repo.findByCity(city, Sort.by("age")), inCity, BY_AGE);
                ordered("Sort age desc " + city, repo.findByCity(city, Sort.by(Sort.Direction.DESC, "age")), inCity,
                        BY_AGE.reversed());
                ordered("Sort age, id " + city, repo.findByCity(city, Sort.by("age", "id")), inCity, BY_AGE);
                ordered("Sort id desc " + city, repo.findByCity(city, Sort.by(Sort.Direction.DESC, "id")), inCity,
                        Comparator.comparing((Item i) -> i.id).reversed());
            }
            int a = rnd.nextInt(60);
            // A range condition comes in term order; OrderById must still be by id.
            ordered("range OrderById", repo.findByAgeGreaterThanOrderById(a), i -> i.age > a,
                    Comparator.comparing((Item i) -> i.id));
            ordered("range OrderByIdDesc", repo.findByAgeGreaterThanOrderByIdDesc(a), i -> i.age > a,
                    Comparator.comparing((Item i) -> i.id).reversed());
            String tag = pick(TAGS);
            ordered("OrderByJoinedDesc", repo.findByTagsContainingOrderByJoinedDesc(tag), i -> i.tags.contains(tag),
                    Comparator.comparing((Item i) -> i.joined).thenComparing(i -> i.id).reversed());
            ordered("findAll(Sort age)", repo.findAll(Sort.by("age")), i -> true, BY_AGE);
            ordered("findAll(Sort joined desc)", repo.findAll(Sort.by(Sort.Direction.DESC, "joined")), i -> true,
                    Comparator.comparing((Item i) -> i.joined).thenComparing(i -> i.id).reversed());
            ordered("findAll()", repo.findAll(), i -> true, Comparator.comparing((Item i) -> i.id));
            mutate();
        }
    }

    @Test
    void pagesSlicesAndLimitsAreGloballyOrdered() {
        String city = CITIES[0];
        Predicate<Item> inCity = i -> i.city.equals(city);
        List<String> all = expectedSorted(inCity, BY_AGE);
        List<String> seen = new ArrayList<>();
        Pageable pageable = PageRequest.of(0, 7, Sort.by("age"));
        Page<Item> page;
        do {
            page = repo.findByCity(city, pageable);
            assertThat(page.getTotalElements()).isEqualTo(all.size());
            assertThat(page.getTotalPages()).isEqualTo((all.size() + 6) / 7);
            seen.addAll(ids(page.getContent()));
            pageable = page.nextPageable();
        } while (page.hasNext());
        assertThat(seen).as("seed %d", SEED).containsExactlyElementsOf(all);

        List<String> sliced = new ArrayList<>();
        Slice<Item> slice = repo.findSliceByCity(city, PageRequest.of(0, 5, Sort.by(Sort.Direction.DESC, "age")));
        sliced.addAll(ids(slice.getContent()));
        while (slice.hasNext()) {
            slice = repo.findSliceByCity(city, slice.nextPageable());
            sliced.addAll(ids(slice.getContent()));
        }
        assertThat(sliced).containsExactlyElementsOf(expectedSorted(inCity, BY_AGE.reversed()));

        Page<Item> range = repo.findByAgeGreaterThanEqual(30, PageRequest.of(2, 10, Sort.by("age")));
        List<String> over30 = expectedSorted(i -> i.age >= 30, BY_AGE);
        assertThat(range.getTotalElements()).isEqualTo(over30.size());
        assertThat(ids(range.getContent())).containsExactlyElementsOf(over30.subList(20, Math.min(30, over30.size())));
        assertThat(repo.findByCity(city, Pageable.unpaged()).getContent()).hasSize(all.size());

        assertThat(ids(repo.findByCity(city, Limit.of(3))))
                .containsExactlyElementsOf(expectedSorted(inCity, Comparator.comparing((Item i) -> i.id)).subList(0, 3));
        assertThat(repo.findByCity(city, Limit.unlimited())).hasSize(all.size());

        Page<Item> findAll = repo.findAll(PageRequest.of(1, 40));
        assertThat(findAll.getTotalElements()).isEqualTo(model.size());
        assertThat(ids(findAll.getContent())).containsExactlyElementsOf(new ArrayList<>(model.keySet()).subList(40, 80));
        Page<Item> byAge = repo.findAll(PageRequest.of(3, 25, Sort.by("age")));
        assertThat(ids(byAge.getContent())).containsExactlyElementsOf(expectedSorted(i -> true, BY_AGE).subList(75, 100));
    }

    @Test
    void windowsScrollThroughTheWholeResult() {
        List<String> all = expectedSorted(i -> i.age >= 20, BY_AGE);
        for (ScrollPosition start : List.of(ScrollPosition.keyset(), ScrollPosition.offset())) {
            List<String> seen = new ArrayList<>();
            Window<Item> w = repo.findByAgeGreaterThanEqualOrderByAge(20, start, Limit.of(6));
            seen.addAll(ids(w.getContent()));
            while (w.hasNext()) {
                w = repo.findByAgeGreaterThanEqualOrderByAge(20, w.positionAt(w.size() - 1), Limit.of(6));
                seen.addAll(ids(w.getContent()));
            }
            assertThat(seen).as("%s (seed %d)", start, SEED).containsExactlyElementsOf(all);
        }
        // Resuming from the middle of a window: right after that entity.
        Window<Item> first = repo.findByAgeGreaterThanEqualOrderByAge(20, ScrollPosition.keyset(), Limit.of(6));
        Window<Item> fromThird = repo.findByAgeGreaterThanEqualOrderByAge(20, first.positionAt(2), Limit.of(6));
        assertThat(ids(fromThird.getContent())).containsExactlyElementsOf(all.subList(3, 9));
        // Top/First gives the window size.
        String city = CITIES[1];
        List<String> byId = expected(i -> i.city.equals(city));
        List<String> seen = new ArrayList<>();
        Window<Item> w = repo.findFirst4ByCityOrderById(city, ScrollPosition.keyset());
        seen.addAll(ids(w.getContent()));
        while (w.hasNext()) {
            assertThat(w.size()).isEqualTo(4);
            w = repo.findFirst4ByCityOrderById(city, w.positionAt(w.size() - 1));
            seen.addAll(ids(w.getContent()));
        }
        assertThat(seen).containsExactlyElementsOf(byId);
    }

    @Test
    void interfaceAndDtoProjectionsCarryTheProjectedProperties() {
        String city = CITIES[2];
        List<Item> expected = model.values().stream().filter(i -> i.city.equals(city)).toList();
        assertThat(repo.findNamesByCity(city)).extracting(ItemRepository.NameOnly::getName)
                .containsExactlyElementsOf(expected.stream().map(i -> i.name).toList());
        assertThat(repo.findNameAndAgeByCity(city)).containsExactlyElementsOf(
                expected.stream().map(i -> new ItemRepository.NameAndAge(i.name, i.age)).toList());
        List<ItemRepository.NameAndAge> dynamic = repo.findByCityOrderByAge(city, ItemRepository.NameAndAge.class);
        assertThat(dynamic).containsExactlyElementsOf(expected.stream().sorted(BY_AGE)
                .map(i -> new ItemRepository.NameAndAge(i.name, i.age)).toList());
        assertThat(repo.findByCityOrderByAge(city, ItemRepository.NameOnly.class)).hasSize(expected.size());
    }

    @Test
    void anEmptyInMatchesNothing() {
        assertThat(repo.findByCityIn(List.of())).isEmpty();
        Collection<String> none = Set.of();
        assertThat(repo.findByCityIn(none)).isEmpty();
    }
}
