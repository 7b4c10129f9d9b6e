package io.kvstore.boot.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.boot.endpoint.KvStoreEndpoint;
import io.kvstore.boot.test.autoconfigure.DataKvStoreTest;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.engine.KvStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

@DataKvStoreTest(properties = "kvstore.instances.app.codec=json")
class CustomerRepositoryDataKvStoreTests {

    @Autowired
    CustomerRepository repository;

    @Autowired
    KvStoreTemplate template;

    @Autowired
    KvStore store;

    @Autowired
    ApplicationContext context;

    @Test
    void theSliceHasRepositoriesTemplateAndInstanceOnAFreshTemporaryDirectory() {
        assertThat(repository.count()).as("a fresh directory per test class").isZero();
        repository.save(new Customer("1", "Ada", "Porto"));
        assertThat(repository.findByCity("Porto")).extracting(Customer::getName).containsExactly("Ada");
        assertThat(template.findById("1", Customer.class)).isPresent();
        assertThat(store.directory()).startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath())
                .endsWith(Path.of("app"));
        assertThat(store.directory().getParent().getFileName().toString())
                .startsWith("kvstore-CustomerRepositoryDataKvStoreTests-");
    }

    @Test
    void theSliceLeavesOutActuatorAndOtherComponents() {
        assertThat(context.getBeanNamesForType(KvStoreEndpoint.class)).isEmpty();
        assertThat(context.containsBean("kvstoreHealthContributor")).isFalse();
        assertThat(context.getBeanNamesForType(org.springframework.web.servlet.DispatcherServlet.class)).isEmpty();
    }
}
