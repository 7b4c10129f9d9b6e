package io.kvstore.data.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.core.KeyLayout;
import io.kvstore.data.support.Stores;
import io.kvstore.engine.codec.Codec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.domain.Sort;

/** Entities round-trip exactly, and their indexes answer queries, with the JSON and the BSON codec. */
class MappingRoundTripTest {

    enum Format {
        JSON(Codec.JSON), BSON(Codec.BSON);

        final Codec codec;

        Format(Codec codec) {
            this.codec = codec;
        }
    }

    @TempDir
    Path dir;

    static Gizmo gizmo(String kind, String price, Gizmo.Color color, LocalDate day, int width, String... parts) {
        return new Gizmo(null, kind, -7, Long.MAX_VALUE - 1, 0.1, new BigDecimal(price), true, color,
                Instant.parse("2024-02-29T12:34:56.123456789Z"), day, LocalDateTime.parse("2024-03-01T01:02:03.000000456"),
                new Gizmo.Dimensions(width, 2, "box"), List.of(parts), Set.of(3, 1, 2), Map.of("a", 1L, "b", -2L),
                List.of(new Gizmo.Dimensions(1, 1, null)), UUID.fromString("0b6c1a52-0f35-4a3e-8f53-4c7d3e3bb6a2"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aRecordWithEveryKindOfValueRoundTripsExactlyAndGetsAGeneratedUuid(Format format) {
        try (Stores stores = Stores.open(dir, format.codec)) {
            Repositories.Gizmos gizmos = stores.repository(Repositories.Gizmos.class);
            Gizmo saved = gizmos.save(gizmo("lamp", "12.50", Gizmo.Color.RED, LocalDate.of(2024, 1, 1), 10, "bulb", "cord"));
            assertThat(saved.id()).isNotNull();
            assertThat(saved.id().version()).isEqualTo(4);
            Gizmo loaded = gizmos.findById(saved.id()).orElseThrow();
            assertThat(loaded).isEqualTo(saved);
            assertThat(loaded.price().scale()).isEqualTo(2);
            assertThat(loaded.at().getNano()).isEqualTo(123456789);
            assertThat(loaded.big()).isEqualTo(Long.MAX_VALUE - 1);
            Gizmo big = gizmos.save(gizmo("huge", "123456789012345678901234.000000001", Gizmo.Color.GREEN,
                    LocalDate.of(2024, 1, 2), 1));
            assertThat(gizmos.findById(big.id()).orElseThrow().price()).isEqualTo(new BigDecimal("123456789012345678901234.000000001"));
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void indexesOfEveryKindOfValueAnswerQueries(Format format) {
        try (Stores stores = Stores.open(dir, format.codec)) {
            Repositories.Gizmos gizmos = stores.repository(Repositories.Gizmos.class);
            Gizmo a = gizmos.save(gizmo("lamp", "12.50", Gizmo.Color.RED, LocalDate.of(2024, 1, 1), 10, "bulb", "cord"));
            Gizmo b = gizmos.save(gizmo("lamp", "9.99", Gizmo.Color.GREEN, LocalDate.of(2024, 6, 1), 20, "cord"));
            Gizmo c = gizmos.save(gizmo("desk", "100", Gizmo.Color.RED, LocalDate.of(2025, 1, 1), 30));
            assertThat(gizmos.findByKind("lamp")).containsExactlyInAnyOrder(a, b);
            assertThat(gizmos.findByColor(Gizmo.Color.RED)).containsExactlyInAnyOrder(a, c);
            assertThat(gizmos.findByPriceGreaterThanOrderByPrice(new BigDecimal("9.99"))).containsExactly(a, c);
            assertThat(gizmos.findByPriceGreaterThanOrderByPrice(new BigDecimal("12.5"))).containsExactly(c);
            assertThat(gizmos.findByDayBetween(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 1))).containsExactlyInAnyOrder(a, b);
            assertThat(gizmos.findByDimsWidthGreaterThanEqual(20)).containsExactlyInAnyOrder(b, c);
            assertThat(gizmos.findByPartsContaining("cord")).containsExactlyInAnyOrder(a, b);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void anImmutableClassIsBoundThroughItsConstructorAndGetsAGeneratedId(Format format) {
        try (Stores stores = Stores.open(dir, format.codec)) {
            Repositories.Badges badges = stores.repository(Repositories.Badges.class);
            Badge saved = badges.save(new Badge(null, "ada", 3));
            assertThat(saved.id()).isNotNull();
            assertThat(UUID.fromString(saved.id()).version()).isEqualTo(4);
            Badge loaded = badges.findById(saved.id()).orElseThrow();
            assertThat(loaded.holder()).isEqualTo("ada");
            assertThat(loaded.level()).isEqualTo(3);
            assertThat(badges.findByHolder("ada")).extracting(Badge::id).containsExactly(saved.id());
            Badge assigned = badges.save(new Badge("mine", "bob", 1));
            assertThat(assigned.id()).isEqualTo("mine");
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void numericIdsIncludingNegativeOnesKeepTheirNumericOrder(Format format) {
        try (Stores stores = Stores.open(dir, format.codec)) {
            Repositories.Counters counters = stores.repository(Repositories.Counters.class);
            List<Long> ids = new ArrayList<>(LongStream.rangeClosed(-12, 12).boxed().toList());
            ids.addAll(List.of(Long.MIN_VALUE, Long.MAX_VALUE, -1_000_000_000_000L, 1_000_000_000_000L));
            List<Long> shuffled = new ArrayList<>(ids);
            Collections.shuffle(shuffled, new Random(7));
            shuffled.forEach(id -> counters.save(new Counter(id, (int) (id % 5))));
            List<Long> sorted = ids.stream().sorted().toList();
            assertThat(counters.findAll()).extracting(c -> c.id).containsExactlyElementsOf(sorted);
            assertThat(counters.findAll(Sort.by("id"))).extracting(c -> c.id).containsExactlyElementsOf(sorted);
            assertThat(counters.findByNGreaterThanEqualOrderById(-10)).extracting(c -> c.id).containsExactlyElementsOf(sorted);
            assertThat(counters.findByNGreaterThanOrderByIdDesc(-10)).extracting(c -> c.id)
                    .containsExactlyElementsOf(ids.stream().sorted(java.util.Comparator.reverseOrder()).toList());
            assertThat(counters.findById(-3L)).map(c -> c.n).contains(-3);
            assertThat(counters.findAllById(List.of(5L, -5L, 99L))).extracting(c -> c.id).containsExactly(5L, -5L);
            // The layout the adapter's javadoc draws.
            assertThat(stores.store.get("counters:0000000000000000042")).isNull();
            assertThat(stores.store.get("counters:0000000000000000012")).isNotNull();
            assertThat(stores.store.get("counters:-9223372036854775805")).isNotNull(); // -3
            assertThat(new String(KeyLayout.key("counters", Long.MIN_VALUE))).isEqualTo("counters:-0000000000000000000");
            assertThat(KeyLayout.id(KeyLayout.key("counters", -3L), "counters", Long.class)).isEqualTo(-3L);
            assertThat(KeyLayout.id(KeyLayout.key("counters", Integer.MIN_VALUE), "counters", Integer.class))
                    .isEqualTo(Integer.MIN_VALUE);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aMissingNumericIdIsRefusedWithAReason(Format format) {
        try (Stores stores = Stores.open(dir, format.codec)) {
            Repositories.Counters counters = stores.repository(Repositories.Counters.class);
            assertThatThrownBy(() -> counters.save(new Counter(null, 1))).isInstanceOf(InvalidDataAccessApiUsageException.class)
                    .hasMessageContaining("Counter").hasMessageContaining("String and UUID").hasMessageContaining("'id'");
            assertThat(counters.count()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void aRepositoryOfAnAbstractTypeReadsBackEachSubtypeThroughItsTypeHint(Format format) {
        try (Stores stores = Stores.open(dir, format.codec)) {
            Repositories.Shapes shapes = stores.repository(Repositories.Shapes.class);
            Shape.Circle circle = new Shape.Circle();
            circle.id = "c";
            circle.color = "red";
            circle.radius = 1.5;
            Shape.Square square = new Shape.Square();
            square.id = "s";
            square.color = "red";
            square.side = 3;
            shapes.saveAll(List.of(circle, square));
            assertThat(shapes.findById("c")).get().isInstanceOf(Shape.Circle.class)
                    .extracting(c -> ((Shape.Circle) c).radius).isEqualTo(1.5);
            assertThat(shapes.findByColor("red")).extracting(Object::getClass)
                    .containsExactly(Shape.Circle.class, Shape.Square.class);
            assertThat(shapes.findAll()).extracting(Object::getClass).containsExactly(Shape.Circle.class, Shape.Square.class);
            assertThat(shapes.findColorsByColor("red")).containsExactly(new Repositories.ColorOnly("red"),
                    new Repositories.ColorOnly("red"));
        }
    }
}
