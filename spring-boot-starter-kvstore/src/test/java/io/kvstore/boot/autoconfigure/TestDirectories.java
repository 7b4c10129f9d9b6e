package io.kvstore.boot.autoconfigure;

import java.nio.file.Path;

/** Properties that put instances under a test's temporary directory. */
final class TestDirectories {

    private TestDirectories() {
    }

    static String dataDir(Path root, String instance) {
        return "kvstore.instances." + instance + ".data-dir=" + root.resolve(instance);
    }
}
