package io.kvstore.data.model;

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

/** Every keyword, subject, return type and paging form the module supports. */
public interface ItemRepository extends KvStoreRepository<Item, String> {

    interface NameOnly {
        String getName();
    }

    record NameAndAge(String name, Integer age) {
    }

    // ---- keywords
    List<Item> findByCity(String city);

    List<Item> findByCityIs(String city);

    List<Item> findByCityEquals(String city);

    List<Item> findByCityIn(Collection<String> cities);

    List<Item> findByAgeBetween(int from, int to);

    List<Item> findByAgeGreaterThan(int age);

    List<Item> findByAgeGreaterThanEqual(int age);

    List<Item> findByAgeLessThan(int age);

    List<Item> findByAgeLessThanEqual(int age);

    List<Item> findByJoinedAfter(Instant t);

    List<Item> findByJoinedBefore(Instant t);

    List<Item> findByNameStartingWith(String prefix);

    List<Item> findByActiveTrue();

    List<Item> findByActiveFalse();

    List<Item> findByNicknameIsNull();

    List<Item> findByTagsContaining(String tag);

    List<Item> findByBioContaining(String words);

    List<Item> findByCityAndAgeBetween(String city, int from, int to);

    List<Item> findByCityAndActiveTrue(String city);

    List<Item> findByCityOrTagsContaining(String city, String tag);

    List<Item> findByAgeLessThanOrAgeGreaterThan(int low, int high);

    List<Item> findByAddressCity(String city);

    // ---- subjects
    List<Item> readByCity(String city);

    List<Item> getByCity(String city);

    Stream<Item> streamByCity(String city);

    long countByCity(String city);

    long countByAgeBetween(int from, int to);

    boolean existsByCity(String city);

    long deleteByCity(String city);

    List<Item> removeByTagsContaining(String tag);

    List<Item> findTop3ByCityOrderByAgeAsc(String city);

    List<Item> findFirst5ByAgeGreaterThanOrderByAgeDesc(int age);

    Item findFirstByCityOrderByAgeDesc(String city);

    // ---- return types
    Optional<Item> findOneByCode(String code);

    Item findByCode(String code);

    Page<Item> findByCity(String city, Pageable pageable);

    Slice<Item> findSliceByCity(String city, Pageable pageable);

    Page<Item> findByAgeGreaterThanEqual(int age, Pageable pageable);

    Window<Item> findByAgeGreaterThanEqualOrderByAge(int age, ScrollPosition position, Limit limit);

    Window<Item> findFirst4ByCityOrderById(String city, ScrollPosition position);

    // ---- Sort, Limit, OrderBy
    List<Item> findByCity(String city, Sort sort);

    List<Item> findByCity(String city, Limit limit);

    List<Item> findByCityOrderByAgeAsc(String city);

    List<Item> findByCityOrderByAgeDesc(String city);

    List<Item> findByAgeGreaterThanOrderByIdDesc(int age);

    List<Item> findByAgeGreaterThanOrderById(int age);

    List<Item> findByTagsContainingOrderByJoinedDesc(String tag);

    // ---- projections
    List<NameOnly> findNamesByCity(String city);

    List<NameAndAge> findNameAndAgeByCity(String city);

    <T> List<T> findByCityOrderByAge(String city, Class<T> type);
}
