package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.io.FaultInjectingFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvStoreTtlTest {

    private final ManualClock clock = new ManualClock();
    private final FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
    private final Path dir = Path.of("/ttl");
    private final KvStoreOptions options = KvStoreOptions.defaults().withFileSystem(fs).withClock(clock)
            .withSyncMode(SyncMode.NONE).withCompression(Compression.NONE);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> scan(KvStore db, KeyRange range, Snapshot s) {
        List<String> keys = new ArrayList<>();
        try (KvIterator it = s == null ? db.scan(range) : db.scan(range, s)) {
            it.forEachRemaining(e -> keys.add(e.keyAsString() + "=" + e.valueAsString()));
        }
        return keys;
    }

    @Test
    void expiredEntryIsInvisibleToGetAndScanFromMemtableAndTables() {
        try (KvStore db = KvStore.open(dir, options)) {
            db.put("a", b("forever"));
            db.put("b", b("brief"), Duration.ofSeconds(10));
            db.write(new WriteBatch().put("c", b("batched"), Duration.ofSeconds(20)));
            assertThat(db.get("b")).isEqualTo(b("brief"));
            assertThat(scan(db, KeyRange.all(), null)).containsExactly("a=forever", "b=brief", "c=batched");

            clock.advance(Duration.ofSeconds(10));
            assertThat(db.get("b")).as("expired exactly at its deadline").isNull();
            assertThat(scan(db, KeyRange.all(), null)).containsExactly("a=forever", "c=batched");

            db.flush();
            assertThat(db.get("b")).isNull();
            assertThat(db.get("c")).isEqualTo(b("batched"));
            clock.advance(Duration.ofSeconds(10));
            assertThat(db.get("c")).isNull();
            assertThat(scan(db, KeyRange.all(), null)).containsExactly("a=forever");
        }
        try (KvStore db = KvStore.open(dir, options)) {
            assertThat(scan(db, KeyRange.all(), null)).containsExactly("a=forever");
        }
    }

    @Test
    void expiredEntryHidesOlderVersionsOfItsKey() {
        try (KvStore db = KvStore.open(dir, options)) {
            db.put("k", b("old"));
            db.flush();
            db.put("k", b("temporary"), Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(2));
            assertThat(db.get("k")).as("expiry removes the key, it does not bring the old value back").isNull();
            db.compact();
            assertThat(db.get("k")).isNull();
            assertThat(scan(db, KeyRange.all(), null)).isEmpty();
        }
    }

    @Test
    void snapshotTakenBeforeExpiryKeepsSeeingTheEntryAndOneTakenAfterDoesNot() {
        try (KvStore db = KvStore.open(dir, options)) {
            db.put("session", b("token"), Duration.ofSeconds(30));
            try (Snapshot before = db.snapshot()) {
                clock.advance(Duration.ofSeconds(31));
                try (Snapshot after = db.snapshot()) {
                    db.compact(); // the entry must survive: a snapshot still sees it
                    assertThat(db.get("session", before)).isEqualTo(b("token"));
                    assertThat(scan(db, KeyRange.all(), before)).containsExactly("session=token");
                    assertThat(db.get("session", after)).isNull();
                    assertThat(db.get("session")).isNull();
                }
            }
        }
    }

    @Test
    void compactionRemovesExpiredEntriesFromDisk() {
        byte[] big = new byte[1000];
        try (KvStore db = KvStore.open(dir, options)) {
            for (int i = 0; i < 2000; i++) {
                db.put(String.format("tmp%05d", i), big, Duration.ofHours(1));
            }
            db.put("keep", b("me"));
            db.compact();
            long before = db.stats().tableBytes();
            assertThat(before).isGreaterThan(2000L * 1000);

            clock.advance(Duration.ofHours(2));
            db.compact();

            assertThat(db.stats().tableBytes()).as("table bytes after the entries expired and were compacted")
                    .isLessThan(before / 100);
            assertThat(scan(db, KeyRange.all(), null)).containsExactly("keep=me");
        }
    }

    @Test
    void ttlMustBePositive() {
        try (KvStore db = KvStore.open(dir, options)) {
            assertThatThrownBy(() -> db.put("k", b("v"), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ttl must be positive");
            assertThatThrownBy(() -> new WriteBatch().put("k", b("v"), Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be positive");
            assertThatThrownBy(() -> db.put("k", b("v"), null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("ttl");
        }
    }
}
