package io.kvstore.boot.autoconfigure;

import io.kvstore.boot.autoconfigure.KvStoreProperties.Instance;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreException;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.index.IndexDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The instances configured under {@code kvstore.instances}: checks every instance's settings when
 * built (so a bad value fails startup before any store opens), opens each on demand for its
 * {@code <name>KvStore} bean, and on shutdown flushes and closes them.
 *
 * <p>Lifecycle: stores open when their beans are created, so before the templates and
 * repositories that depend on them. {@link #stop()} runs in a phase below every Spring Boot
 * lifecycle (the web server's graceful shutdown included), so stores close after the last request
 * is served; the beans' {@code close} destroy method is a second, idempotent net for a context
 * that fails before it starts. An application killed without shutdown recovers from its
 * write-ahead log on the next start.
 */
public class KvStoreInstances implements SmartLifecycle {

    /** Stop after every other lifecycle (web server phases are just below {@code DEFAULT_PHASE}). */
    public static final int PHASE = Integer.MIN_VALUE / 2;

    private static final Log LOG = LogFactory.getLog(KvStoreInstances.class);

    private final Map<String, Instance> properties;
    private final Map<String, Path> directories = new LinkedHashMap<>();
    private final Map<String, KvStoreOptions> options = new LinkedHashMap<>();
    private final Map<String, List<IndexDefinition>> indexes = new LinkedHashMap<>();
    private final String primary;
    private final Supplier<List<KvStoreOptionsCustomizer>> customizers;
    /** Guarded by {@code this}. */
    private final Map<String, KvStore> open = new LinkedHashMap<>();
    private volatile boolean running;

    public KvStoreInstances(KvStoreProperties properties, KvStoreDirectoryResolver directories,
            Supplier<List<KvStoreOptionsCustomizer>> customizers) {
        this.properties = properties.effectiveInstances();
        this.customizers = customizers;
        this.primary = primaryOf(properties);
        Map<Path, List<String>> byDirectory = new LinkedHashMap<>();
        this.properties.forEach((name, p) -> {
            Path dir = directories.resolve(name, p.getDataDir()).toAbsolutePath().normalize();
            this.directories.put(name, dir);
            byDirectory.computeIfAbsent(dir, d -> new ArrayList<>()).add(name);
            this.options.put(name, KvStoreOptionsMapper.options(name, p));
            this.indexes.put(name, KvStoreOptionsMapper.indexes(name, p));
        });
        byDirectory.forEach((dir, names) -> {
            if (names.size() > 1) {
                throw new SharedDataDirectoryException(dir, names);
            }
        });
    }

    /**
     * The primary instance: the only one, or the one marked {@code primary}; {@code null} when
     * several instances are configured and none is marked.
     *
     * @throws InvalidKvStorePropertyException when more than one is marked
     */
    public static String primaryOf(KvStoreProperties properties) {
        Map<String, Instance> instances = properties.effectiveInstances();
        if (instances.size() == 1) {
            return instances.keySet().iterator().next();
        }
        List<String> marked = instances.entrySet().stream().filter(e -> e.getValue().isPrimary())
                .map(Map.Entry::getKey).toList();
        if (marked.size() > 1) {
            throw new InvalidKvStorePropertyException("kvstore.instances." + marked.get(1) + ".primary", true,
                    "instances " + marked + " are all marked primary; at most one can be");
        }
        return marked.isEmpty() ? null : marked.get(0);
    }

    /** Instance names in configuration order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    /** The primary instance's name, or {@code null}. */
    public String primary() {
        return primary;
    }

    /** The absolute data directory of {@code instance}. */
    public Path directory(String instance) {
        return directories.get(require(instance));
    }

    /** The engine options of {@code instance} from its properties (before customizers). */
    public KvStoreOptions options(String instance) {
        return options.get(require(instance));
    }

    /** The open store of {@code instance}, opening it (and creating its configured indexes) if needed. */
    public synchronized KvStore open(String instance) {
        KvStore store = open.get(require(instance));
        if (store != null) {
            return store;
        }
        Path dir = directories.get(instance);
        checkDirectory(instance, dir);
        KvStoreOptions opts = options.get(instance);
        for (KvStoreOptionsCustomizer customizer : customizers.get()) {
            opts = customizer.customize(instance, opts);
        }
        try {
            store = KvStore.open(dir, opts);
        } catch (KvStoreException e) {
            throw new KvStoreOpenException(instance, dir, e);
        }
        try {
            createIndexes(instance, store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        open.put(instance, store);
        running = true;
        return store;
    }

    private void createIndexes(String instance, KvStore store) {
        List<IndexDefinition> definitions = indexes.get(instance);
        for (int i = 0; i < definitions.size(); i++) {
            try {
                store.indexes().create(definitions.get(i));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new InvalidKvStorePropertyException("kvstore.instances." + instance + ".indexes[" + i + "]",
                        definitions.get(i), e.getMessage(), e);
            }
        }
    }

    private static void checkDirectory(String instance, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new KvStoreDirectoryException(instance, dir, "cannot be created: " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new KvStoreDirectoryException(instance, dir, "is not writable by this process", null);
        }
    }

    private String require(String instance) {
        if (!properties.containsKey(instance)) {
            throw new IllegalArgumentException("no KvStore instance named '" + instance + "'; configured: "
                    + properties.keySet());
        }
        return instance;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Flushes every open store (so the next start replays no log) and closes it. */
    @Override
    public synchronized void stop() {
        for (Map.Entry<String, KvStore> e : open.entrySet()) {
            KvStore store = e.getValue();
            try {
                if (store.failure().isEmpty()) {
                    store.flush();
                }
            } catch (RuntimeException ex) {
                LOG.warn("KvStore instance '" + e.getKey() + "' could not flush on shutdown; its write-ahead log"
                        + " keeps the writes for the next start", ex);
            }
            try {
                store.close();
            } catch (RuntimeException ex) {
                LOG.warn("KvStore instance '" + e.getKey() + "' did not close cleanly", ex);
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
