package io.kvstore.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains two instances configured on one data directory. */
class SharedDataDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<SharedDataDirectoryException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SharedDataDirectoryException cause) {
        String description = "KvStore instances " + cause.getInstances() + " are configured on the same data directory "
                + cause.getDirectory() + ". An engine instance owns its directory alone.";
        String action = "Give each instance its own directory: set kvstore.instances.<name>.data-dir for "
                + String.join(", ", cause.getInstances().subList(1, cause.getInstances().size()))
                + " (when data-dir is not set, an instance uses ./data/<name>).";
        return new FailureAnalysis(description, action, cause);
    }
}
