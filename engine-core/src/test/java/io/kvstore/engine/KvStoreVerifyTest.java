package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.io.FaultInjectingFileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KvStoreVerifyTest {

    private final FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
    private final Path dir = Path.of("/verify");
    // No background compaction (trigger 100): the tests look at the live files before verify
    // runs, and a compaction finishing in between would swap them.
    private final KvStoreOptions options = KvStoreOptions.defaults().withFileSystem(fs).withMemtableSize(64 << 10)
            .withBlockSize(512).withSyncMode(SyncMode.NONE).withLevel0FileTrigger(100);

    private static String key(int i) {
        return String.format("key%05d", i);
    }

    private void fill(KvStore db, int from, int to) {
        for (int i = from; i < to; i++) {
            db.put(key(i), "value-" + i + "-".repeat(i % 50));
        }
    }

    @Test
    void soundStoreVerifiesCleanAndCountsWhatItChecked() {
        try (KvStore db = KvStore.open(dir, options)) {
            fill(db, 0, 3000);
            db.flush();
            fill(db, 3000, 3500); // stays in the WAL
            VerifyReport report = db.verify();
            assertThat(report.ok()).as("problems: %s", report.problems()).isTrue();
            assertThat(report.tablesChecked()).isEqualTo(db.stats().tableFiles()).isPositive();
            assertThat(report.walRecordsChecked()).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void flippedByteInATableIsReportedWithFileAndOffsetEvenWhenTheBlockIsCached() {
        try (KvStore db = KvStore.open(dir, options)) {
            fill(db, 0, 3000);
            db.flush();
            fill(db, 0, 3000); // warms the block cache with every block
            for (int i = 0; i < 3000; i++) {
                db.get(key(i));
            }
            Path table = db.liveFiles().stream().flatMap(java.util.List::stream).findFirst()
                    .map(f -> dir.resolve(String.format("%06d.sst", f.number()))).orElseThrow();
            fs.flipByte(table, 100);

            VerifyReport report = db.verify();

            assertThat(report.ok()).isFalse();
            assertThat(report.problems()).anySatisfy(p -> {
                assertThat(p.file()).isEqualTo(table);
                assertThat(p.offset()).isBetween(0L, 100L);
                assertThat(p.description()).contains("checksum");
            });
        }
    }

    @Test
    void tableMissingFromTheDirectoryIsReported() throws Exception {
        try (KvStore db = KvStore.open(dir, options)) {
            fill(db, 0, 2000);
            db.flush();
            Path table = dir.resolve(String.format("%06d.sst", db.liveFiles().get(0).get(0).number()));
            fs.delete(table);
            assertThat(db.verify().problems()).anySatisfy(p -> {
                assertThat(p.file()).isEqualTo(table);
                assertThat(p.description()).contains("missing");
            });
        }
    }

    @Test
    void damagedRecordInTheWalIsReported() throws Exception {
        try (KvStore db = KvStore.open(dir, options.withMemtableSize(4 << 20))) {
            fill(db, 0, 2000); // several WAL blocks, all in the live WAL
            Path wal = null;
            for (String name : fs.list(dir)) {
                if (name.endsWith(".log") && fs.fileSize(dir.resolve(name)) > 40_000) {
                    wal = dir.resolve(name);
                }
            }
            assertThat(wal).as("a WAL spanning more than one block").isNotNull();
            fs.flipByte(wal, 30);
            Path damaged = wal;
            assertThat(db.verify().problems()).anySatisfy(p -> assertThat(p.file()).isEqualTo(damaged));
        }
    }
}
