package io.kvstore.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a data directory that cannot be created or written. */
class KvStoreDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<KvStoreDirectoryException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, KvStoreDirectoryException cause) {
        String description = "KvStore instance '" + cause.getInstance() + "' could not start: " + cause.getMessage();
        String action = "Make " + cause.getDirectory() + " a directory this process can create and write (check the"
                + " path, its parent directories and their permissions), or set kvstore.instances."
                + cause.getInstance() + ".data-dir to one that is.";
        return new FailureAnalysis(description, action, cause);
    }
}
