package io.kvstore.boot.metrics;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreStats;
import io.kvstore.engine.index.IndexDefinition;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The store gauges and counters, read from {@link KvStore#stats()}, every meter tagged
 * {@code instance}; sizes in bytes. One {@code stats()} call (it takes the store's mutex and
 * lists its directory) serves all meters of an instance for {@link #STATS_TTL_MILLIS}, so a
 * scrape costs one call per instance, not one per meter.
 */
public class KvStoreMetrics implements MeterBinder, DisposableBean {

    /** How long one stats reading serves the meters of an instance. */
    static final long STATS_TTL_MILLIS = 1000;
    /**
     * How often {@code kvstore.index.entries} is recounted. Counting reads an index's postings,
     * so it runs on a background thread at this modest rate, never in a scrape.
     */
    static final Duration INDEX_ENTRIES_REFRESH = Duration.ofSeconds(30);

    private final Map<String, KvStore> stores;
    private final LongSupplier millis;
    /**
     * Meters hold their state object only weakly: without this strong hold the readings would be
     * collected and every meter would read NaN.
     */
    private final List<CachedStats> readings = new CopyOnWriteArrayList<>();
    private final Map<String, MultiGauge> indexEntries = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService indexCounter;
    /** Off in tests that call {@link #countIndexEntries()} themselves. */
    boolean countInBackground = true;

    /** @param stores the stores by instance name */
    public KvStoreMetrics(Map<String, KvStore> stores) {
        this(stores, () -> System.nanoTime() / 1_000_000);
    }

    /** @param millis a monotonic clock in milliseconds, for tests */
    KvStoreMetrics(Map<String, KvStore> stores, LongSupplier millis) {
        this.stores = Map.copyOf(stores);
        this.millis = millis;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        stores.forEach((instance, store) -> {
            CachedStats stats = new CachedStats(store, millis);
            readings.add(stats);
            bind(registry, instance, stats);
            indexEntries.put(instance, MultiGauge.builder("kvstore.index.entries")
                    .description("Entries (postings) of each secondary index").baseUnit("entries")
                    .tags(Tags.of("instance", instance)).register(registry));
        });
        startCountingIndexEntries();
    }

    private synchronized void startCountingIndexEntries() {
        if (indexCounter == null && countInBackground) {
            indexCounter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kvstore-index-metrics");
                t.setDaemon(true);
                return t;
            });
            indexCounter.scheduleWithFixedDelay(this::countIndexEntries, 0, INDEX_ENTRIES_REFRESH.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Recounts the entries of every ready index; indexes created or dropped since appear or vanish. */
    void countIndexEntries() {
        indexEntries.forEach((instance, gauge) -> {
            KvStore store = stores.get(instance);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            try {
                for (IndexDefinition index : store.indexes().list()) {
                    try {
                        rows.add(MultiGauge.Row.of(Tags.of("index", index.name()), store.indexes().entryCount(index.name())));
                    } catch (RuntimeException notReady) {
                        // being built, stale or just dropped: counted next time
                    }
                }
            } catch (RuntimeException closed) {
                return; // the store is closing: keep the last counts
            }
            gauge.register(rows, true);
        });
    }

    @Override
    public synchronized void destroy() {
        if (indexCounter != null) {
            indexCounter.shutdownNow();
        }
    }

    private void bind(MeterRegistry registry, String instance, CachedStats stats) {
        Tags tags = Tags.of("instance", instance);
        gauge(registry, "kvstore.memtable.size", "Bytes in the active and the flushing memtable", tags, stats,
                s -> s.memtableBytes() + s.immutableMemtableBytes());
        gauge(registry, "kvstore.disk.used", "Bytes of every file the store owns", tags, stats, KvStoreStats::bytesOnDisk);
        gauge(registry, "kvstore.compaction.pending", "Bytes compaction still wants to rewrite", tags, stats,
                KvStoreStats::pendingCompactionBytes);
        int levels = stats.levels();
        for (int level = 0; level < levels; level++) {
            int l = level;
            Gauge.builder("kvstore.sstables", stats, c -> c.value(s -> s.tableFilesPerLevel().get(l)))
                    .description("Table files per level").baseUnit(BaseUnits.FILES)
                    .tags(tags).tag("level", Integer.toString(level)).register(registry);
        }
        counter(registry, "kvstore.compactions", "Compactions run", null, tags, stats, KvStoreStats::compactions);
        counter(registry, "kvstore.compaction.bytes.read", "Bytes of table files read by compactions", BaseUnits.BYTES,
                tags, stats, KvStoreStats::compactionBytesRead);
        counter(registry, "kvstore.compaction.bytes.written", "Bytes of table files written by compactions",
                BaseUnits.BYTES, tags, stats, KvStoreStats::compactionBytesWritten);
        counter(registry, "kvstore.wal.syncs", "Write-ahead log fsyncs", null, tags, stats, KvStoreStats::walSyncs);
        counter(registry, "kvstore.write.stalls", "Times a writer waited for or was slowed by flush or compaction",
                null, tags, stats, KvStoreStats::writeStalls);
        counter(registry, "kvstore.block.cache.gets", "Data block reads through the block cache", null,
                tags.and("result", "hit"), stats, KvStoreStats::blockCacheHits);
        counter(registry, "kvstore.block.cache.gets", "Data block reads through the block cache", null,
                tags.and("result", "miss"), stats, KvStoreStats::blockCacheMisses);
        // The engine counts only the lookups a bloom filter answered (the key is certainly absent).
        counter(registry, "kvstore.bloom.checks", "Point lookups a bloom filter answered without reading a block",
                null, tags.and("result", "negative"), stats, KvStoreStats::bloomNegatives);
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tags tags, CachedStats stats,
            ToDoubleFunction<KvStoreStats> f) {
        Gauge.builder(name, stats, c -> c.value(f)).description(description).baseUnit(BaseUnits.BYTES).tags(tags)
                .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, String unit, Tags tags,
            CachedStats stats, ToDoubleFunction<KvStoreStats> f) {
        FunctionCounter.builder(name, stats, c -> c.value(f)).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }

    /** The last stats reading of a store, renewed once it is older than the TTL. */
    static final class CachedStats {
        private final KvStore store;
        private final LongSupplier millis;
        private KvStoreStats last;
        private long readAt;

        CachedStats(KvStore store, LongSupplier millis) {
            this.store = store;
            this.millis = millis;
        }

        int levels() {
            KvStoreStats s = get();
            return s == null ? 0 : s.tableFilesPerLevel().size();
        }

        /** The value, or NaN once the store is closed. */
        double value(ToDoubleFunction<KvStoreStats> f) {
            KvStoreStats s = get();
            return s == null ? Double.NaN : f.applyAsDouble(s);
        }

        synchronized KvStoreStats get() {
            long now = millis.getAsLong();
            if (last == null || now - readAt >= STATS_TTL_MILLIS) {
                try {
                    last = store.stats();
                    readAt = now;
                } catch (RuntimeException e) {
                    return null; // closed on shutdown: meters read NaN rather than fail the scrape
                }
            }
            return last;
        }
    }
}
