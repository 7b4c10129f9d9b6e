package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;

/** The engine refused to open an instance; the cause says why (locked, corrupt, unreadable). */
public class KvStoreOpenException extends RuntimeException {

    private final String instance;
    private final Path directory;

    public KvStoreOpenException(String instance, Path directory, Throwable cause) {
        super("cannot open KvStore instance '" + instance + "' in " + directory + ": " + cause.getMessage(), cause);
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
