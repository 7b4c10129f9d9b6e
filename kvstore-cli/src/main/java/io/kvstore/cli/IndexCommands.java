package io.kvstore.cli;

import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexType;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kvstore index list|create|drop|rebuild}. */
@Command(name = "index", description = "Secondary indexes: list, create (online build), drop, rebuild.",
        subcommands = {IndexCommands.ListIndexes.class, IndexCommands.Create.class, IndexCommands.Drop.class,
            IndexCommands.Rebuild.class})
final class IndexCommands implements Callable<Integer> {

    @ParentCommand
    KvStoreCli root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an index command: list, create, drop or rebuild");
    }

    static Map<String, Object> describe(IndexDefinition d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("type", d.type().name().toLowerCase(Locale.ROOT));
        m.put("extractor", d.extractor().toString());
        m.put("scopePrefix", d.scopePrefix().length == 0 ? null : Output.text(d.scopePrefix()));
        return m;
    }

    /** Base of the index subcommands: opens the store (which must exist). */
    abstract static class IndexCommand implements Callable<Integer> {
        @ParentCommand
        IndexCommands parent;

        @Override
        public final Integer call() throws Exception {
            try (StoreAccess db = parent.root.access(true)) {
                return run(db, parent.root.out(), parent.root.json);
            }
        }

        abstract int run(StoreAccess db, PrintWriter out, boolean json) throws Exception;
    }

    @Command(name = "list", description = "List the indexes.")
    static final class ListIndexes extends IndexCommand {
        @Override
        int run(StoreAccess db, PrintWriter out, boolean json) {
            List<IndexDefinition> all = db.indexes();
            if (json) {
                out.println(Output.toJson(all.stream().map(IndexCommands::describe).toList()));
            } else {
                all.forEach(d -> out.println(d.name() + "\t" + d.type().name().toLowerCase(Locale.ROOT) + "\t"
                        + d.extractor() + (d.scopePrefix().length == 0 ? "" : "\tscope " + Output.text(d.scopePrefix()))));
            }
            return KvStoreCli.OK;
        }
    }

    @Command(name = "create", description = "Create an index and build it from the stored records.")
    static final class Create extends IndexCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--type", defaultValue = "equality", description = "equality, range, prefix or text (default: ${DEFAULT-VALUE}).")
        String type;

        @Option(names = "--path", paramLabel = "PATH", description = "Field path such as $.city or $.tags[*]; none indexes the whole value.")
        String path;

        @Option(names = "--extractor", paramLabel = "json|bson|raw", description = "How PATH reads values (default: bson for a BSON store, else json).")
        String extractor;

        @Option(names = "--scope", paramLabel = "PREFIX", description = "Only keys starting with PREFIX, e.g. users:.")
        String scope;

        @Override
        int run(StoreAccess db, PrintWriter out, boolean json) throws Exception {
            IndexType t;
            try {
                t = IndexType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown index type '" + type + "'; valid types are equality, range,"
                        + " prefix and text");
            }
            String kind = extractor != null ? extractor.toLowerCase(Locale.ROOT) : path == null ? "raw"
                    : db.codec() == Codec.BSON ? "bson" : "json";
            Extractor x = switch (kind) {
                case "raw" -> Extractor.raw();
                case "json" -> Extractor.jsonPath(required(path));
                case "bson" -> Extractor.bsonPath(required(path));
                default -> throw new IllegalArgumentException("unknown extractor '" + extractor + "'; use json, bson or raw");
            };
            IndexDefinition d = IndexDefinition.of(name, t, x);
            if (scope != null) {
                d = d.withScopePrefix(scope.getBytes(StandardCharsets.UTF_8));
            }
            IndexDefinition def = d;
            Progress.during("building index " + name, json, () -> {
                db.createIndex(def);
                return null;
            });
            out.println(json ? Output.toJson(describe(def)) : "created " + def);
            return KvStoreCli.OK;
        }

        private static String required(String path) {
            if (path == null) {
                throw new IllegalArgumentException("a json or bson extractor needs --path, e.g. --path '$.city'");
            }
            return path;
        }
    }

    @Command(name = "drop", description = "Drop an index and its postings.")
    static final class Drop extends IndexCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(StoreAccess db, PrintWriter out, boolean json) {
            boolean existed = db.dropIndex(name);
            out.println(json ? Output.toJson(Map.of("dropped", existed)) : existed ? "dropped " + name
                    : "no index " + name);
            return existed ? KvStoreCli.OK : KvStoreCli.NOT_FOUND;
        }
    }

    @Command(name = "rebuild", description = "Rebuild an index from the stored records.")
    static final class Rebuild extends IndexCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(StoreAccess db, PrintWriter out, boolean json) throws Exception {
            Progress.during("rebuilding index " + name, json, () -> {
                db.rebuildIndex(name);
                return null;
            });
            out.println(json ? Output.toJson(Map.of("rebuilt", name)) : "rebuilt " + name);
            return KvStoreCli.OK;
        }
    }
}
