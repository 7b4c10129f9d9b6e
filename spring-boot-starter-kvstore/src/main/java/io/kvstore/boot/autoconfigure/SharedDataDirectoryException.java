package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;
import java.util.List;

/** Two or more instances are configured on the same data directory, which only one engine can own. */
public class SharedDataDirectoryException extends RuntimeException {

    private final Path directory;
    private final List<String> instances;

    public SharedDataDirectoryException(Path directory, List<String> instances) {
        super("KvStore instances " + instances + " are all configured on data directory " + directory
                + "; each instance needs a directory of its own");
        this.directory = directory;
        this.instances = List.copyOf(instances);
    }

    public Path getDirectory() {
        return directory;
    }

    public List<String> getInstances() {
        return instances;
    }
}
