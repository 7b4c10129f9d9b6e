package io.kvstore.boot.health;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreException;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.KvStoreStats;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of one instance: {@code DOWN} with the error once a background flush, compaction or WAL
 * write failed (the store is then read-only), {@code UP} otherwise, with the sync mode, files and
 * bytes per level, pending compaction bytes, disk usage and free space, and the write-stall state.
 */
public class KvStoreHealthIndicator extends AbstractHealthIndicator {

    private final KvStore store;

    public KvStoreHealthIndicator(KvStore store) {
        super("KvStore health check failed");
        this.store = store;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("directory", store.directory().toString());
        Optional<KvStoreException> failure = store.failure();
        if (failure.isPresent()) {
            builder.down(failure.get()).withDetail("readOnly", true);
            return;
        }
        KvStoreOptions options = store.options();
        KvStoreStats stats = store.stats();
        Map<String, Map<String, Long>> levels = new LinkedHashMap<>();
        for (int level = 0; level < stats.tableFilesPerLevel().size(); level++) {
            levels.put("L" + level, Map.of("files", (long) stats.tableFilesPerLevel().get(level),
                    "bytes", stats.tableBytesPerLevel().get(level)));
        }
        builder.up()
                .withDetail("syncMode", options.syncMode().name().toLowerCase(java.util.Locale.ROOT))
                .withDetail("codec", options.codec().name())
                .withDetail("levels", levels)
                .withDetail("pendingCompactionBytes", stats.pendingCompactionBytes())
                .withDetail("diskUsedBytes", stats.bytesOnDisk())
                .withDetail("diskFreeBytes", freeBytes())
                .withDetail("writeStall", stallState(stats.tableFilesPerLevel().get(0), options))
                .withDetail("writeStalls", stats.writeStalls());
    }

    /** Usable bytes on the directory's file system, or -1 when the file system does not say. */
    private long freeBytes() {
        try {
            return Files.getFileStore(store.directory()).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** {@code stopped}: writes wait for compaction; {@code slowed}: writes are delayed; else {@code none}. */
    static String stallState(int level0Files, KvStoreOptions options) {
        if (level0Files >= options.level0StopTrigger()) {
            return "stopped";
        }
        return level0Files >= options.level0SlowdownTrigger() ? "slowed" : "none";
    }
}
