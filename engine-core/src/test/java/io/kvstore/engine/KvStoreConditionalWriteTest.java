package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreConditionalWriteTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBatchIsWrittenOnlyWhileItsConditionsHold() {
        try (KvStore db = KvStore.open(dir, KvStoreOptions.defaults().withSyncMode(SyncMode.NONE))) {
            db.write(new WriteBatch().requireAbsent("k").put("k", "v1"));
            assertThatThrownBy(() -> db.write(new WriteBatch().requireAbsent("k").put("k", "v2").put("other", "x")))
                    .isInstanceOf(WriteConflictException.class).hasMessageContaining("'k'")
                    .hasMessageContaining("required to be absent");
            assertThat(db.get("other")).as("nothing of a refused batch is written").isNull();
            db.write(new WriteBatch().requireValue("k", b("v1")).put("k", "v2"));
            assertThatThrownBy(() -> db.write(new WriteBatch().requireValue("k", b("v1")).delete("k")))
                    .isInstanceOf(WriteConflictException.class).hasMessageContaining("no longer holds");
            assertThat(db.get("k")).isEqualTo(b("v2"));
            assertThat(db.getAll(List.of(b("k"), b("nope"), b("k")))).containsExactly(b("v2"), null, b("v2"));
        }
    }

    @Test
    void concurrentCompareAndSetIncrementsNeverLoseAnUpdate() throws Exception {
        try (KvStore db = KvStore.open(dir, KvStoreOptions.defaults().withSyncMode(SyncMode.NONE))) {
            db.put("counter", "0");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int conflicts = 0;
                    for (int i = 0; i < 500; i++) {
                        while (true) {
                            byte[] current = db.get("counter");
                            int next = Integer.parseInt(new String(current, StandardCharsets.UTF_8)) + 1;
                            try {
                                db.write(new WriteBatch().requireValue("counter", current).put("counter", String.valueOf(next)));
                                break;
                            } catch (WriteConflictException e) {
                                conflicts++;
                            }
                        }
                    }
                    return conflicts;
                }));
            }
            for (Future<Integer> f : results) {
                f.get();
            }
            pool.shutdown();
            assertThat(db.get("counter")).isEqualTo(b("2000"));
        }
    }
}
