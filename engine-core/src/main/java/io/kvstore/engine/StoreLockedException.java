package io.kvstore.engine;

import java.nio.file.Path;

/** The data directory is locked: another {@link KvStore}, in this process or another, has it open. */
public final class StoreLockedException extends KvStoreException {

    public StoreLockedException(Path directory, Throwable cause) {
        super("directory " + directory + " is locked: another KvStore instance (in this process or another)"
                + " has it open; close that one first", cause);
    }
}
