package io.kvstore.data.sample;

import io.kvstore.data.repository.KvStoreRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;

public interface PersonRepository extends KvStoreRepository<Person, String> {

    /** An interface projection. */
    interface NameOnly {
        String getName();
    }

    /** A DTO projection. */
    record NameAndAge(String name, Integer age) {
    }

    List<Person> findByCity(String city);

    List<Person> findByCityIs(String city);

    List<Person> findByCityEquals(String city);

    List<Person> findByCityIn(Collection<String> cities);

    List<Person> findByAgeBetween(int from, int to);

    List<Person> findByAgeGreaterThan(int age);

    List<Person> findByAgeGreaterThanEqual(int age);

    List<Person> findByAgeLessThan(int age);

    List<Person> findByAgeLessThanEqual(int age);

    List<Person> findByJoinedAfter(Instant t);

    List<Person> findByJoinedBefore(Instant t);

    List<Person> findByNameStartingWith(String prefix);

    List<Person> findByActiveTrue();

    List<Person> findByActiveFalse();

    List<Person> findByCityIsNull();

    List<Person> findByTagsContaining(String tag);

    List<Person> findByBioContaining(String words);

    List<Person> findByCityAndAgeBetween(String city, int from, int to);

    List<Person> findByCityOrTagsContaining(String city, String tag);

    List<Person> findByAddressCity(String city);

    List<Person> findByStatus(Person.Status status);

    List<Person> findByCityOrderByAgeAsc(String city);

    List<Person> findByCityOrderByAgeDesc(String city);

    List<Person> findByCityOrderByIdDesc(String city);

    Optional<Person> findOneByName(String name);

    Person getByName(String name);

    Person readFirstByCityOrderByAgeDesc(String city);

    List<Person> findTop2ByCityOrderByAge(String city);

    List<Person> findFirst3ByAgeGreaterThan(int age);

    Stream<Person> streamByCity(String city);

    Page<Person> findByCity(String city, Pageable pageable);

    Slice<Person> findSliceByCity(String city, Pageable pageable);

    List<Person> findByCity(String city, Sort sort);

    List<Person> findByCity(String city, Limit limit);

    Window<Person> findByAgeGreaterThanEqualOrderByAge(int age, ScrollPosition position, Limit limit);

    Window<Person> findFirst5ByCityOrderById(String city, ScrollPosition position);

    long countByCity(String city);

    boolean existsByCity(String city);

    long deleteByCity(String city);

    List<NameOnly> findNamesByCity(String city);

    List<NameAndAge> findNameAndAgeByCity(String city);
}
