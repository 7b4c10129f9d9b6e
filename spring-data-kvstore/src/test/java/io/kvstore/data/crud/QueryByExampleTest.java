package io.kvstore.data.crud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.model.Item;
import io.kvstore.data.model.ItemRepository;
import io.kvstore.data.support.Stores;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.domain.Example;
import org.springframework.data.domain.ExampleMatcher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/** Query by example: exact matches on indexed properties, all or any of them. */
class QueryByExampleTest {

    @TempDir
    Path dir;
    Stores stores;
    ItemRepository items;

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON);
        items = stores.repository(ItemRepository.class);
        IntStream.range(0, 12).forEach(i -> {
            Item item = CrudContractTest.item(i);
            item.active = i % 3 == 0;
            item.address = new Item.Address(i < 6 ? "Braga" : "Evora");
            item.note = "note " + i;
            items.save(item);
        });
    }

    @AfterEach
    void close() {
        stores.close();
    }

    static Item probe() {
        Item p = new Item();
        p.tags = null;
        return p;
    }

    @Test
    void allPropertiesOfTheProbeMustMatchByDefault() {
        Item p = probe();
        p.city = "Porto";
        p.active = true;
        assertThat(items.findAll(Example.of(p))).extracting(i -> i.id).containsExactly("i000", "i006");
        assertThat(items.count(Example.of(p))).isEqualTo(2);
        assertThat(items.exists(Example.of(p))).isTrue();
        p.city = "Oslo";
        assertThat(items.exists(Example.of(p))).isFalse();
    }

    @Test
    void anyMatchingIsAnOrOfTheProperties() {
        Item p = probe();
        p.city = "Faro";
        p.active = true;
        assertThat(items.findAll(Example.of(p, ExampleMatcher.matchingAny()))).extracting(i -> i.id)
                .containsExactly("i000", "i001", "i003", "i005", "i006", "i007", "i009", "i011");
    }

    @Test
    void nestedPropertiesStartingWithSortingAndPagingWork() {
        Item p = probe();
        p.address = new Item.Address("Evora");
        assertThat(items.findAll(Example.of(p), Sort.by("age"))).extracting(i -> i.id)
                .containsExactly("i011", "i010", "i009", "i008", "i007", "i006");
        Page<Item> page = items.findAll(Example.of(p), PageRequest.of(1, 4, Sort.by("age")));
        assertThat(page.getTotalElements()).isEqualTo(6);
        assertThat(page.getContent()).extracting(i -> i.id).containsExactly("i007", "i006");
        Item named = probe();
        named.name = "N1";
        assertThat(items.findAll(Example.of(named, ExampleMatcher.matching()
                .withStringMatcher(ExampleMatcher.StringMatcher.STARTING)))).extracting(i -> i.id)
                .containsExactly("i001", "i010", "i011");
        List<Item> top = items.findBy(Example.of(p), q -> q.sortBy(Sort.by(Sort.Direction.DESC, "age")).limit(2).all());
        assertThat(top).extracting(i -> i.id).containsExactly("i006", "i007");
        long counted = items.findBy(Example.of(p), q -> q.count());
        assertThat(counted).isEqualTo(6);
    }

    @Test
    void anUnindexedPropertyInTheProbeIsRefusedUnlessIgnored() {
        Item p = probe();
        p.city = "Porto";
        p.note = "note 0";
        assertThatThrownBy(() -> items.findAll(Example.of(p))).isInstanceOf(InvalidDataAccessApiUsageException.class)
                .hasMessageContaining("'note'").hasMessageContaining("@Indexed")
                .hasMessageContaining("withIgnorePaths(\"note\")");
        assertThat(items.findAll(Example.of(p, ExampleMatcher.matching().withIgnorePaths("note")))).hasSize(6);
        assertThatThrownBy(() -> items.findAll(Example.of(probe()))).isInstanceOf(InvalidDataAccessApiUsageException.class)
                .hasMessageContaining("at least one");
        Item ignoringCase = probe();
        ignoringCase.city = "porto";
        assertThatThrownBy(() -> items.findAll(Example.of(ignoringCase, ExampleMatcher.matching().withIgnoreCase())))
                .isInstanceOf(InvalidDataAccessApiUsageException.class).hasMessageContaining("ignoring case");
    }

    @Test
    void findOneWantsAtMostOneMatch() {
        Item p = probe();
        p.code = "c4";
        assertThat(items.findOne(Example.of(p))).map(i -> i.id).contains("i004");
        p.code = null;
        p.city = "Porto";
        assertThatThrownBy(() -> items.findOne(Example.of(p))).isInstanceOf(IncorrectResultSizeDataAccessException.class);
    }
}
