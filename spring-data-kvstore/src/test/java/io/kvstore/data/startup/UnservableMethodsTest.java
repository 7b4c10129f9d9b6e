package io.kvstore.data.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.config.EnableKvStoreRepositories;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.data.repository.KvStoreRepository;
import io.kvstore.data.support.Stores;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.FilterType;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * A repository method no index can serve fails when the repository is created (application
 * startup), with a message naming the method, the property and what would fix it.
 */
class UnservableMethodsTest {

    interface Unindexed extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByColor(String color);
    }

    interface RangeOnEquality extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCityGreaterThan(String city);
    }

    interface SortOnEquality extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByWeightGreaterThanOrderByCity(int weight);
    }

    interface SortOnUnindexed extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCityOrderByColorDesc(String city);
    }

    interface Negation extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCityNot(String city);
    }

    interface NotIn extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCityNotIn(List<String> cities);
    }

    interface Like extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByNameLike(String pattern);
    }

    interface EndingWith extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByNameEndingWith(String suffix);
    }

    interface IgnoringCase extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCityIgnoreCase(String city);
    }

    interface ContainingOnAScalar extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCityContaining(String part);
    }

    interface StartingWithOnEquality extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCityStartingWith(String prefix);
    }

    interface NestedUnindexed extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByAddressStreet(String street);
    }

    interface Servable extends KvStoreRepository<Gadget, String> {
        List<Gadget> findByCity(String city, Sort sort);
    }

    static Stream<Arguments> unservable() {
        return Stream.of(
                Arguments.of(Unindexed.class, "Unindexed.findByColor(String)", "'color'", "annotate it with @Indexed"),
                Arguments.of(RangeOnEquality.class, "findByCityGreaterThan", "'city'", "@Indexed(type = IndexType.RANGE)"),
                Arguments.of(SortOnEquality.class, "findByWeightGreaterThanOrderByCity", "'city'",
                        "@Indexed(type = IndexType.RANGE)"),
                Arguments.of(SortOnUnindexed.class, "findByCityOrderByColorDesc", "'color'",
                        "@Indexed(type = IndexType.RANGE)"),
                Arguments.of(Negation.class, "findByCityNot", "'city'", "with In"),
                Arguments.of(NotIn.class, "findByCityNotIn", "'city'", "with In"),
                Arguments.of(Like.class, "findByNameLike", "'name'", "@Indexed(type = IndexType.PREFIX)"),
                Arguments.of(EndingWith.class, "findByNameEndingWith", "'name'", "@Indexed(type = IndexType.TEXT)"),
                Arguments.of(IgnoringCase.class, "findByCityIgnoreCase", "'city'", "index that"),
                Arguments.of(ContainingOnAScalar.class, "findByCityContaining", "'city'",
                        "@Indexed(type = IndexType.TEXT)"),
                Arguments.of(StartingWithOnEquality.class, "findByCityStartingWith", "'city'",
                        "@Indexed(type = IndexType.PREFIX)"),
                Arguments.of(NestedUnindexed.class, "findByAddressStreet", "'address.street'", "@Indexed"));
    }

    @TempDir
    Path dir;
    Stores stores;

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unservable")
    void creatingTheRepositoryFailsNamingMethodPropertyAndFix(Class<?> repository, String method, String property,
            String fix) {
        assertThatThrownBy(() -> stores.repository(repository)).rootCause()
                .hasMessageContaining("KvStore cannot serve repository method")
                .hasMessageContaining(method).hasMessageContaining(property).hasMessageContaining(fix);
    }

    @Test
    void aSortParameterOnAnUnindexedPropertyFailsWhenCalledNamingTheProperty() {
        Servable repo = stores.repository(Servable.class);
        assertThatThrownBy(() -> repo.findByCity("x", Sort.by("color"))).isInstanceOf(InvalidDataAccessApiUsageException.class)
                .hasMessageContaining("'color'").hasMessageContaining("@Indexed(type = IndexType.RANGE)");
        assertThatThrownBy(() -> repo.findAll(Sort.by("city"))).isInstanceOf(InvalidDataAccessApiUsageException.class)
                .hasMessageContaining("'city'");
        assertThatThrownBy(() -> repo.findAll(PageRequest.of(0, 5, Sort.by("color"))))
                .isInstanceOf(InvalidDataAccessApiUsageException.class).hasMessageContaining("'color'");
        assertThat(repo.findByCity("x", Sort.by("weight"))).isEmpty();
    }

    @Configuration
    @EnableKvStoreRepositories(considerNestedRepositories = true, basePackageClasses = UnservableMethodsTest.class,
            includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = Unindexed.class))
    static class BadApplication {
        @Bean(destroyMethod = "close")
        KvStore kvStore() throws Exception {
            return KvStore.open(Files.createTempDirectory("kvstore-startup"), KvStoreOptions.defaults().withCodec(Codec.JSON));
        }

        @Bean
        KvStoreTemplate kvStoreTemplate(KvStore store) {
            return KvStoreTemplate.of(store);
        }
    }

    @Test
    void anApplicationWithAnUnservableMethodDoesNotStart() {
        assertThatThrownBy(() -> new AnnotationConfigApplicationContext(BadApplication.class).close()).rootCause()
                .hasMessageContaining("UnservableMethodsTest$Unindexed.findByColor(String)")
                .hasMessageContaining("property 'color' of Gadget has no index; annotate it with @Indexed");
    }
}
