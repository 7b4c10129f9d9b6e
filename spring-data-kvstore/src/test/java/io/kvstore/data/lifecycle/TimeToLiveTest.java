package io.kvstore.data.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.data.support.Stores;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.PageRequest;

/** Expired entities vanish everywhere at once: by id, whole keyspace, counts, every query. */
class TimeToLiveTest {

    @TempDir
    Path dir;
    Stores stores;
    SessionRepository sessions;

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON);
        sessions = stores.repository(SessionRepository.class);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void anEntityOfATypeWithATimeToLiveVanishesEverywhereWhenItExpires() {
        sessions.saveAll(List.of(new Session("s1", "ada", 5, null), new Session("s2", "ada", 7, null)));
        stores.clock.advance(Duration.ofSeconds(30));
        sessions.save(new Session("s3", "ada", 9, null));
        assertThat(sessions.count()).isEqualTo(3);

        stores.clock.advance(Duration.ofSeconds(31)); // s1, s2 are 61 s old, s3 31 s
        assertThat(sessions.findById("s1")).isEmpty();
        assertThat(sessions.existsById("s2")).isFalse();
        assertThat(sessions.findAll()).extracting(s -> s.id).containsExactly("s3");
        assertThat(sessions.findAllById(List.of("s1", "s2", "s3"))).extracting(s -> s.id).containsExactly("s3");
        assertThat(sessions.count()).isEqualTo(1);
        assertThat(sessions.findByUser("ada")).extracting(s -> s.id).containsExactly("s3");
        assertThat(sessions.countByUser("ada")).isEqualTo(1);
        assertThat(sessions.countByHitsGreaterThanEqual(0)).isEqualTo(1);
        assertThat(sessions.findByHitsGreaterThanEqual(0, PageRequest.of(0, 10)).getTotalElements()).isEqualTo(1);

        stores.clock.advance(Duration.ofSeconds(30));
        assertThat(sessions.existsByUser("ada")).isFalse();
        assertThat(sessions.count()).isZero();
        assertThat(sessions.findByUser("ada")).isEmpty();
    }

    @Test
    void savingAgainRestartsTheTimeToLive() {
        sessions.save(new Session("s1", "ada", 1, null));
        stores.clock.advance(Duration.ofSeconds(50));
        sessions.save(sessions.findById("s1").orElseThrow());
        stores.clock.advance(Duration.ofSeconds(50));
        assertThat(sessions.findById("s1")).isPresent();
        assertThat(sessions.findByUser("ada")).hasSize(1);
    }

    @Test
    void aTimeToLivePropertyOverridesTheTypesOne() {
        sessions.save(new Session("short", "bob", 1, 10L));
        sessions.save(new Session("long", "bob", 2, 3600L));
        sessions.save(new Session("default", "bob", 3, null));
        stores.clock.advance(Duration.ofSeconds(11));
        assertThat(sessions.findByUser("bob")).extracting(s -> s.id).containsExactlyInAnyOrder("long", "default");
        stores.clock.advance(Duration.ofMinutes(1));
        assertThat(sessions.findByUser("bob")).extracting(s -> s.id).containsExactly("long");
        assertThat(sessions.count()).isEqualTo(1);
        assertThat(sessions.countByUser("bob")).isEqualTo(1);
    }
}
