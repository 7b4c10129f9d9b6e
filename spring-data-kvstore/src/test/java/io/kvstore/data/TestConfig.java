package io.kvstore.data;

import io.kvstore.data.config.EnableKvStoreAuditing;
import io.kvstore.data.config.EnableKvStoreRepositories;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.codec.Codec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.auditing.DateTimeProvider;

/** A store in a fresh temporary directory, JSON values, a hand-moved clock for TTL and auditing. */
@Configuration
@EnableKvStoreRepositories(basePackages = "io.kvstore.data.sample")
@EnableKvStoreAuditing(dateTimeProviderRef = "testTime")
public class TestConfig {

    /** Milliseconds since the epoch, moved by tests. */
    public static final AtomicLong NOW = new AtomicLong(1_700_000_000_000L);

    @Bean(destroyMethod = "close")
    KvStore kvStore() {
        try {
            Path dir = Files.createTempDirectory("kvstore-data-test");
            Clock clock = new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.ofEpochMilli(NOW.get());
                }
            };
            return KvStore.open(dir, KvStoreOptions.defaults().withSyncMode(SyncMode.NONE).withCodec(Codec.JSON)
                    .withClock(clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Bean
    KvStoreTemplate kvStoreTemplate(KvStore store) {
        return KvStoreTemplate.of(store);
    }

    @Bean
    DateTimeProvider testTime() {
        return () -> Optional.of(Instant.ofEpochMilli(NOW.get()));
    }
}
