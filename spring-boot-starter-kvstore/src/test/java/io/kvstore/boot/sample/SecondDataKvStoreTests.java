package io.kvstore.boot.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.boot.test.autoconfigure.DataKvStoreTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Same configuration as {@link CustomerRepositoryDataKvStoreTests}, so a shared context would
 * also share its data: whichever class runs second would see the other's customer.
 */
@DataKvStoreTest(properties = "kvstore.instances.app.codec=json")
class SecondDataKvStoreTests {

    @Autowired
    CustomerRepository repository;

    @Test
    void eachTestClassStartsWithAnEmptyStore() {
        assertThat(repository.count()).isZero();
        repository.save(new Customer("1", "Grace", "Lisbon"));
        assertThat(repository.count()).isEqualTo(1);
    }
}
