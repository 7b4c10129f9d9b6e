package io.kvstore.engine;

import java.nio.file.Path;

/** A file was written by a newer (or unknown) format version than this build reads. */
public final class UnsupportedFormatException extends CorruptionException {

    public UnsupportedFormatException(Path file, long offset, int foundVersion, int supportedVersion) {
        super(file, offset, "format version " + foundVersion + " is newer than the newest this build reads ("
                + supportedVersion + "); open it with a newer KvStore");
    }
}
