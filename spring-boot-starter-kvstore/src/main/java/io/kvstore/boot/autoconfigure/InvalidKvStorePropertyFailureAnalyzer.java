package io.kvstore.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a {@code kvstore.*} value the engine refused (unknown codec, negative or out-of-range size, bad index). */
class InvalidKvStorePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidKvStorePropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidKvStorePropertyException cause) {
        String description = "Invalid KvStore configuration:\n\n    Property: " + cause.getProperty() + "\n    Value: "
                + cause.getValue() + "\n    Reason: " + cause.getReason();
        String action = "Update " + cause.getProperty() + " in your application's configuration (for example "
                + "application.yml) so that it meets the requirement above.";
        return new FailureAnalysis(description, action, cause);
    }
}
