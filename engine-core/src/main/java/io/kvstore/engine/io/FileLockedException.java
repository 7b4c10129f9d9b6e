package io.kvstore.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/** The lock file is held by another holder, in this process or in another one. */
public final class FileLockedException extends IOException {

    private final Path lockFile;

    public FileLockedException(Path lockFile) {
        super("lock file " + lockFile + " is held by another KvStore instance (in this process or another one)");
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
