package io.kvstore.engine.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.io.NioFileSystem;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.memtable.Memtable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableReaderTest {

    @TempDir
    Path dir;

    private static final int KEYS = 5_000;

    private static byte[] key(int i) {
        return String.format("key%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        return ("value-" + i).repeat(1 + i % 7).getBytes(StandardCharsets.UTF_8);
    }

    /** Even keys only; key 10 has a delete (seq 2) over a put (seq 1); the rest are puts at seq 1. */
    private TableReader writeTable(ReadCounters counters) throws IOException {
        Path path = dir.resolve("000001.sst");
        long size;
        try (WritableFile file = NioFileSystem.INSTANCE.create(path)) {
            TableBuilder builder = new TableBuilder(file, 512, 10);
            for (int i = 0; i < KEYS; i += 2) {
                byte[] k = key(i);
                if (i == 10) {
                    builder.add(k, 0, k.length, InternalKey.trailer(2, InternalKey.TYPE_DELETE), new byte[0], 0, 0);
                }
                byte[] v = value(i);
                builder.add(k, 0, k.length, InternalKey.trailer(1, InternalKey.TYPE_PUT), v, 0, v.length);
            }
            size = builder.finish();
            file.sync();
        }
        return TableReader.open(NioFileSystem.INSTANCE, path, size, counters);
    }

    @Test
    void lookupsReturnTheNewestVisibleVersionAndReadAtMostOneBlock() throws IOException {
        ReadCounters counters = new ReadCounters();
        try (TableReader table = writeTable(counters)) {
            for (int i = 0; i < KEYS; i += 2) {
                long before = counters.blockReads.sum();
                byte[] found = table.get(key(i), 100);
                assertThat(counters.blockReads.sum() - before).as("blocks read for key %d", i).isEqualTo(1);
                if (i == 10) {
                    assertThat(found).isSameAs(Memtable.DELETED);
                } else {
                    assertThat(found).isEqualTo(value(i));
                }
            }
            assertThat(table.get(key(10), 1)).as("the put under the delete, seen at sequence 1").isEqualTo(value(10));
            assertThat(table.get(key(12), 0)).as("nothing is visible at sequence 0").isNull();
        }
    }

    @Test
    void lookupThatTheBloomFilterRejectsReadsNoBlock() throws IOException {
        ReadCounters counters = new ReadCounters();
        try (TableReader table = writeTable(counters)) {
            int rejected = 0;
            for (int i = 1; i < KEYS; i += 2) {
                long readsBefore = counters.blockReads.sum();
                long negativesBefore = counters.bloomNegatives.sum();
                assertThat(table.get(key(i), 100)).isNull();
                long reads = counters.blockReads.sum() - readsBefore;
                if (counters.bloomNegatives.sum() > negativesBefore) {
                    rejected++;
                    assertThat(reads).as("blocks read for rejected key %d", i).isZero();
                } else {
                    assertThat(reads).as("blocks read for false-positive key %d", i).isEqualTo(1);
                }
            }
            assertThat(rejected).as("absent keys the filter rejected").isGreaterThan(KEYS / 2 * 95 / 100);
        }
    }

    @Test
    void iteratorVisitsEveryEntryInOrderAndSeeksToTheFirstKeyAtOrAfterTheTarget() throws IOException {
        try (TableReader table = writeTable(new ReadCounters())) {
            InternalIterator it = table.iterator();
            it.seekToFirst();
            int count = 0;
            byte[] previous = null;
            long previousTrailer = 0;
            for (; it.isValid(); it.next()) {
                byte[] k = java.util.Arrays.copyOfRange(it.keyArray(), it.keyOffset(), it.keyOffset() + it.keyLength());
                if (previous != null) {
                    assertThat(InternalKey.compare(previous, 0, previous.length, previousTrailer, k, 0, k.length,
                            it.trailer())).isNegative();
                }
                previous = k;
                previousTrailer = it.trailer();
                count++;
            }
            assertThat(count).isEqualTo(KEYS / 2 + 1);

            it.seek(key(777), InternalKey.SEEK_TRAILER);
            assertThat(new String(it.keyArray(), it.keyOffset(), it.keyLength(), StandardCharsets.UTF_8))
                    .isEqualTo("key000778");
            it.seek(key(KEYS), InternalKey.SEEK_TRAILER);
            assertThat(it.isValid()).isFalse();
            it.close();
        }
    }
}
