package io.kvstore.engine.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.Compression;
import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableCacheTest {

    private static final int KEYS_PER_TABLE = 200;

    @TempDir
    Path dir;

    private final CountingFileSystem fs = new CountingFileSystem();
    private final ReadCounters counters = new ReadCounters();
    private final List<NavigableMap<byte[], byte[]>> contents = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private TableCache cache;

    @AfterEach
    void closeCache() {
        if (cache != null) {
            cache.close();
        }
    }

    private Path path(long number) {
        return dir.resolve(String.format("%06d.sst", number));
    }

    /** Writes tables 0..count-1 with disjoint key ranges, compressed NONE, LZ4, ZSTD in turn. */
    private void writeTables(int count, int blockSize) throws IOException {
        for (int t = 0; t < count; t++) {
            NavigableMap<byte[], byte[]> entries = Tables.entries(t * KEYS_PER_TABLE, KEYS_PER_TABLE, t % 2 == 0, t);
            contents.add(entries);
            sizes.add(Tables.write(path(t), entries, Compression.values()[t % 3], blockSize));
        }
    }

    private TableCache newCache(long blockCacheBytes, int maxOpenFiles) {
        cache = new TableCache(fs, this::path, counters, blockCacheBytes, maxOpenFiles);
        return cache;
    }

    private byte[] get(int table, byte[] key) {
        return cache.get(table, sizes.get(table), key, 10);
    }

    private void assertTableReads(int table) {
        for (Map.Entry<byte[], byte[]> e : contents.get(table).entrySet()) {
            assertThat(get(table, e.getKey())).as("table %d key %s", table, new String(e.getKey()))
                    .isEqualTo(e.getValue());
        }
        try (InternalIterator it = cache.iterator(table, sizes.get(table))) {
            it.seekToFirst();
            for (Map.Entry<byte[], byte[]> e : contents.get(table).entrySet()) {
                assertThat(it.isValid()).isTrue();
                assertThat(userKey(it)).isEqualTo(e.getKey());
                assertThat(value(it)).isEqualTo(e.getValue());
                it.next();
            }
            assertThat(it.isValid()).isFalse();
        }
    }

    private static byte[] userKey(InternalIterator it) {
        return Arrays.copyOfRange(it.keyArray(), it.keyOffset(), it.keyOffset() + it.keyLength());
    }

    private static byte[] value(InternalIterator it) {
        return Arrays.copyOfRange(it.valueArray(), it.valueOffset(), it.valueOffset() + it.valueLength());
    }

    private int dataBlockCount(int table) throws IOException {
        try (TableReader reader = TableReader.open(fs, path(table), sizes.get(table), new ReadCounters())) {
            return reader.dataBlockCount();
        }
    }

    @Test
    void tablesWrittenWithDifferentCompressionsAreAllReadThroughOneCache() throws IOException {
        writeTables(9, 1024);
        newCache(1 << 20, 16);
        for (int t = 0; t < 9; t++) {
            assertTableReads(t);
            assertThat(get(t, Tables.key(5_000_000))).isNull();
        }
    }

    @Test
    void firstLookupOfABlockMissesTheBlockCacheAndRepeatedLookupsHitIt() throws IOException {
        writeTables(1, 1024);
        int blocks = dataBlockCount(0);
        newCache(1 << 20, 16);

        for (byte[] key : contents.get(0).keySet()) {
            get(0, key);
        }
        assertThat(counters.blockCacheMisses.sum()).isEqualTo(blocks);
        assertThat(counters.blockReads.sum()).as("a miss reads the block from the file").isEqualTo(blocks);
        assertThat(counters.blockCacheHits.sum()).isEqualTo(KEYS_PER_TABLE - blocks);

        for (byte[] key : contents.get(0).keySet()) {
            assertThat(get(0, key)).isEqualTo(contents.get(0).get(key));
        }
        assertThat(counters.blockCacheMisses.sum()).isEqualTo(blocks);
        assertThat(counters.blockReads.sum()).isEqualTo(blocks);
        assertThat(counters.blockCacheHits.sum()).isEqualTo(2L * KEYS_PER_TABLE - blocks);
    }

    @Test
    void blockCacheRetainsAtMostItsBoundInBytesUnderManyDistinctBlocks() throws IOException {
        writeTables(20, 512);
        long bound = 16 * 1024;
        newCache(bound, 16);
        for (int round = 0; round < 2; round++) {
            for (int t = 0; t < 20; t++) {
                assertTableReads(t);
                assertThat(cache.blockCacheWeightedSize()).as("after table %d", t).isBetween(1L, bound);
            }
        }
        assertThat(counters.blockReads.sum()).as("more distinct blocks than fit").isGreaterThan(100);
    }

    @Test
    void blockCacheOfSizeZeroReadsEveryBlockFromTheFile() throws IOException {
        writeTables(1, 1024);
        newCache(0, 16);
        for (int round = 0; round < 3; round++) {
            for (byte[] key : contents.get(0).keySet()) {
                get(0, key);
            }
        }
        assertThat(counters.blockReads.sum()).isEqualTo(3L * KEYS_PER_TABLE);
        assertThat(counters.blockCacheHits.sum()).isZero();
        assertThat(counters.blockCacheMisses.sum()).isZero();
        assertThat(cache.blockCacheWeightedSize()).isZero();
    }

    @Test
    void openFilesNeverExceedMaxOpenFilesWhileLookingUpAcrossManyMoreTables() throws IOException {
        writeTables(100, 1024);
        newCache(1 << 20, 16);
        Random random = new Random(1);
        for (int round = 0; round < 3; round++) {
            for (int t = 0; t < 100; t++) {
                int table = round == 1 ? random.nextInt(100) : t;
                byte[] key = Tables.key(table * KEYS_PER_TABLE + random.nextInt(KEYS_PER_TABLE));
                assertThat(get(table, key)).isEqualTo(contents.get(table).get(key));
                assertThat(fs.openNow()).isLessThanOrEqualTo(16);
            }
        }
        for (int t = 0; t < 100; t++) {
            assertTableReads(t);
        }
        assertThat(fs.maxOpen()).isLessThanOrEqualTo(16);
        assertThat(fs.opens()).as("tables were closed and reopened").isGreaterThan(100);

        cache.close();
        assertThat(fs.openNow()).as("open files after close").isZero();
    }

    @Test
    void iteratorKeepsReadingItsTableAfterEvictionByOtherTablesAndClosesItOnRelease() throws IOException {
        writeTables(100, 512);
        newCache(0, 16);
        InternalIterator it = cache.iterator(0, sizes.get(0));
        it.seekToFirst();
        List<Map.Entry<byte[], byte[]>> expected = new ArrayList<>(contents.get(0).entrySet());
        int read = 0;
        for (; read < 10; read++, it.next()) {
            assertThat(userKey(it)).isEqualTo(expected.get(read).getKey());
        }

        for (int round = 0; round < 10 && cache.isCached(0); round++) {
            for (int t = 1; t < 100; t++) {
                get(t, Tables.key(t * KEYS_PER_TABLE));
            }
        }
        assertThat(cache.isCached(0)).as("table 0 evicted").isFalse();
        assertThat(fs.isOpen(path(0))).as("table 0 still open for its iterator").isTrue();

        for (; read < expected.size(); read++, it.next()) {
            assertThat(it.isValid()).isTrue();
            assertThat(userKey(it)).isEqualTo(expected.get(read).getKey());
            assertThat(value(it)).isEqualTo(expected.get(read).getValue());
        }
        assertThat(it.isValid()).isFalse();
        it.seek(Tables.key(7), InternalKey.SEEK_TRAILER);
        assertThat(userKey(it)).isEqualTo(Tables.key(7));

        it.close();
        assertThat(fs.isOpen(path(0))).as("table 0 open after its iterator closed").isFalse();
        it.close(); // idempotent: releases once
        assertTableReads(0);
    }

    @Test
    void tableEvictedForDeletionStaysReadableByItsIteratorThenClosesAndLeavesTheBlockCache() throws IOException {
        writeTables(2, 512);
        newCache(1 << 20, 16);
        assertTableReads(0);
        assertTableReads(1);
        long bothTables = cache.blockCacheWeightedSize();
        InternalIterator it = cache.iterator(0, sizes.get(0));
        it.seekToFirst();

        cache.evict(0);
        assertThat(cache.isCached(0)).isFalse();
        assertThat(fs.isOpen(path(0))).isTrue();
        long oneTable = cache.blockCacheWeightedSize();
        assertThat(oneTable).as("table 0's blocks dropped").isLessThan(bothTables);

        int n = 0;
        for (Map.Entry<byte[], byte[]> e : contents.get(0).entrySet()) {
            assertThat(userKey(it)).isEqualTo(e.getKey());
            assertThat(value(it)).isEqualTo(e.getValue());
            it.next();
            n++;
        }
        assertThat(n).isEqualTo(KEYS_PER_TABLE);
        it.close();
        assertThat(fs.isOpen(path(0))).isFalse();
        assertThat(fs.isOpen(path(1))).isTrue();
    }

    @Test
    void verifyReadsEveryBlockFromTheFileAndNamesTheFirstDamagedOne() throws IOException {
        writeTables(3, 512);
        newCache(1 << 20, 16);
        for (int t = 0; t < 3; t++) {
            assertTableReads(t); // every block now cached
            cache.verify(t, sizes.get(t));
        }
        for (int t = 0; t < 3; t++) {
            long third;
            long fifth;
            try (TableReader reader = TableReader.open(fs, path(t), sizes.get(t), new ReadCounters())) {
                third = reader.dataBlockOffset(3);
                fifth = reader.dataBlockOffset(5);
            }
            Tables.flipByte(path(t), fifth + 2);
            Tables.flipByte(path(t), third + 1);
            long expectedOffset = third;
            int table = t;
            assertThatThrownBy(() -> cache.verify(table, sizes.get(table)))
                    .as("table %d (%s)", t, Compression.values()[t % 3])
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(path(table));
                        assertThat(e.offset()).isEqualTo(expectedOffset);
                    });
        }
        assertThat(fs.openNow()).as("verify released its tables").isEqualTo(3);
    }

    @Test
    void corruptTableFailsEveryReadWithCorruptionAndIsNotLeftOpen() throws IOException {
        writeTables(1, 512);
        Tables.flipByte(path(0), sizes.get(0) - 1); // the magic number
        newCache(1 << 20, 16);
        assertThatThrownBy(() -> get(0, Tables.key(0))).isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> cache.iterator(0, sizes.get(0))).isInstanceOf(CorruptionException.class);
        assertThat(fs.openNow()).isZero();
    }

    @Test
    void concurrentLookupsAndScansUnderEvictionPressureAlwaysReadCorrectData() throws Exception {
        writeTables(40, 512);
        newCache(64 * 1024, 16);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                long seed = w;
                tasks.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 2_000; i++) {
                        int table = random.nextInt(40);
                        if (i % 50 == 0) {
                            try (InternalIterator it = cache.iterator(table, sizes.get(table))) {
                                int n = 0;
                                for (it.seekToFirst(); it.isValid(); it.next()) {
                                    n++;
                                }
                                assertThat(n).isEqualTo(KEYS_PER_TABLE);
                            }
                        } else {
                            byte[] key = Tables.key(table * KEYS_PER_TABLE + random.nextInt(KEYS_PER_TABLE));
                            assertThat(get(table, key)).isEqualTo(contents.get(table).get(key));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } finally {
            pool.shutdown();
        }
        cache.close();
        assertThat(fs.openNow()).as("open files after close").isZero();
    }
}
