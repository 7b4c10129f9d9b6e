package io.kvstore.boot.web;

import io.kvstore.boot.autoconfigure.KvStoreBackups;
import io.kvstore.boot.autoconfigure.KvStoreDescriptions;
import io.kvstore.boot.web.KvStoreAccessPolicy.Operation;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreStats;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The instances, their statistics, and the admin actions flush, compact, verify and backup. */
@RestController
@RequestMapping("${kvstore.web.base-path:/db}")
class InstancesController {

    private final WebStores stores;
    private final KvStoreBackups backups;

    InstancesController(WebStores stores, ObjectProvider<KvStoreBackups> backups) {
        this.stores = stores;
        this.backups = backups.getIfAvailable(KvStoreBackups::unconfigured);
    }

    @GetMapping
    List<Map<String, Object>> instances(HttpServletRequest request) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : stores.instances().keySet()) {
            KvStore db = stores.open(name, null, Operation.READ, request);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("codec", db.options().codec().name());
            m.put("syncMode", db.options().syncMode().name().toLowerCase(Locale.ROOT));
            m.put("directory", db.directory().toString());
            m.put("status", db.failure().isPresent() ? "read-only" : "up");
            out.add(m);
        }
        return out;
    }

    @GetMapping("/{instance}/stats")
    Map<String, Object> stats(@PathVariable String instance, HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.READ, request);
        KvStoreStats s = db.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", instance);
        m.put("codec", db.options().codec().name());
        m.putAll(KvStoreDescriptions.stats(s));
        m.put("tableFilesPerLevel", s.tableFilesPerLevel());
        m.put("tableBytesPerLevel", s.tableBytesPerLevel());
        m.put("indexes", db.indexes().list().stream().map(KvStoreDescriptions::index).toList());
        db.failure().ifPresent(f -> m.put("failure", f.getMessage()));
        return m;
    }

    @PostMapping("/{instance}/admin/flush")
    Map<String, Object> flush(@PathVariable String instance, HttpServletRequest request) {
        stores.open(instance, null, Operation.ADMIN, request).flush();
        return Map.of("action", "flush", "done", true);
    }

    @PostMapping("/{instance}/admin/compact")
    Map<String, Object> compact(@PathVariable String instance, HttpServletRequest request) {
        stores.open(instance, null, Operation.ADMIN, request).compact();
        return Map.of("action", "compact", "done", true);
    }

    /**
     * Reads every live file and checksum; answers 200 with what was checked and the problems found
     * (file, offset, description; none when ok).
     */
    @PostMapping("/{instance}/admin/verify")
    ResponseEntity<Map<String, Object>> verify(@PathVariable String instance, HttpServletRequest request) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "verify");
        m.putAll(KvStoreDescriptions.verify(stores.open(instance, null, Operation.ADMIN, request).verify()));
        return ResponseEntity.ok(m);
    }

    /**
     * Writes a backup archive of a consistent checkpoint, while writes go on, into the instance's
     * backup directory ({@code kvstore.backup.directory}); answers the archive's path, last sequence,
     * file count and bytes. With no directory configured: 409 naming the property.
     */
    @PostMapping("/{instance}/admin/backup")
    Map<String, Object> backup(@PathVariable String instance, HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.ADMIN, request);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", "backup");
        m.putAll(backups.backup(instance, db).describe());
        return m;
    }
}
