package io.kvstore.sample;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.index.IndexType;
import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.CreatedDate;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** A customer, stored at {@code customers:<id>} in the {@code app} instance. */
@KeySpace("customers")
public record Customer(
        @Id String id,
        @Indexed(type = IndexType.PREFIX) String name,
        @Indexed String email,
        @Indexed String city,
        @Indexed(type = IndexType.RANGE) int age,
        @Indexed String tier,
        @Indexed List<String> tags,
        @CreatedDate Instant createdAt,
        @Version Long version) {

    public static Customer of(String name, String email, String city, int age, String tier, List<String> tags) {
        return new Customer(null, name, email, city, age, tier, tags, null, null);
    }
}
