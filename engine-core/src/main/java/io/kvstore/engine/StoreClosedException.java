package io.kvstore.engine;

import java.nio.file.Path;

/** An operation was called on a {@link KvStore} (or an iterator or snapshot) after {@code close()}. */
public final class StoreClosedException extends KvStoreException {

    public StoreClosedException(String what, Path directory) {
        super(what + " of KvStore " + directory + " is closed");
    }
}
