package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;

/** An instance could not start; names the instance and its directory. */
public abstract class KvStoreInstanceException extends RuntimeException {

    private final String instance;
    private final Path directory;

    protected KvStoreInstanceException(String instance, Path directory, String message, Throwable cause) {
        super(message, cause);
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
