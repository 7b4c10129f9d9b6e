package io.kvstore.boot.metrics;

import io.kvstore.boot.autoconfigure.KvStoreOptionsCustomizer;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.OperationListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Times every store operation into {@code kvstore.operations} (tags {@code instance},
 * {@code operation} get/put/delete/write/scan/query, {@code result} success/failure) by installing
 * an {@link OperationListener}. Only a registry's presence installs it: without one the engine
 * does not read the clock at all.
 */
public class KvStoreOperationMetrics implements KvStoreOptionsCustomizer {

    static final String OPERATIONS = "kvstore.operations";

    private final MeterRegistry registry;

    public KvStoreOperationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public KvStoreOptions customize(String instance, KvStoreOptions options) {
        return options.withOperationListener(new TimingListener(registry, instance));
    }

    /** The timers are built once, so recording is an array lookup and a timer update. */
    static final class TimingListener implements OperationListener {
        private final Timer[] succeeded;
        private final Timer[] failed;

        TimingListener(MeterRegistry registry, String instance) {
            Operation[] operations = Operation.values();
            succeeded = new Timer[operations.length];
            failed = new Timer[operations.length];
            for (Operation op : operations) {
                succeeded[op.ordinal()] = timer(registry, instance, op, "success");
                failed[op.ordinal()] = timer(registry, instance, op, "failure");
            }
        }

        private static Timer timer(MeterRegistry registry, String instance, Operation op, String result) {
            return Timer.builder(OPERATIONS).description("Store operations, by kind and result")
                    .tag("instance", instance).tag("operation", op.name().toLowerCase(Locale.ROOT))
                    .tag("result", result).register(registry);
        }

        @Override
        public void completed(Operation operation, long nanos, Throwable failure) {
            (failure == null ? succeeded : failed)[operation.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
