package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.KvStoreStats;
import io.kvstore.engine.VerifyReport;
import io.kvstore.engine.index.IndexDefinition;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A store's statistics and index definitions as JSON-ready maps, shared by the endpoint and the REST API. */
public final class KvStoreDescriptions {

    private KvStoreDescriptions() {
    }

    public static Map<String, Object> stats(KvStoreStats s) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("entriesWritten", s.entriesWritten());
        stats.put("lastSequence", s.lastSequence());
        stats.put("memtableBytes", s.memtableBytes() + s.immutableMemtableBytes());
        stats.put("walBytes", s.walBytes());
        stats.put("tableFiles", s.tableFiles());
        stats.put("tableBytes", s.tableBytes());
        stats.put("bytesOnDisk", s.bytesOnDisk());
        stats.put("flushes", s.flushes());
        stats.put("compactions", s.compactions());
        stats.put("pendingCompactionBytes", s.pendingCompactionBytes());
        stats.put("writeAmplification", s.writeAmplification());
        stats.put("writeStalls", s.writeStalls());
        stats.put("blockCacheHits", s.blockCacheHits());
        stats.put("blockCacheMisses", s.blockCacheMisses());
        stats.put("bloomNegatives", s.bloomNegatives());
        stats.put("walSyncs", s.walSyncs());
        stats.put("openSnapshots", s.openSnapshots());
        return stats;
    }

    public static Map<String, Object> index(IndexDefinition d) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("name", d.name());
        index.put("type", d.type().name().toLowerCase(Locale.ROOT));
        index.put("extractor", d.extractor().toString());
        index.put("scopePrefix", new String(d.scopePrefix(), StandardCharsets.UTF_8));
        return index;
    }

    /** A verify report: ok, tables and WAL records checked, and each problem's file, offset and description. */
    public static Map<String, Object> verify(VerifyReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", report.ok());
        m.put("tablesChecked", report.tablesChecked());
        m.put("walRecordsChecked", report.walRecordsChecked());
        List<Map<String, Object>> problems = report.problems().stream().map(p -> {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("file", p.file().toString());
            problem.put("offset", p.offset());
            problem.put("description", p.description());
            return problem;
        }).toList();
        m.put("problems", problems);
        return m;
    }
}
