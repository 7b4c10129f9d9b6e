package io.kvstore.engine.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.Compression;
import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.NioFileSystem;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TableCompressionTest {

    private static final int BLOCK_SIZE = 4096;

    @TempDir
    Path dir;

    static Stream<Arguments> compressionsAndData() {
        return Stream.of(Compression.values())
                .flatMap(c -> Stream.of(Arguments.of(c, "random"), Arguments.of(c, "compressible")));
    }

    private TableReader open(Path path, long size) throws IOException {
        return TableReader.open(NioFileSystem.INSTANCE, path, size, new ReadCounters());
    }

    private static List<byte[][]> scan(InternalIterator it) {
        List<byte[][]> out = new ArrayList<>();
        for (it.seekToFirst(); it.isValid(); it.next()) {
            out.add(new byte[][] {
                    Arrays.copyOfRange(it.keyArray(), it.keyOffset(), it.keyOffset() + it.keyLength()),
                    Arrays.copyOfRange(it.valueArray(), it.valueOffset(), it.valueOffset() + it.valueLength())});
        }
        return out;
    }

    static void assertTableHolds(TableReader table, NavigableMap<byte[], byte[]> entries) {
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            assertThat(table.get(e.getKey(), 10)).as("value of %s", new String(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(table.get(Tables.key(-1), 10)).isNull();
        assertThat(table.get(Tables.key(9_999_999), 10)).isNull();
        try (InternalIterator it = table.iterator()) {
            List<byte[][]> scanned = scan(it);
            assertThat(scanned).hasSameSizeAs(entries.entrySet());
            int i = 0;
            for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
                assertThat(scanned.get(i)[0]).isEqualTo(e.getKey());
                assertThat(scanned.get(i)[1]).isEqualTo(e.getValue());
                i++;
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1} values")
    @MethodSource("compressionsAndData")
    void lookupsAndIterationReturnExactlyWhatWasWritten(Compression compression, String data) throws IOException {
        NavigableMap<byte[], byte[]> entries = Tables.entries(0, 3_000, data.equals("compressible"), 42);
        Path path = dir.resolve("000001.sst");
        long size = Tables.write(path, entries, compression, BLOCK_SIZE);
        try (TableReader table = open(path, size)) {
            assertThat(table.dataBlockCount()).isGreaterThan(10);
            assertTableHolds(table, entries);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void compressibleDataBlocksAreStoredCompressedAndTakeLessSpace(Compression compression) throws IOException {
        NavigableMap<byte[], byte[]> entries = Tables.entries(0, 3_000, true, 42);
        long rawSize = Tables.write(dir.resolve("000001.sst"), entries, Compression.NONE, BLOCK_SIZE);
        Path path = dir.resolve("000002.sst");
        long size = Tables.write(path, entries, compression, BLOCK_SIZE);
        try (TableReader table = open(path, size)) {
            for (int i = 0; i < table.dataBlockCount(); i++) {
                assertThat(Tables.compressionType(path, table.dataBlockOffset(i), table.dataBlockSize(i)))
                        .as("compression of data block %d", i).isEqualTo(BlockCodec.code(compression));
            }
        }
        assertThat(size).isLessThan(rawSize / 2);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void incompressibleDataBlocksAreStoredRaw(Compression compression) throws IOException {
        NavigableMap<byte[], byte[]> entries = Tables.entries(0, 3_000, false, 42);
        long rawSize = Tables.write(dir.resolve("000001.sst"), entries, Compression.NONE, BLOCK_SIZE);
        Path path = dir.resolve("000002.sst");
        long size = Tables.write(path, entries, compression, BLOCK_SIZE);
        try (TableReader table = open(path, size)) {
            for (int i = 0; i < table.dataBlockCount(); i++) {
                assertThat(Tables.compressionType(path, table.dataBlockOffset(i), table.dataBlockSize(i)))
                        .as("compression of data block %d", i).isEqualTo(TableFormat.COMPRESSION_NONE);
            }
        }
        assertThat(size).as("same bytes as the uncompressed table").isEqualTo(rawSize);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void filterAndIndexBlocksAreNeverCompressed(Compression compression) throws IOException {
        Path path = dir.resolve("000001.sst");
        long size = Tables.write(path, Tables.entries(0, 3_000, true, 42), compression, BLOCK_SIZE);
        byte[] footer = Tables.read(path, size - TableFormat.FOOTER_SIZE, TableFormat.FOOTER_SIZE);
        assertThat(Tables.compressionType(path, Coding.getLong(footer, 0), Coding.getInt(footer, 8)))
                .as("filter block").isEqualTo(TableFormat.COMPRESSION_NONE);
        assertThat(Tables.compressionType(path, Coding.getLong(footer, 12), Coding.getInt(footer, 20)))
                .as("index block").isEqualTo(TableFormat.COMPRESSION_NONE);
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void anyFlippedByteOfACompressedBlockIsCorruptionNamingTheBlockNeverWrongData(Compression compression)
            throws IOException {
        NavigableMap<byte[], byte[]> entries = Tables.entries(0, 3_000, true, 42);
        Path path = dir.resolve("000001.sst");
        long size = Tables.write(path, entries, compression, BLOCK_SIZE);
        try (TableReader table = open(path, size)) {
            long offset = table.dataBlockOffset(1);
            int stored = table.dataBlockSize(1);
            assertThat(Tables.compressionType(path, offset, stored)).isEqualTo(BlockCodec.code(compression));
            byte[] keyInBlock = keyOfBlock(table, 1);
            for (int i = 0; i < stored + TableFormat.BLOCK_TRAILER_SIZE; i++) {
                Tables.flipByte(path, offset + i);
                assertThatThrownBy(() -> table.get(keyInBlock, 10))
                        .as("byte %d of the block flipped", i)
                        .isInstanceOfSatisfying(CorruptionException.class, e -> {
                            assertThat(e.file()).isEqualTo(path);
                            assertThat(e.offset()).isEqualTo(offset);
                        });
                Tables.flipByte(path, offset + i);
            }
            assertThat(table.get(keyInBlock, 10)).isEqualTo(entries.get(keyInBlock));
        }
    }

    static Stream<Arguments> damagedContents() {
        return Stream.of(Compression.LZ4, Compression.ZSTD).flatMap(c -> Stream.of(
                Arguments.of(c, "recorded length one more"),
                Arguments.of(c, "recorded length one less"),
                Arguments.of(c, "codec bytes replaced by garbage")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("damagedContents")
    void compressedBlockThatDoesNotDecompressToItsRecordedLengthIsCorruptionEvenWithAValidChecksum(
            Compression compression, String damage) throws IOException {
        Path path = dir.resolve("000001.sst");
        long size = Tables.write(path, Tables.entries(0, 3_000, true, 42), compression, BLOCK_SIZE);
        try (TableReader table = open(path, size)) {
            long offset = table.dataBlockOffset(1);
            int stored = table.dataBlockSize(1);
            byte[] contents = Tables.read(path, offset, stored);
            int[] pos = new int[1];
            int length = Coding.getVarint32(contents, pos, stored);
            int header = pos[0];
            byte[] damaged = contents.clone();
            switch (damage) {
                case "recorded length one more" -> putVarintOfSameSize(damaged, length + 1, header);
                case "recorded length one less" -> putVarintOfSameSize(damaged, length - 1, header);
                default -> Arrays.fill(damaged, header, stored, (byte) 0xFF);
            }
            Tables.rewriteBlock(path, offset, damaged);
            byte[] keyInBlock = keyOfBlock(table, 1);
            assertThatThrownBy(() -> table.get(keyInBlock, 10))
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(path);
                        assertThat(e.offset()).isEqualTo(offset);
                    });
        }
    }

    @Test
    void tablesWrittenWithEachCompressionStayReadableWhateverTheWriterSettingNow() throws IOException {
        // Readers take the codec from each block: nothing about the current setting is needed to read.
        NavigableMap<byte[], byte[]> entries = Tables.entries(0, 2_000, true, 7);
        for (Compression c : Compression.values()) {
            Path path = dir.resolve(c + ".sst");
            long size = Tables.write(path, entries, c, 1024);
            try (TableReader table = open(path, size)) {
                assertTableHolds(table, entries);
            }
        }
    }

    private static void putVarintOfSameSize(byte[] dst, int value, int size) {
        assertThat(Coding.varintLength(value)).as("the varint keeps its size").isEqualTo(size);
        Coding.putVarint32(dst, 0, value);
    }

    /** A user key stored in data block {@code block}: its last, which the index records. */
    private static byte[] keyOfBlock(TableReader table, int block) {
        byte[] last = table.lastKeyOfBlock(block);
        return Arrays.copyOf(last, last.length - InternalKey.TRAILER_SIZE);
    }
}
