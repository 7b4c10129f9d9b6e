package io.kvstore.sample;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.index.IndexType;
import java.math.BigDecimal;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** An order, stored at {@code orders:<id>} in the {@code app} instance. */
@KeySpace("orders")
public record Order(
        @Id String id,
        @Indexed String customerId,
        @Indexed(type = IndexType.RANGE) BigDecimal total,
        @Indexed Status status,
        @Indexed(type = IndexType.RANGE) Instant placedAt) {

    public enum Status { NEW, PAID, SHIPPED, CANCELLED }
}
