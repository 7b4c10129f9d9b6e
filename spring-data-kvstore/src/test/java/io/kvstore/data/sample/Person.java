package io.kvstore.data.sample;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.index.IndexType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.annotation.CreatedDate;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.LastModifiedDate;
import org.springframework.data.annotation.Version;
import org.springframework.data.keyvalue.annotation.KeySpace;

@KeySpace("people")
public class Person {

    public enum Status { ACTIVE, SUSPENDED }

    public static class Address {
        @Indexed
        String city;
        String street;

        public Address() {
        }

        public Address(String city, String street) {
            this.city = city;
            this.street = street;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Address a && Objects.equals(city, a.city) && Objects.equals(street, a.street);
        }

        @Override
        public int hashCode() {
            return Objects.hash(city, street);
        }
    }

    @Id
    String id;
    @Indexed(type = IndexType.PREFIX)
    String name;
    @Indexed
    String city;
    @Indexed(type = IndexType.RANGE)
    Integer age;
    @Indexed
    List<String> tags = new ArrayList<>();
    @Indexed
    Boolean active;
    @Indexed
    Status status;
    @Indexed(type = IndexType.TEXT)
    String bio;
    @Indexed(type = IndexType.RANGE)
    Instant joined;
    Address address;
    String nickname;
    BigDecimal balance;
    LocalDate birthday;
    UUID token;
    Set<String> roles;
    Map<String, Integer> scores;
    @Version
    Long version;
    @CreatedDate
    Instant created;
    @LastModifiedDate
    Instant modified;

    public Person() {
    }

    public Person(String id, String name, String city, Integer age, String... tags) {
        this.id = id;
        this.name = name;
        this.city = city;
        this.age = age;
        this.tags = new ArrayList<>(List.of(tags));
        this.active = age != null && age % 2 == 0;
        this.status = Status.ACTIVE;
        this.bio = "Lives in " + city;
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

    public String getCity() {
        return city;
    }

    public Instant getCreated() {
        return created;
    }

    public Instant getModified() {
        return modified;
    }

    public Long getVersion() {
        return version;
    }

    @Override
    public String toString() {
        return "Person[" + id + ", " + name + ", " + city + ", " + age + "]";
    }
}
