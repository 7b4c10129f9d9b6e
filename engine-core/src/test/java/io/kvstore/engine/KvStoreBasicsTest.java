package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreBasicsTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> keys(KvIterator it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(e -> out.add(e.keyAsString() + "=" + e.valueAsString()));
        }
        return out;
    }

    @Test
    void putGetDeleteSurviveReopenFromTheWal() {
        try (KvStore db = KvStore.open(dir)) {
            db.put("a", "1");
            db.put("b", "2");
            db.delete("a");
            assertThat(db.get("a")).isNull();
            assertThat(db.get("b")).isEqualTo(b("2"));
        }
        try (KvStore db = KvStore.open(dir)) {
            assertThat(db.get("a")).isNull();
            assertThat(db.get("b")).isEqualTo(b("2"));
            assertThat(db.stats().lastSequence()).isEqualTo(3);
        }
    }

    @Test
    void flushMovesTheMemtableIntoATableThatStillAnswersReadsAndScans() {
        try (KvStore db = KvStore.open(dir)) {
            for (int i = 0; i < 1000; i++) {
                db.put(String.format("k%04d", i), "v" + i);
            }
            db.delete("k0005");
            db.flush();
            KvStoreStats stats = db.stats();
            assertThat(stats.tableFilesPerLevel().get(0)).isEqualTo(1);
            assertThat(stats.memtableBytes()).isZero();
            assertThat(db.get("k0500")).isEqualTo(b("v500"));
            assertThat(db.get("k0005")).isNull();
            assertThat(keys(db.scan(KeyRange.prefix("k000")))).containsExactly("k0000=v0", "k0001=v1", "k0002=v2",
                    "k0003=v3", "k0004=v4", "k0006=v6", "k0007=v7", "k0008=v8", "k0009=v9");
        }
        try (KvStore db = KvStore.open(dir)) {
            assertThat(db.get("k0999")).isEqualTo(b("v999"));
            assertThat(keys(db.scan(KeyRange.all()))).hasSize(999);
        }
    }

    @Test
    void smallMemtableFlushesInTheBackgroundWhileWritesContinue() {
        KvStoreOptions options = KvStoreOptions.defaults().withMemtableSize(64 << 10).withSyncMode(SyncMode.NONE);
        try (KvStore db = KvStore.open(dir, options)) {
            for (int i = 0; i < 20_000; i++) {
                db.put(String.format("key%06d", i), "value-" + i);
            }
            assertThat(db.stats().flushes()).isGreaterThan(3); // table count would race with compaction
            for (int i = 0; i < 20_000; i += 97) {
                assertThat(db.get(String.format("key%06d", i))).isEqualTo(b("value-" + i));
            }
            assertThat(keys(db.scan(KeyRange.all()))).hasSize(20_000);
        }
        try (KvStore db = KvStore.open(dir, options)) {
            assertThat(keys(db.scan(KeyRange.all()))).hasSize(20_000);
        }
    }

    @Test
    void snapshotSeesTheStoreAsItWas() {
        try (KvStore db = KvStore.open(dir)) {
            db.put("x", "old");
            try (Snapshot s = db.snapshot()) {
                db.put("x", "new");
                db.put("y", "added");
                db.flush();
                assertThat(db.get("x", s)).isEqualTo(b("old"));
                assertThat(db.get("y", s)).isNull();
                assertThat(keys(db.scan(KeyRange.all(), s))).containsExactly("x=old");
                assertThat(keys(db.scan(KeyRange.all()))).containsExactly("x=new", "y=added");
            }
        }
    }

    @Test
    void batchIsAppliedWithTheLastOperationOnAKeyWinning() {
        try (KvStore db = KvStore.open(dir)) {
            db.write(new WriteBatch().put("a", "1").put("b", "2").delete("a").put("b", "3"));
            assertThat(db.get("a")).isNull();
            assertThat(db.get("b")).isEqualTo(b("3"));
        }
    }

    @Test
    void directoryWithTablesButNoCurrentIsRefusedInsteadOfStartedAfresh() throws Exception {
        try (KvStore db = KvStore.open(dir)) {
            db.put("kept", "value");
            db.flush();
        }
        java.nio.file.Files.delete(dir.resolve("CURRENT"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KvStore.open(dir))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("CURRENT is missing");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".sst"));
        }
    }
}
