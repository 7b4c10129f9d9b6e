package io.kvstore.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.sample.Person;
import io.kvstore.data.sample.PersonRepository;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

@SpringJUnitConfig(TestConfig.class)
class KvStoreRepositoryTest {

    @Autowired
    PersonRepository people;

    @BeforeEach
    void fill() {
        people.deleteAll();
        people.saveAll(List.of(
                new Person("p1", "Ada", "Porto", 36, "math", "code"),
                new Person("p2", "Alan", "Lisbon", 41, "code"),
                new Person("p3", "Grace", "Porto", 85, "navy", "code"),
                new Person("p4", "Anita", "Faro", 22),
                new Person("p5", "Barbara", "Porto", 22, "math")));
    }

    private static List<String> ids(Iterable<Person> found) {
        List<String> ids = new java.util.ArrayList<>();
        found.forEach(p -> ids.add(p.getId()));
        return ids;
    }

    @Test
    void derivedQueriesRunOnIndexes() {
        assertThat(ids(people.findByCity("Porto"))).containsExactly("p1", "p3", "p5");
        assertThat(ids(people.findByCityIn(List.of("Faro", "Lisbon")))).containsExactly("p2", "p4");
        assertThat(ids(people.findByAgeBetween(22, 36))).containsExactly("p4", "p5", "p1");
        assertThat(ids(people.findByAgeGreaterThan(36))).containsExactly("p2", "p3");
        assertThat(ids(people.findByAgeLessThanEqual(36))).containsExactly("p4", "p5", "p1");
        assertThat(ids(people.findByNameStartingWith("A"))).containsExactly("p1", "p2", "p4");
        assertThat(ids(people.findByActiveTrue())).containsExactly("p1", "p4", "p5");
        assertThat(ids(people.findByTagsContaining("code"))).containsExactly("p1", "p2", "p3");
        assertThat(ids(people.findByBioContaining("porto"))).containsExactly("p1", "p3", "p5");
        assertThat(ids(people.findByCityAndAgeBetween("Porto", 20, 40))).containsExactly("p5", "p1");
        assertThat(ids(people.findByCityOrTagsContaining("Faro", "navy"))).containsExactly("p3", "p4");
        assertThat(ids(people.findByStatus(Person.Status.ACTIVE))).hasSize(5);
        assertThat(ids(people.findByCityOrderByAgeDesc("Porto"))).containsExactly("p3", "p1", "p5");
        assertThat(ids(people.findByCityOrderByIdDesc("Porto"))).containsExactly("p5", "p3", "p1");
        assertThat(people.findOneByName("Grace")).map(Person::getId).contains("p3");
        assertThat(people.readFirstByCityOrderByAgeDesc("Porto").getId()).isEqualTo("p3");
        assertThat(ids(people.findTop2ByCityOrderByAge("Porto"))).containsExactly("p5", "p1");
        assertThat(people.countByCity("Porto")).isEqualTo(3);
        assertThat(people.existsByCity("Faro")).isTrue();
        assertThat(people.existsByCity("Oslo")).isFalse();
        try (Stream<Person> s = people.streamByCity("Porto")) {
            assertThat(s.map(Person::getId)).containsExactly("p1", "p3", "p5");
        }
        assertThat(people.findByCity("Porto", PageRequest.of(1, 2)).getContent()).extracting(Person::getId).containsExactly("p5");
        assertThat(people.findByCity("Porto", PageRequest.of(0, 2)).getTotalElements()).isEqualTo(3);
        assertThat(people.findSliceByCity("Porto", PageRequest.of(0, 2)).hasNext()).isTrue();
        assertThat(ids(people.findByCity("Porto", Sort.by("age")))).containsExactly("p5", "p1", "p3");
        assertThat(ids(people.findByCity("Porto", Limit.of(2)))).containsExactly("p1", "p3");
        assertThat(people.findNamesByCity("Faro")).extracting(PersonRepository.NameOnly::getName).containsExactly("Anita");
        assertThat(people.findNameAndAgeByCity("Faro")).containsExactly(new PersonRepository.NameAndAge("Anita", 22));
        assertThat(people.deleteByCity("Porto")).isEqualTo(3);
        assertThat(people.count()).isEqualTo(2);
    }

    @Test
    void windowsScrollToTheEnd() {
        Window<Person> w = people.findByAgeGreaterThanEqualOrderByAge(0, ScrollPosition.keyset(), Limit.of(2));
        List<String> seen = new java.util.ArrayList<>(ids(w.getContent()));
        while (w.hasNext()) {
            w = people.findByAgeGreaterThanEqualOrderByAge(0, w.positionAt(w.size() - 1), Limit.of(2));
            seen.addAll(ids(w.getContent()));
        }
        assertThat(seen).containsExactly("p4", "p5", "p1", "p2", "p3");
    }

    @Test
    void enableKvStoreAuditingStampsFromTheConfiguredDateTimeProvider() {
        java.time.Instant t0 = java.time.Instant.ofEpochMilli(TestConfig.NOW.get());
        Person p = people.findById("p2").orElseThrow();
        assertThat(p.getCreated()).isEqualTo(t0);
        TestConfig.NOW.addAndGet(60_000);
        people.save(p);
        Person saved = people.findById("p2").orElseThrow();
        assertThat(saved.getCreated()).isEqualTo(t0);
        assertThat(saved.getModified()).isEqualTo(t0.plusSeconds(60));
    }

    @Test
    void versionsLockOptimistically() {
        Person p = people.findById("p1").orElseThrow();
        Person stale = people.findById("p1").orElseThrow();
        assertThat(p.getVersion()).isEqualTo(0L);
        Person saved = people.save(p);
        assertThat(saved.getVersion()).isEqualTo(1L);
        assertThat(people.findById("p1").orElseThrow().getVersion()).isEqualTo(1L);
        assertThatThrownBy(() -> people.save(stale)).isInstanceOf(OptimisticLockingFailureException.class)
                .hasMessageContaining("version 0").hasMessageContaining("version 1");
        assertThatThrownBy(() -> people.delete(stale)).isInstanceOf(OptimisticLockingFailureException.class);
        people.delete(saved);
        assertThat(people.existsById("p1")).isFalse();
    }
}
