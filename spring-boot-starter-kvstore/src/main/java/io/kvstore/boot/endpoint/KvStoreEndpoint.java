package io.kvstore.boot.endpoint;

import io.kvstore.boot.autoconfigure.KvStoreBackups;
import io.kvstore.boot.autoconfigure.KvStoreDescriptions;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.jspecify.annotations.Nullable;

/**
 * {@code /actuator/kvstore}: {@code GET} lists the instances with their stats, {@code GET
 * /{instance}} shows one with its levels and indexes, {@code POST /{instance}} with
 * {@code {"action": "flush" | "compact" | "verify" | "backup"}} runs that action and answers with its
 * result. {@code backup} writes an archive into the instance's backup directory
 * ({@code kvstore.backup.directory}, see {@link KvStoreBackups}) and answers its path, last
 * sequence, file count and bytes. Reading an unknown instance answers 404; an action on an
 * unknown instance, an unknown action, or a backup with no directory configured answers 400
 * with the reason.
 */
@Endpoint(id = "kvstore")
public class KvStoreEndpoint {

    private final Map<String, KvStore> stores;
    private final KvStoreBackups backups;

    /** @param stores the stores by instance name; backups are refused (no directory configured) */
    public KvStoreEndpoint(Map<String, KvStore> stores) {
        this(stores, KvStoreBackups.unconfigured());
    }

    /**
     * @param stores the stores by instance name
     * @param backups where the backup action writes archives
     */
    public KvStoreEndpoint(Map<String, KvStore> stores, KvStoreBackups backups) {
        this.stores = Map.copyOf(stores);
        this.backups = backups;
    }

    @ReadOperation
    public Map<String, Object> instances() {
        Map<String, Object> instances = new LinkedHashMap<>();
        stores.keySet().stream().sorted().forEach(name -> instances.put(name, summary(stores.get(name))));
        return Map.of("instances", instances);
    }

    @ReadOperation
    @Nullable
    public Map<String, Object> instance(@Selector String instance) {
        KvStore store = stores.get(instance);
        if (store == null) {
            return null;
        }
        Map<String, Object> detail = summary(store);
        KvStoreStats stats = store.stats();
        List<Map<String, Object>> levels = new ArrayList<>();
        for (int level = 0; level < stats.tableFilesPerLevel().size(); level++) {
            levels.add(Map.of("level", level, "files", stats.tableFilesPerLevel().get(level), "bytes",
                    stats.tableBytesPerLevel().get(level)));
        }
        detail.put("levels", levels);
        detail.put("indexes", store.indexes().list().stream().map(KvStoreDescriptions::index).toList());
        return detail;
    }

    @WriteOperation
    public Map<String, Object> action(@Selector String instance, String action) {
        KvStore store = stores.get(instance);
        if (store == null) {
            throw new InvalidEndpointRequestException("no KvStore instance named '" + instance + "'; instances: "
                    + stores.keySet().stream().sorted().toList(), "unknown instance '" + instance + "'");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("instance", instance);
        result.put("action", action);
        switch (action == null ? "" : action.toLowerCase(Locale.ROOT)) {
            case "flush" -> store.flush();
            case "compact" -> store.compact();
            case "verify" -> result.putAll(KvStoreDescriptions.verify(store.verify()));
            case "backup" -> {
                try {
                    result.putAll(backups.backup(instance, store).describe());
                } catch (KvStoreBackups.BackupNotConfiguredException e) {
                    throw new InvalidEndpointRequestException(e.getMessage(), "no backup directory configured");
                }
            }
            default -> throw new InvalidEndpointRequestException("unknown action '" + action
                    + "'; use flush, compact, verify or backup", "unknown action '" + action + "'");
        }
        result.put("stats", KvStoreDescriptions.stats(store.stats()));
        return result;
    }

    private static Map<String, Object> summary(KvStore store) {
        KvStoreStats s = store.stats();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("directory", store.directory().toString());
        summary.put("syncMode", store.options().syncMode().name().toLowerCase(Locale.ROOT));
        summary.put("codec", store.options().codec().name());
        summary.put("status", store.failure().map(e -> "read-only: " + e.getMessage()).orElse("ok"));
        summary.put("stats", KvStoreDescriptions.stats(s));
        return summary;
    }
}
