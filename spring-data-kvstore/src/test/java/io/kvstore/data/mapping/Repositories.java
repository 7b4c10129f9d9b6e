package io.kvstore.data.mapping;

import io.kvstore.data.repository.KvStoreRepository;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The repositories of the mapping tests. */
public final class Repositories {

    private Repositories() {
    }

    public interface Gizmos extends KvStoreRepository<Gizmo, UUID> {
        List<Gizmo> findByKind(String kind);

        List<Gizmo> findByColor(Gizmo.Color color);

        List<Gizmo> findByPriceGreaterThanOrderByPrice(BigDecimal price);

        List<Gizmo> findByDayBetween(LocalDate from, LocalDate to);

        List<Gizmo> findByDimsWidthGreaterThanEqual(int width);

        List<Gizmo> findByPartsContaining(String part);
    }

    public interface Badges extends KvStoreRepository<Badge, String> {
        List<Badge> findByHolder(String holder);
    }

    public interface Shapes extends KvStoreRepository<Shape, String> {
        List<Shape> findByColor(String color);

        List<ColorOnly> findColorsByColor(String color);
    }

    public record ColorOnly(String color) {
    }

    public interface Counters extends KvStoreRepository<Counter, Long> {
        List<Counter> findByNGreaterThanOrderByIdDesc(int n);

        List<Counter> findByNGreaterThanEqualOrderById(int n);
    }
}
