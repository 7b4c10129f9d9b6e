package io.kvstore.data.support;

import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.data.repository.KvStoreRepositoryFactory;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.OperationListener;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;

/**
 * A store, template and repository factory without an application context, for tests that
 * exercise the adapter directly: {@code try (Stores s = Stores.open(dir, Codec.JSON)) { ... }}.
 */
public final class Stores implements AutoCloseable {

    public final TestClock clock = new TestClock();
    public final KvStore store;
    public final KvStoreTemplate template;
    public final KvStoreRepositoryFactory factory;

    private Stores(Path dir, Codec codec, OperationListener listener) {
        KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE).withCodec(codec).withClock(clock);
        this.store = KvStore.open(dir, listener == null ? options : options.withOperationListener(listener));
        this.template = KvStoreTemplate.of(store);
        this.factory = new KvStoreRepositoryFactory(template);
    }

    public static Stores open(Path dir, Codec codec) {
        return new Stores(dir, codec, null);
    }

    public static Stores open(Path dir, Codec codec, OperationListener listener) {
        return new Stores(dir, codec, listener);
    }

    public <R> R repository(Class<R> type) {
        return factory.getRepository(type);
    }

    @Override
    public void close() {
        store.close();
    }
}
