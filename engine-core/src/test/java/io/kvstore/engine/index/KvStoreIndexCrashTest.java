package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreException;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.io.FaultInjectingFileSystem;
import io.kvstore.engine.io.FaultInjectingFileSystem.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash at any point of an index build never leaves a silently partial index: after the power
 * cut and reopen the index is either absent (its definition never became durable) or complete,
 * because open resumes the build from its progress key. Runs on the in-memory
 * {@link FaultInjectingFileSystem} in SYNC mode: the k-th operation of a kind fails during
 * {@code create}, then the power is cut (plain or torn) and the store reopened.
 */
class KvStoreIndexCrashTest {

    private static final Path DIR = Path.of("/crash-index");
    private static final int RECORDS = 3000;

    private static KvStoreOptions options(FaultInjectingFileSystem fs) {
        return KvStoreOptions.defaults().withFileSystem(fs).withSyncMode(SyncMode.SYNC).withMemtableSize(64 << 10);
    }

    private static IndexDefinition index() {
        return IndexDefinition.of("color", IndexType.EQUALITY, Extractor.jsonPath("$.color")).withScopePrefix("k:");
    }

    private static String color(int i) {
        return i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue";
    }

    private static FaultInjectingFileSystem withData() {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
        try (KvStore db = KvStore.open(DIR, options(fs))) {
            for (int i = 0; i < RECORDS; i++) {
                db.put(String.format("k:%05d", i), "{\"color\":\"" + color(i) + "\",\"i\":" + i + "}");
            }
        }
        return fs;
    }

    @ParameterizedTest
    @EnumSource(value = Operation.class, names = {"APPEND", "SYNC", "CREATE", "SYNC_DIRECTORY", "DELETE"})
    void aCrashAnywhereInABuildLeavesTheIndexAbsentOrComplete(Operation kind) {
        FaultInjectingFileSystem dry = withData();
        long during;
        try (KvStore db = KvStore.open(DIR, options(dry))) {
            long before = dry.count(kind);
            db.indexes().create(index());
            during = dry.count(kind) - before;
        }
        assertThat(during).as("%s operations of a build", kind).isPositive();

        TreeSet<Long> points = new TreeSet<>();
        for (long k = 1; k <= during; k += Math.max(1, during / 10)) {
            points.add(k);
        }
        points.add(during);
        int complete = 0;
        int absent = 0;
        for (long k : points) {
            for (boolean torn : new boolean[] {false, true}) {
                FaultInjectingFileSystem fs = withData();
                KvStore db = KvStore.open(DIR, options(fs));
                fs.failNth(kind, (int) k);
                try {
                    db.indexes().create(index());
                } catch (KvStoreException expected) {
                    // the injected failure
                }
                if (torn) {
                    fs.powerCut(new Random(k));
                } else {
                    fs.powerCut();
                }
                try {
                    db.close();
                } catch (RuntimeException ignored) {
                    // the store was failed by the injected error
                }
                fs.clearFaults();
                try (KvStore reopened = KvStore.open(DIR, options(fs))) {
                    if (reopened.indexes().get("color").isEmpty()) {
                        absent++;
                    } else {
                        complete++;
                        for (String c : List.of("red", "green", "blue")) {
                            List<String> keys = new ArrayList<>();
                            String cursor = null;
                            do {
                                QueryPage p = reopened.query(IndexQuery.eq("color", c).limit(1000).after(cursor));
                                p.entries().forEach(e -> keys.add(e.keyAsString()));
                                cursor = p.cursor();
                            } while (cursor != null);
                            assertThat(keys).as("%s after a crash at %s #%d (torn %s)", c, kind, k, torn)
                                    .hasSize(RECORDS / 3)
                                    .allMatch(key -> color(Integer.parseInt(key.substring(2))).equals(c));
                        }
                    }
                    assertThat(reopened.verify().ok()).isTrue();
                }
            }
        }
        assertThat(complete).as("crash points after which the build was resumed or done").isPositive();
        if (kind == Operation.APPEND || kind == Operation.SYNC) {
            assertThat(absent).as("crash points before the definition was durable").isPositive();
        }
        System.out.printf("index build crash (%s): %d crash points, %d absent, %d complete%n", kind,
                points.size() * 2, absent, complete);
    }
}
