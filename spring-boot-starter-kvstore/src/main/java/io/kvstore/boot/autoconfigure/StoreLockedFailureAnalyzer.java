package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.StoreLockedException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a data directory whose lock another process (or another store in this one) holds. */
class StoreLockedFailureAnalyzer extends AbstractFailureAnalyzer<StoreLockedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StoreLockedException cause) {
        KvStoreOpenException open = findCause(rootFailure, KvStoreOpenException.class);
        String which = open == null ? "A KvStore" : "KvStore instance '" + open.getInstance() + "'";
        String where = open == null ? "" : " (" + open.getDirectory() + ")";
        String description = which + " could not start because its data directory" + where
                + " is locked by another KvStore: another running copy of this application, the kvstore"
                + " command line tool, or a second store in this process.\n\n    " + cause.getMessage();
        String action = "Stop the other process that has the directory open, or point "
                + (open == null ? "the instance" : "kvstore.instances." + open.getInstance() + ".data-dir")
                + " at a different directory.";
        return new FailureAnalysis(description, action, cause);
    }
}
