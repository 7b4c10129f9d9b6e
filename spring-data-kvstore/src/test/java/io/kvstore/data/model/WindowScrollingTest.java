package io.kvstore.data.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.support.Stores;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;

/** Keyset windows scrolled forward while other writers insert and delete. */
class WindowScrollingTest {

    static final long SEED = Long.getLong("kvstore.seed", System.nanoTime());

    @TempDir
    Path dir;
    Stores stores;
    ItemRepository repo;

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON);
        repo = stores.repository(ItemRepository.class);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private Item item(String id, int age) {
        Item i = new Item();
        i.id = id;
        i.code = id;
        i.name = "N" + id;
        i.city = "Porto";
        i.age = age;
        i.active = true;
        i.bio = "x";
        return repo.save(i);
    }

    private static List<String> ids(Window<Item> w) {
        return w.getContent().stream().map(i -> i.id).toList();
    }

    @Test
    void scrollingToTheEndUnderConcurrentInsertsNeitherRepeatsNorSkipsAnUnchangedEntity() throws Exception {
        Random rnd = new Random(SEED);
        Set<String> before = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            before.add(item(String.format("a%04d", i), rnd.nextInt(100)).id);
        }
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            Random w = new Random(SEED + 1);
            int n = 0;
            while (!done.get() && n < 20_000) {
                item(String.format("b%05d", n++), w.nextInt(100));
            }
            return n;
        });
        List<String> seen = new ArrayList<>();
        Window<Item> w = repo.findByAgeGreaterThanEqualOrderByAge(0, ScrollPosition.keyset(), Limit.of(7));
        seen.addAll(ids(w));
        while (w.hasNext()) {
            w = repo.findByAgeGreaterThanEqualOrderByAge(0, w.positionAt(w.size() - 1), Limit.of(7));
            seen.addAll(ids(w));
        }
        done.set(true);
        int inserted = writer.get();
        assertThat(inserted).isPositive();
        assertThat(new HashSet<>(seen)).as("no duplicates (seed %d)", SEED).hasSameSizeAs(seen);
        assertThat(seen).as("every entity that was there all along (seed %d)", SEED).containsAll(before);
    }

    @Test
    void entitiesInsertedBeforeThePositionAreNotSeenAndThoseAfterItAre() {
        for (int i = 0; i < 10; i++) {
            item("e" + i, 10 * i);
        }
        Window<Item> first = repo.findByAgeGreaterThanEqualOrderByAge(0, ScrollPosition.keyset(), Limit.of(4));
        assertThat(ids(first)).containsExactly("e0", "e1", "e2", "e3");
        item("early", 5);
        item("late", 45);
        Window<Item> second = repo.findByAgeGreaterThanEqualOrderByAge(0, first.positionAt(3), Limit.of(4));
        assertThat(ids(second)).containsExactly("e4", "late", "e5", "e6");
        // From the middle of a window (an anchored position): right after that entity.
        Window<Item> fromMiddle = repo.findByAgeGreaterThanEqualOrderByAge(0, first.positionAt(1), Limit.of(3));
        assertThat(ids(fromMiddle)).containsExactly("e2", "e3", "e4");
        item("between", 25);
        Window<Item> again = repo.findByAgeGreaterThanEqualOrderByAge(0, first.positionAt(1), Limit.of(3));
        assertThat(ids(again)).containsExactly("e2", "between", "e3");
    }

    @Test
    void aDeletedAnchorResumesRightWhereItWas() {
        for (int i = 0; i < 10; i++) {
            item("e" + i, 10 * i);
        }
        Window<Item> first = repo.findByAgeGreaterThanEqualOrderByAge(0, ScrollPosition.keyset(), Limit.of(4));
        ScrollPosition afterE1 = first.positionAt(1);
        repo.deleteById("e1");
        assertThat(ids(repo.findByAgeGreaterThanEqualOrderByAge(0, afterE1, Limit.of(3)))).containsExactly("e2", "e3", "e4");
        ScrollPosition afterE3 = first.positionAt(3);
        repo.deleteById("e3");
        assertThat(ids(repo.findByAgeGreaterThanEqualOrderByAge(0, afterE3, Limit.of(3)))).containsExactly("e4", "e5", "e6");
    }

    @Test
    void theLastWindowSaysThereIsNoNextOne() {
        for (int i = 0; i < 8; i++) {
            item("e" + i, i);
        }
        Window<Item> w = repo.findByAgeGreaterThanEqualOrderByAge(0, ScrollPosition.keyset(), Limit.of(4));
        assertThat(w.hasNext()).isTrue();
        w = repo.findByAgeGreaterThanEqualOrderByAge(0, w.positionAt(3), Limit.of(4));
        assertThat(ids(w)).containsExactly("e4", "e5", "e6", "e7");
        assertThat(w.hasNext()).isFalse();
        item("e8", 8);
        // The end of a window without a next one is still a position: newer entities come after it.
        assertThat(ids(repo.findByAgeGreaterThanEqualOrderByAge(0, w.positionAt(3), Limit.of(4)))).containsExactly("e8");
    }

    @Test
    void foreignOrBackwardPositionsAreRefusedWithAReason() {
        item("e0", 1);
        assertThatThrownBy(() -> repo.findByAgeGreaterThanEqualOrderByAge(0, ScrollPosition.forward(Map.of("age", 3)),
                Limit.of(2))).isInstanceOf(InvalidDataAccessApiUsageException.class).hasMessageContaining("kvstore.cursor");
        Window<Item> w = repo.findByAgeGreaterThanEqualOrderByAge(0, ScrollPosition.keyset(), Limit.of(2));
        assertThatThrownBy(() -> repo.findByAgeGreaterThanEqualOrderByAge(0,
                ScrollPosition.backward(Map.of("kvstore.cursor", "")), Limit.of(2)))
                .hasMessageContaining("backward keyset scrolling is not supported");
        assertThat(ids(w)).containsExactly("e0");
    }
}
