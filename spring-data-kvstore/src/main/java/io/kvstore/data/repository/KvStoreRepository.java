package io.kvstore.data.repository;

import org.springframework.data.keyvalue.repository.KeyValueRepository;
import org.springframework.data.repository.NoRepositoryBean;
import org.springframework.data.repository.query.QueryByExampleExecutor;

/**
 * A repository of entities stored in KvStore: CRUD, paging and sorting
 * ({@code ListCrudRepository}, {@code ListPagingAndSortingRepository}), query by example on
 * indexed properties, and derived query methods that run on secondary indexes.
 *
 * <pre>{@code
 * interface UserRepository extends KvStoreRepository<User, String> {
 *     List<User> findByCity(String city);                        // @Indexed city
 *     Page<User> findByAgeBetween(int from, int to, Pageable p); // @Indexed(type = RANGE) age; inclusive
 *     Window<User> findFirst20ByCityOrderByAge(String city, ScrollPosition position);
 * }
 * }</pre>
 */
@NoRepositoryBean
public interface KvStoreRepository<T, ID> extends KeyValueRepository<T, ID>, QueryByExampleExecutor<T> {
}
