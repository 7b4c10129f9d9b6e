package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;

/** The engine refused to open an instance; the cause says why (locked, corrupt, unreadable). */
public class KvStoreOpenException extends KvStoreInstanceException {

    public KvStoreOpenException(String instance, Path directory, Throwable cause) {
        super(instance, directory, "cannot open KvStore instance '" + instance + "' in " + directory + ": "
                + cause.getMessage(), cause);
    }
}
