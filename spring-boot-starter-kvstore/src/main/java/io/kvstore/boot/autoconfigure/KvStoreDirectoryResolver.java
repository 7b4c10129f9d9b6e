package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;

/**
 * Decides where an instance keeps its files. The default takes {@code data-dir}, or
 * {@code ./data/<name>} when it is not set; a bean of this type replaces it (the
 * {@code @DataKvStoreTest} slice uses one to put every instance in a fresh temporary directory).
 */
@FunctionalInterface
public interface KvStoreDirectoryResolver {

    /** The default: the configured directory, else {@code ./data/<instance>}. */
    KvStoreDirectoryResolver DEFAULT = (instance, configured) -> configured != null ? configured : Path.of("data", instance);

    /**
     * @param instance   the instance name
     * @param configured its {@code data-dir} property, or {@code null}
     */
    Path resolve(String instance, Path configured);
}
