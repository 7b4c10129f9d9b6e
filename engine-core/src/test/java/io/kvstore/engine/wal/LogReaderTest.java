package io.kvstore.engine.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.io.FaultInjectingFileSystem;
import io.kvstore.engine.io.WritableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogReaderTest {

    private final FaultInjectingFileSystem fs = new FaultInjectingFileSystem();
    private final Path dir = Path.of("/wal");
    private final Path path = dir.resolve("000001.log");

    /** Records of sizes that hit every framing case: tiny, block-sized, spanning several blocks. */
    private List<byte[]> writeRecords(long seed) throws IOException {
        fs.createDirectories(dir);
        Random random = new Random(seed);
        List<byte[]> records = new ArrayList<>();
        try (WritableFile file = fs.create(path)) {
            LogWriter writer = new LogWriter(file, LogFormat.WAL_MAGIC);
            int[] sizes = {0, 1, 100, LogFormat.BLOCK_SIZE - 2 * LogFormat.HEADER_SIZE - 12,
                    LogFormat.BLOCK_SIZE, 3 * LogFormat.BLOCK_SIZE + 17, 5, 70_000, 3};
            for (int size : sizes) {
                byte[] record = new byte[size];
                random.nextBytes(record);
                writer.addRecord(record, 0, record.length);
                records.add(record);
            }
            writer.sync();
        }
        return records;
    }

    private List<byte[]> readAll(boolean tolerateTornTail) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (LogReader reader = new LogReader(fs.openForRead(path), path, LogFormat.WAL_MAGIC)) {
            for (byte[] r; (r = tolerateTornTail ? reader.nextUpToTornTail(true) : reader.next()) != null; ) {
                out.add(r);
            }
            return out;
        }
    }

    @Test
    void recordsOfEverySizeReadBackInOrder() throws IOException {
        List<byte[]> written = writeRecords(1);
        assertThat(readAll(false)).containsExactlyElementsOf(written);
    }

    @Test
    void logTruncatedAtAnyLengthReadsBackAPrefixOfItsRecords() throws IOException {
        List<byte[]> written = writeRecords(2);
        long size = fs.fileSize(path);
        byte[] whole = new byte[(int) size];
        try (var file = fs.openForRead(path)) {
            file.readFully(0, whole, 0, whole.length);
        }
        Random random = new Random(3);
        for (int trial = 0; trial < 300; trial++) {
            int cut = trial < 40 ? trial : random.nextInt((int) size + 1);
            try (WritableFile file = fs.create(path)) {
                file.append(whole, 0, cut);
            }
            List<byte[]> read = readAll(true);
            assertThat(read.size()).as("records read from a log cut at %d", cut).isLessThanOrEqualTo(written.size());
            assertThat(read).as("cut at %d", cut).containsExactlyElementsOf(written.subList(0, read.size()));
        }
    }

    @Test
    void damageBeforeIntactLaterBlocksIsCorruptionNamingFileAndOffset() throws IOException {
        writeRecords(4);
        fs.flipByte(path, 200); // inside the third record, in the first block; whole records follow in later blocks
        assertThatThrownBy(() -> readAll(true)).isInstanceOf(CorruptionException.class)
                .satisfies(e -> {
                    CorruptionException c = (CorruptionException) e;
                    assertThat(c.file()).isEqualTo(path);
                    assertThat(c.offset()).isLessThanOrEqualTo(200);
                    assertThat(c.getMessage()).contains("000001.log").contains("checksum");
                });
    }

    @Test
    void manifestIsNotReadAsAWriteAheadLog() throws IOException {
        fs.createDirectories(dir);
        try (WritableFile file = fs.create(path)) {
            new LogWriter(file, LogFormat.MANIFEST_MAGIC).sync();
        }
        assertThatThrownBy(() -> readAll(false)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("not a write-ahead log");
    }
}
