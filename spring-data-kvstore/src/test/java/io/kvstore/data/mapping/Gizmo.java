package io.kvstore.data.mapping;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.index.IndexType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** A record holding one of every supported kind of value. */
@KeySpace("gizmos")
public record Gizmo(@Id UUID id, @Indexed String kind, int count, long big, double ratio,
        @Indexed(type = IndexType.RANGE) BigDecimal price, boolean flag, @Indexed Color color, Instant at,
        @Indexed(type = IndexType.RANGE) LocalDate day, LocalDateTime local, Dimensions dims, @Indexed List<String> parts,
        Set<Integer> sizes, Map<String, Long> counters, List<Dimensions> boxes, UUID ref) {

    public enum Color { RED, GREEN }

    public record Dimensions(@Indexed(type = IndexType.RANGE) int width, int height, String label) {
    }
}
