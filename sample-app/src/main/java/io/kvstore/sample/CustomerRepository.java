package io.kvstore.sample;

import io.kvstore.data.repository.KvStoreRepository;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Window;

/** Every method runs on a secondary index; none scans the customers. */
public interface CustomerRepository extends KvStoreRepository<Customer, String> {

    List<Customer> findByCity(String city);

    List<Customer> findByNameStartingWith(String prefix);

    List<Customer> findByTagsContaining(String tag);

    /** Inclusive at both ends; pages in age order. */
    Page<Customer> findByAgeBetweenOrderByAge(int from, int to, Pageable pageable);

    /** Keyset scrolling through one tier, youngest first. */
    Window<Customer> findFirst10ByTierOrderByAge(String tier, ScrollPosition position);

    long countByCity(String city);
}
