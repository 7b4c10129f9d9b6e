package io.kvstore.data.crud;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.data.config.EnableKvStoreRepositories;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.data.model.Item;
import io.kvstore.data.model.ItemRepository;
import io.kvstore.data.support.Stores;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;

/** The store belongs to whoever opened it: shutting the template or the application down keeps its data. */
class StoreLifecycleTest {

    @TempDir
    Path dir;

    static Path storeDir;

    @Configuration
    @EnableKvStoreRepositories(basePackageClasses = ItemRepository.class,
            includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = ItemRepository.class))
    static class App {
        @Bean(destroyMethod = "close")
        KvStore kvStore() {
            return KvStore.open(storeDir, KvStoreOptions.defaults().withCodec(Codec.JSON));
        }

        @Bean
        KvStoreTemplate kvStoreTemplate(KvStore store) {
            return KvStoreTemplate.of(store);
        }
    }

    @Test
    void closingTheApplicationKeepsEveryEntity() {
        storeDir = dir;
        try (AnnotationConfigApplicationContext app = new AnnotationConfigApplicationContext(App.class)) {
            ItemRepository items = app.getBean(ItemRepository.class);
            items.save(CrudContractTest.item(1));
            items.save(CrudContractTest.item(2));
        }
        try (AnnotationConfigApplicationContext app = new AnnotationConfigApplicationContext(App.class)) {
            ItemRepository items = app.getBean(ItemRepository.class);
            assertThat(items.count()).isEqualTo(2);
            assertThat(items.findByCity("Porto")).extracting(Item::getId).containsExactly("i002");
        }
    }

    @Test
    void destroyKeepsTheDataAndClearRemovesOnlyEntities() throws Exception {
        try (Stores stores = Stores.open(dir, Codec.JSON)) {
            ItemRepository items = stores.repository(ItemRepository.class);
            items.save(CrudContractTest.item(1));
            stores.store.put("other:1", "{\"kept\":true}");
            stores.template.destroy();
            stores.template.adapter().destroy();
            assertThat(items.count()).isEqualTo(1);
            stores.template.adapter().clear();
            assertThat(items.count()).isZero();
            assertThat(items.findByCity("Faro")).isEmpty();
            assertThat(stores.store.get("other:1")).isNotNull();
        }
    }
}
