package io.kvstore.boot.sample;

import io.kvstore.data.repository.KvStoreRepository;
import java.util.List;

public interface CustomerRepository extends KvStoreRepository<Customer, String> {

    List<Customer> findByCity(String city);
}
