package io.kvstore.engine.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.Compression;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.FilterPrefix;
import io.kvstore.engine.io.KeyHash;
import io.kvstore.engine.io.NioFileSystem;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.memtable.InternalKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table filters that also index a prefix of the keys, and tables written without that rule. */
class TableFilterPrefixTest {

    /** The prefix up to and including the first '/': "group/item" has prefix "group/". */
    private static final FilterPrefix UP_TO_SLASH = (key, off, len) -> {
        for (int i = off; i < off + len; i++) {
            if (key[i] == '/') {
                return i - off + 1;
            }
        }
        return -1;
    };

    @TempDir
    Path dir;

    private static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return KeyHash.of(b, 0, b.length);
    }

    private TableReader write(String name, FilterPrefix rule) throws IOException {
        Path path = dir.resolve(name);
        long size;
        try (WritableFile file = NioFileSystem.INSTANCE.create(path)) {
            TableBuilder builder = new TableBuilder(file, 512, 10, Compression.NONE, rule);
            for (int g = 0; g < 200; g += 2) { // even groups only
                for (int i = 0; i < 5; i++) {
                    byte[] k = String.format("g%03d/%d", g, i).getBytes(StandardCharsets.UTF_8);
                    builder.add(k, 0, k.length, InternalKey.trailer(1, InternalKey.TYPE_PUT), k, 0, k.length);
                }
            }
            size = builder.finish();
            file.sync();
        }
        return TableReader.open(NioFileSystem.INSTANCE, path, size, new ReadCounters());
    }

    private static int formatVersion(Path table) throws IOException {
        byte[] bytes = Files.readAllBytes(table);
        return Coding.getInt(bytes, bytes.length - TableFormat.FOOTER_SIZE + 32);
    }

    @Test
    void aTableWithThePrefixRuleAnswersForItsPrefixes() throws IOException {
        try (TableReader table = write("000001.sst", UP_TO_SLASH)) {
            int absentPassed = 0;
            for (int g = 0; g < 200; g++) {
                boolean may = table.mayContainPrefix(hash(String.format("g%03d/", g)));
                if (g % 2 == 0) {
                    assertThat(may).as("group %d is in the table", g).isTrue();
                } else if (may) {
                    absentPassed++;
                }
            }
            assertThat(absentPassed).as("absent groups the filter let through").isLessThan(10);
            assertThat(table.get("g004/3".getBytes(StandardCharsets.UTF_8), 5)).isNotNull();
        }
        assertThat(formatVersion(dir.resolve("000001.sst"))).isEqualTo(TableFormat.FORMAT_VERSION);
    }

    @Test
    void aTableWithoutTheRuleNeverRulesAPrefixOut() throws IOException {
        try (TableReader table = write("000002.sst", FilterPrefix.NONE)) {
            for (int g = 0; g < 200; g++) {
                assertThat(table.mayContainPrefix(hash(String.format("g%03d/", g)))).isTrue();
            }
        }
        assertThat(formatVersion(dir.resolve("000002.sst"))).isEqualTo(TableFormat.FORMAT_VERSION_WHOLE_KEYS);
    }
}
