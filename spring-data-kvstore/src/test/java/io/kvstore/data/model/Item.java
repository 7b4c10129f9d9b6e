package io.kvstore.data.model;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.index.IndexType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** The entity of the model tests: one property per kind of index. */
@KeySpace("items")
public class Item {

    /** A nested object with an indexed property ({@code address.city}). */
    public static class Address {
        @Indexed
        public String city;

        public Address() {
        }

        public Address(String city) {
            this.city = city;
        }
    }

    @Id
    public String id;
    @Indexed
    public String code;
    @Indexed(type = IndexType.PREFIX)
    public String name;
    @Indexed
    public String city;
    @Indexed(type = IndexType.RANGE)
    public Integer age;
    @Indexed
    public List<String> tags = new ArrayList<>();
    @Indexed
    public Boolean active;
    @Indexed
    public String nickname;
    @Indexed(type = IndexType.TEXT)
    public String bio;
    @Indexed(type = IndexType.RANGE)
    public Instant joined;
    public Address address;
    public String note;

    public Item() {
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Integer getAge() {
        return age;
    }

    @Override
    public String toString() {
        return id;
    }
}
