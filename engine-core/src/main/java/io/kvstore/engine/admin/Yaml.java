package io.kvstore.engine.admin;

import tools.jackson.core.TokenStreamFactory;

/**
 * The YAML token streams of import and export. jackson-dataformat-yaml is an optional dependency
 * of engine-core: without it only this format fails, with a message saying what to add.
 */
final class Yaml {

    private Yaml() {
    }

    static TokenStreamFactory factory() {
        try {
            return tools.jackson.dataformat.yaml.YAMLFactory.builder().build();
        } catch (NoClassDefFoundError e) {
            throw new ImportException("the YAML format needs tools.jackson.dataformat:jackson-dataformat-yaml on the"
                    + " class path", e);
        }
    }
}
