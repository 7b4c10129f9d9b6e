package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;

/** An instance's data directory cannot be created or written by this process. */
public class KvStoreDirectoryException extends RuntimeException {

    private final String instance;
    private final Path directory;

    public KvStoreDirectoryException(String instance, Path directory, String problem, Throwable cause) {
        super("data directory " + directory + " of KvStore instance '" + instance + "' " + problem, cause);
        this.instance = instance;
        this.directory = directory;
    }

    public String getInstance() {
        return instance;
    }

    public Path getDirectory() {
        return directory;
    }
}
