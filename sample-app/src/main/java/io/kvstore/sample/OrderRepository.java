package io.kvstore.sample;

import io.kvstore.data.repository.KvStoreRepository;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Slice;

/** Orders by customer, by amount and by status, each on its index. */
public interface OrderRepository extends KvStoreRepository<Order, String> {

    List<Order> findByCustomerId(String customerId);

    List<Order> findTop20ByTotalGreaterThanEqualOrderByTotal(BigDecimal min);

    Slice<Order> findByStatus(Order.Status status, Pageable pageable);

    long countByStatus(Order.Status status);
}
