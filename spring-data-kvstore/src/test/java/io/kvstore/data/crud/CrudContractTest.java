package io.kvstore.data.crud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.model.Item;
import io.kvstore.data.model.ItemRepository;
import io.kvstore.data.support.Stores;
import io.kvstore.engine.OperationListener;
import io.kvstore.engine.StoreClosedException;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/** What Spring Data's CrudRepository and PagingAndSortingRepository documentation promises. */
class CrudContractTest {

    @TempDir
    Path dir;
    Stores stores;
    ItemRepository items;
    final Map<OperationListener.Operation, AtomicLong> operations = new ConcurrentHashMap<>();

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON,
                (op, nanos, failure) -> operations.computeIfAbsent(op, o -> new AtomicLong()).incrementAndGet());
        items = stores.repository(ItemRepository.class);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    static Item item(int i) {
        Item item = new Item();
        item.id = String.format("i%03d", i);
        item.code = "c" + i;
        item.name = "N" + i;
        item.city = i % 2 == 0 ? "Porto" : "Faro";
        item.age = 100 - i;
        item.active = true;
        item.bio = "b";
        return item;
    }

    private long count(OperationListener.Operation op) {
        return operations.getOrDefault(op, new AtomicLong()).get();
    }

    @Test
    void saveReturnsTheSavedEntityAndSaveAllAllOfThemInOrder() {
        Item one = item(1);
        assertThat(items.save(one)).isSameAs(one);
        List<Item> many = List.of(item(3), item(2));
        assertThat(items.saveAll(many)).containsExactlyElementsOf(many);
        assertThat(items.findById("i002")).map(i -> i.name).contains("N2");
        assertThat(items.existsById("i003")).isTrue();
        assertThat(items.count()).isEqualTo(3);
    }

    @Test
    void findingOrDeletingAMissingIdIsANoOp() {
        items.save(item(1));
        assertThat(items.findById("nope")).isEmpty();
        assertThat(items.existsById("nope")).isFalse();
        items.deleteById("nope");
        items.delete(item(9));
        items.deleteAllById(List.of("nope", "i001"));
        assertThat(items.count()).isZero();
        items.deleteAll(List.of(item(7)));
    }

    @Test
    void findAllByIdIsOneMultiGetSkippingMissingIds() {
        IntStream.range(0, 50).forEach(i -> items.save(item(i)));
        long gets = count(OperationListener.Operation.GET);
        long scans = count(OperationListener.Operation.SCAN);
        long queries = count(OperationListener.Operation.QUERY);
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 60).forEach(i -> ids.add(String.format("i%03d", 59 - i)));
        assertThat(items.findAllById(ids)).extracting(i -> i.id)
                .containsExactlyElementsOf(ids.stream().filter(id -> id.compareTo("i050") < 0).toList());
        // getAll is one read at one point in time, reported as one GET: never one per id.
        assertThat(count(OperationListener.Operation.GET) - gets).as("gets for 60 ids").isEqualTo(1);
        assertThat(count(OperationListener.Operation.SCAN)).isEqualTo(scans);
        assertThat(count(OperationListener.Operation.QUERY)).isEqualTo(queries);
        assertThat(items.findAllById(List.of())).isEmpty();
    }

    @Test
    void findAllPagesCarryTotalsAndCoverEveryEntityOnce() {
        IntStream.range(0, 23).forEach(i -> items.save(item(i)));
        Page<Item> first = items.findAll(PageRequest.of(0, 10));
        assertThat(first.getTotalElements()).isEqualTo(23);
        assertThat(first.getTotalPages()).isEqualTo(3);
        assertThat(first.getContent()).extracting(i -> i.id).startsWith("i000", "i001");
        List<String> seen = new ArrayList<>();
        Pageable p = PageRequest.of(0, 10);
        Page<Item> page;
        do {
            page = items.findAll(p);
            seen.addAll(page.getContent().stream().map(i -> i.id).toList());
            p = page.nextPageable();
        } while (page.hasNext());
        assertThat(seen).hasSize(23).doesNotHaveDuplicates().isSorted();
        assertThat(page.getNumberOfElements()).isEqualTo(3);
        Page<Item> beyond = items.findAll(PageRequest.of(5, 10));
        assertThat(beyond.getContent()).isEmpty();
        assertThat(beyond.getTotalElements()).isEqualTo(23);
        assertThat(items.findAll(Pageable.unpaged()).getContent()).hasSize(23);
        Page<Item> byAge = items.findAll(PageRequest.of(1, 5, Sort.by(Sort.Direction.DESC, "age")));
        assertThat(byAge.getContent()).extracting(i -> i.age).containsExactly(95, 94, 93, 92, 91);
        assertThat(byAge.getTotalElements()).isEqualTo(23);
    }

    @Test
    void findAllSortsByARangeIndexOrTheIdAndRefusesTheRest() {
        IntStream.range(0, 5).forEach(i -> items.save(item(i)));
        assertThat(items.findAll(Sort.by("age"))).extracting(i -> i.age).containsExactly(96, 97, 98, 99, 100);
        assertThat(items.findAll(Sort.by("id"))).extracting(i -> i.id).containsExactly("i000", "i001", "i002", "i003", "i004");
        assertThatThrownBy(() -> items.findAll(Sort.by(Sort.Direction.DESC, "id")))
                .isInstanceOf(InvalidDataAccessApiUsageException.class).hasMessageContaining("descending id order");
        assertThatThrownBy(() -> items.findAll(Sort.by("note"))).isInstanceOf(InvalidDataAccessApiUsageException.class)
                .hasMessageContaining("'note'");
        assertThatThrownBy(() -> items.findAll(Sort.by("age").and(Sort.by("joined"))))
                .isInstanceOf(InvalidDataAccessApiUsageException.class).hasMessageContaining("only one sort property");
    }

    @Test
    void aStreamIsLazyReadingOnePageOfTheIndexAtATime() {
        IntStream.range(0, 1200).forEach(i -> items.save(item(i)));
        long queries = count(OperationListener.Operation.QUERY);
        try (Stream<Item> porto = items.streamByCity("Porto")) {
            assertThat(porto.limit(3)).extracting(i -> i.id).containsExactly("i000", "i002", "i004");
        }
        assertThat(count(OperationListener.Operation.QUERY) - queries).isEqualTo(1);
        try (Stream<Item> porto = items.streamByCity("Porto")) {
            assertThat(porto.count()).isEqualTo(600);
        }
    }

    @Test
    void engineFailuresReachTheCallerAsDataAccessExceptions() {
        items.save(item(1));
        stores.store.close();
        assertThatThrownBy(() -> items.findById("i001")).isInstanceOf(DataAccessResourceFailureException.class)
                .hasCauseInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> items.findByCity("Faro")).isInstanceOf(DataAccessResourceFailureException.class);
        assertThatThrownBy(() -> items.save(item(2))).isInstanceOf(DataAccessResourceFailureException.class);
        assertThatThrownBy(() -> items.findAllById(List.of("i001"))).isInstanceOf(DataAccessResourceFailureException.class);
    }

    @Test
    void deleteAllRemovesTheEntitiesAndTheirIndexEntriesButNothingElse() {
        IntStream.range(0, 1200).forEach(i -> items.save(item(i)));
        stores.store.put("other:1", "{\"x\":1}");
        items.deleteAll();
        assertThat(items.count()).isZero();
        assertThat(items.findByCity("Porto")).isEmpty();
        assertThat(items.countByCity("Porto")).isZero();
        assertThat(stores.store.get("other:1")).isNotNull();
        items.save(item(1));
        assertThat(items.findAll()).hasSize(1);
    }
}
