package io.kvstore.engine.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.wal.BatchRecord;
import io.kvstore.engine.wal.LogFormat;
import org.junit.jupiter.api.Test;

/** Pins the sizes and codes of the on-disk formats: changing one breaks every existing store. */
class TableFormatTest {

    @Test
    void formatConstantsAreTheDocumentedOnes() {
        assertThat(TableFormat.FOOTER_SIZE).isEqualTo(48);
        assertThat(TableFormat.BLOCK_TRAILER_SIZE).isEqualTo(5);
        assertThat(TableFormat.MAGIC).isEqualTo(0x4B56535441424C45L);
        assertThat(TableFormat.FORMAT_VERSION).isEqualTo(2);
        assertThat(TableFormat.FORMAT_VERSION_WHOLE_KEYS).isEqualTo(1);
        assertThat(TableFormat.COMPRESSION_NONE).isEqualTo((byte) 0);
        assertThat(TableFormat.COMPRESSION_LZ4).isEqualTo((byte) 1);
        assertThat(TableFormat.COMPRESSION_ZSTD).isEqualTo((byte) 2);
        assertThat(LogFormat.BLOCK_SIZE).isEqualTo(32 * 1024);
        assertThat(LogFormat.HEADER_SIZE).isEqualTo(7);
        assertThat(LogFormat.FILE_HEADER_SIZE).isEqualTo(12);
        assertThat(LogFormat.FORMAT_VERSION).isEqualTo(1);
        assertThat(BatchRecord.HEADER_SIZE).isEqualTo(12);
        assertThat(BatchRecord.TYPE_PUT).isEqualTo(InternalKey.TYPE_PUT).isEqualTo((byte) 1);
        assertThat(BatchRecord.TYPE_DELETE).isEqualTo(InternalKey.TYPE_DELETE).isEqualTo((byte) 0);
        assertThat(InternalKey.TRAILER_SIZE).isEqualTo(8);
    }
}
