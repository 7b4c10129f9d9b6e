package io.kvstore.cli;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.WriteBatch;
import io.kvstore.engine.admin.ExportOptions;
import io.kvstore.engine.admin.Exporter;
import io.kvstore.engine.admin.ImportOptions;
import io.kvstore.engine.admin.Importer;
import io.kvstore.engine.admin.TransferReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Import and export in remote mode, built on the engine's streaming adapters: the records pass
 * through a temporary local store (on disk, so memory stays bounded), which is sent to the server
 * in batches ({@code POST /keys/batch}, each batch atomic, the import as a whole not) or filled
 * from its pages before the export file is written. The report's timing covers the file side.
 */
final class RemoteTransfer {

    private RemoteTransfer() {
    }

    static TransferReport importFile(StoreAccess remote, Path file, ImportOptions options, LongConsumer progress) {
        return staged(remote, staging -> {
            TransferReport report = Importer.importFile(staging, file, options, progress);
            List<StoreAccess.Op> batch = new ArrayList<>();
            try (KvIterator it = staging.scan(io.kvstore.engine.KeyRange.all())) {
                while (it.hasNext()) {
                    KvEntry e = it.next();
                    batch.add(new StoreAccess.Op(new String(e.key(), StandardCharsets.UTF_8), e.value()));
                    if (batch.size() == options.batchSize()) {
                        remote.write(batch);
                        batch.clear();
                    }
                }
            }
            remote.write(batch);
            return report;
        });
    }

    static TransferReport exportFile(StoreAccess remote, String prefix, Path file, ExportOptions options,
            LongConsumer progress) {
        return staged(remote, staging -> {
            WriteBatch batch = new WriteBatch();
            remote.scan(StoreAccess.Range.prefix(prefix), 0, true, e -> {
                batch.put(e.key(), e.value());
                if (batch.size() == 1000) {
                    staging.write(batch);
                    batch.clear();
                }
            });
            if (!batch.isEmpty()) {
                staging.write(batch);
            }
            return Exporter.exportFile(staging, file, options, progress);
        });
    }

    private interface Work {
        TransferReport run(KvStore staging);
    }

    /** Runs {@code work} on a temporary store holding values as the remote access hands them out. */
    private static TransferReport staged(StoreAccess remote, Work work) {
        Path dir;
        try {
            dir = Files.createTempDirectory("kvstore-transfer-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (KvStore staging = KvStore.open(dir, KvStoreOptions.defaults().withCodec(remote.valueCodec())
                .withSyncMode(SyncMode.NONE))) {
            return work.run(staging);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind; the transfer itself is done
            }
        }
    }
}
