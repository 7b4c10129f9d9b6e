package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;

/** An instance's data directory cannot be created or written by this process. */
public class KvStoreDirectoryException extends KvStoreInstanceException {

    public KvStoreDirectoryException(String instance, Path directory, String problem, Throwable cause) {
        super(instance, directory, "data directory " + directory + " of KvStore instance '" + instance + "' " + problem,
                cause);
    }
}
