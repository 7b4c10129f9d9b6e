package io.kvstore.cli;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.ListOptions;
import io.kvstore.engine.Listing;
import io.kvstore.engine.index.QueryPage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Commands that read and write keys. */
final class DataCommands {

    private DataCommands() {
    }

    /** Common base: the root command and the store it acts on (a directory, or an instance over REST). */
    abstract static class StoreCommand implements Callable<Integer> {
        @ParentCommand
        KvStoreCli root;

        /** Whether the command may create a store where none is. */
        boolean creates() {
            return false;
        }

        @Override
        public final Integer call() throws Exception {
            try (StoreAccess db = root.access(!creates())) {
                return run(db, root.out());
            }
        }

        abstract int run(StoreAccess db, PrintWriter out) throws Exception;
    }

    @Command(name = "get", description = "Print the value of a key (exit 1 when absent).")
    static final class Get extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        int run(StoreAccess db, PrintWriter out) {
            byte[] value = db.get(key);
            if (value == null) {
                root.spec.commandLine().getErr().println("kvstore: key not found: " + key);
                return KvStoreCli.NOT_FOUND;
            }
            out.println(root.json ? Output.toJson(Output.entry(db.valueCodec(), key.getBytes(StandardCharsets.UTF_8),
                    value)) : Output.text(value));
            return KvStoreCli.OK;
        }
    }

    @Command(name = "set", description = "Store a value under a key.")
    static final class Set extends StoreCommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value; - reads it from standard input.")
        String value;

        @Option(names = "--ttl", paramLabel = "DURATION", converter = Durations.class,
                description = "Expire the key after this long (30s, 10m, 2h, 7d, PT1H).")
        Duration ttl;

        @Override
        boolean creates() {
            return true;
        }

        @Override
        int run(StoreAccess db, PrintWriter out) throws IOException {
            byte[] bytes = value.equals("-") ? root.stdin.readAllBytes() : value.getBytes(StandardCharsets.UTF_8);
            db.put(key, bytes, ttl);
            out.println(root.json ? Output.toJson(Map.of("key", key, "stored", true)) : "OK");
            return KvStoreCli.OK;
        }
    }

    @Command(name = "del", description = "Delete keys (exit 1 when none of them existed).")
    static final class Del extends StoreCommand {
        @Parameters(arity = "1..*", paramLabel = "KEY")
        List<String> keys;

        @Override
        int run(StoreAccess db, PrintWriter out) {
            int existed = db.delete(keys);
            out.println(root.json ? Output.toJson(Map.of("deleted", existed)) : "deleted " + existed);
            return existed == 0 ? KvStoreCli.NOT_FOUND : KvStoreCli.OK;
        }
    }

    /** Options shared by scan, keys, count and dump. */
    static final class RangeOptions {
        @Option(names = "--prefix", paramLabel = "PREFIX", description = "Only keys starting with PREFIX.")
        String prefix;

        @Option(names = "--start", paramLabel = "KEY", description = "Start at KEY (inclusive).")
        String start;

        @Option(names = "--end", paramLabel = "KEY", description = "Stop before KEY (exclusive).")
        String end;

        StoreAccess.Range range() {
            if (prefix != null && end != null) {
                throw new IllegalArgumentException("--prefix and --end cannot be combined");
            }
            return new StoreAccess.Range(prefix, start, end);
        }
    }

    @Command(name = "scan", description = "Print keys and values in key order (tab-separated, or NDJSON with --json).")
    static final class Scan extends StoreCommand {
        @picocli.CommandLine.Mixin
        RangeOptions range = new RangeOptions();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "At most N entries; 0 for all (default: ${DEFAULT-VALUE}).")
        long limit;

        @Override
        int run(StoreAccess db, PrintWriter out) {
            db.scan(range.range(), limit, true, e -> out.println(root.json
                    ? Output.toJson(Output.entry(db.valueCodec(), e.key(), e.value()))
                    : Output.text(e.key()) + "\t" + Output.text(e.value())));
            return KvStoreCli.OK;
        }
    }

    @Command(name = "keys", description = "Print keys in key order.")
    static final class Keys extends StoreCommand {
        @picocli.CommandLine.Mixin
        RangeOptions range = new RangeOptions();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N keys; 0 for all.")
        long limit;

        @Override
        int run(StoreAccess db, PrintWriter out) {
            List<String> all = root.json ? new ArrayList<>() : null;
            db.scan(range.range(), limit, false, e -> {
                String k = Output.text(e.key());
                if (all != null) {
                    all.add(k);
                } else {
                    out.println(k);
                }
            });
            if (all != null) {
                out.println(Output.toJson(all));
            }
            return KvStoreCli.OK;
        }
    }

    @Command(name = "count", description = "Count keys (in a range).")
    static final class Count extends StoreCommand {
        @picocli.CommandLine.Mixin
        RangeOptions range = new RangeOptions();

        @Override
        int run(StoreAccess db, PrintWriter out) {
            long n = db.count(range.range());
            out.println(root.json ? Output.toJson(Map.of("count", n)) : String.valueOf(n));
            return KvStoreCli.OK;
        }
    }

    @Command(name = "list", description = "List a directory of hierarchical keys (a/b/c): child directories and entries.")
    static final class ListDir extends StoreCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "", description = "Default: the root.")
        String dir;

        @Option(names = "--delimiter", defaultValue = "/", description = "Level separator (default: ${DEFAULT-VALUE}).")
        String delimiter;

        @Option(names = "--depth", defaultValue = "1", description = "Levels returned as entries; 0 for all (default: ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--glob", paramLabel = "PATTERN", description = "Keep keys matching, e.g. users/*/orders/**.")
        String glob;

        @Option(names = "--limit", defaultValue = "1000", description = "Names per page (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--page-token", paramLabel = "TOKEN", description = "Continue after a previous page.")
        String pageToken;

        @Override
        int run(StoreAccess db, PrintWriter out) {
            Listing l = db.list(dir, ListOptions.defaults().withDelimiter(delimiter).withDepth(depth).withGlob(glob)
                    .withLimit(limit).withStartAfter(pageToken));
            if (root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("directory", l.directory());
                m.put("directories", l.directories());
                List<Object> entries = new ArrayList<>();
                for (KvEntry e : l.entries()) {
                    entries.add(Output.entry(db.valueCodec(), e.key(), e.value()));
                }
                m.put("entries", entries);
                m.put("default", l.defaultValue() == null ? null : Output.json(db.valueCodec(), l.defaultValue()));
                m.put("nextPageToken", l.nextPageToken());
                out.println(Output.toJson(m));
            } else {
                if (l.defaultValue() != null) {
                    out.println("(.index)\t" + Output.text(l.defaultValue()));
                }
                for (String d : l.directories()) {
                    out.println(d);
                }
                for (KvEntry e : l.entries()) {
                    out.println(Output.text(e.key()) + "\t" + Output.text(e.value()));
                }
                if (l.hasMore()) {
                    out.println("... more: --page-token '" + l.nextPageToken() + "'");
                }
            }
            return KvStoreCli.OK;
        }
    }

    @Command(name = "find", description = "Query a secondary index (never a scan).")
    static final class Find extends StoreCommand {
        @Parameters(index = "0", paramLabel = "INDEX")
        String index;

        @Option(names = "--eq", paramLabel = "VALUE", description = "Records whose value equals VALUE.")
        String eq;

        @Option(names = "--in", paramLabel = "VALUE", split = ",", description = "Records equal to any of the values.")
        List<String> in;

        @Option(names = "--gte", paramLabel = "VALUE")
        String gte;

        @Option(names = "--gt", paramLabel = "VALUE")
        String gt;

        @Option(names = "--lte", paramLabel = "VALUE")
        String lte;

        @Option(names = "--lt", paramLabel = "VALUE")
        String lt;

        @Option(names = "--prefix", paramLabel = "TEXT")
        String prefix;

        @Option(names = "--text", paramLabel = "WORDS")
        String text;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Option(names = "--after", paramLabel = "CURSOR", description = "Continue after a previous page.")
        String after;

        @Option(names = "--desc", description = "Descending order.")
        boolean desc;

        @Override
        int run(StoreAccess db, PrintWriter out) {
            QueryPage page = db.find(new StoreAccess.FindQuery(index, conditions(), limit, after, desc));
            if (root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                List<Object> entries = new ArrayList<>();
                for (KvEntry e : page.entries()) {
                    entries.add(Output.entry(db.valueCodec(), e.key(), e.value()));
                }
                m.put("entries", entries);
                m.put("cursor", page.cursor());
                out.println(Output.toJson(m));
            } else {
                for (KvEntry e : page.entries()) {
                    out.println(Output.text(e.key()) + "\t" + Output.text(e.value()));
                }
                if (page.hasMore()) {
                    out.println("... more: --after '" + page.cursor() + "'");
                }
            }
            return page.entries().isEmpty() ? KvStoreCli.NOT_FOUND : KvStoreCli.OK;
        }

        /** The condition as operator and term(s): exactly one kind, at most one lower and one upper bound. */
        private Map<String, Object> conditions() {
            int kinds = (eq != null ? 1 : 0) + (in != null ? 1 : 0) + (prefix != null ? 1 : 0) + (text != null ? 1 : 0)
                    + (gte != null || gt != null || lte != null || lt != null ? 1 : 0);
            if (kinds != 1) {
                throw new IllegalArgumentException("give exactly one of --eq, --in, --prefix, --text or a range"
                        + " (--gt/--gte with or without --lt/--lte)");
            }
            if (gt != null && gte != null || lt != null && lte != null) {
                throw new IllegalArgumentException("give one lower bound (--gt or --gte) and one upper (--lt or --lte)");
            }
            Map<String, Object> c = new LinkedHashMap<>();
            if (eq != null) {
                c.put("eq", term(eq));
            }
            if (in != null) {
                c.put("in", in.stream().map(Find::term).toList());
            }
            if (prefix != null) {
                c.put("prefix", prefix);
            }
            if (text != null) {
                c.put("text", text);
            }
            for (String[] bound : new String[][] {{"gt", gt}, {"gte", gte}, {"lt", lt}, {"lte", lte}}) {
                if (bound[1] != null) {
                    c.put(bound[0], term(bound[1]));
                }
            }
            return c;
        }

        /** A command-line term: a number or boolean when it reads as one, else the string. */
        static Object term(String s) {
            if (s.matches("-?\\d{1,18}")) {
                return Long.parseLong(s);
            }
            if (s.matches("-?\\d+\\.\\d+([eE][-+]?\\d+)?")) {
                return Double.parseDouble(s);
            }
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
            return s;
        }
    }

    @Command(name = "batch", description = "Apply a file of SET/DEL lines as one atomic batch ('-' or no file: standard input).")
    static final class Batch extends StoreCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-")
        String file;

        @Override
        boolean creates() {
            return true;
        }

        @Override
        int run(StoreAccess db, PrintWriter out) throws IOException {
            InputStream in = file.equals("-") ? root.stdin : Files.newInputStream(Path.of(file));
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<StoreAccess.Op> batch = parse(reader, file.equals("-") ? "standard input" : file);
            db.write(batch);
            out.println(root.json ? Output.toJson(Map.of("operations", batch.size())) : "applied " + batch.size()
                    + " operations");
            return KvStoreCli.OK;
        }
    }

    /** Reads {@code SET key value}, {@code DEL key} lines ({@code #} comments, blank lines) into a batch. */
    static List<StoreAccess.Op> parse(BufferedReader reader, String source) throws IOException {
        List<StoreAccess.Op> batch = new ArrayList<>();
        int lineNo = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            List<String> w = CommandText.split(t, 2);
            String op = w.get(0).toUpperCase(java.util.Locale.ROOT);
            if ((op.equals("SET") || op.equals("PUT")) && w.size() == 3) {
                batch.add(new StoreAccess.Op(w.get(1), w.get(2).getBytes(StandardCharsets.UTF_8)));
            } else if ((op.equals("DEL") || op.equals("DELETE")) && w.size() == 2) {
                batch.add(new StoreAccess.Op(w.get(1), null));
            } else {
                throw new IllegalArgumentException(source + " line " + lineNo + ": expected 'SET key value' or"
                        + " 'DEL key', found: " + t);
            }
        }
        return batch;
    }

    @Command(name = "dump", description = "Write every entry (in a range) as NDJSON {\"key\":...,\"value\":...} lines.")
    static final class Dump extends StoreCommand {
        @picocli.CommandLine.Mixin
        RangeOptions range = new RangeOptions();

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        Path file;

        @Override
        int run(StoreAccess db, PrintWriter out) throws IOException {
            PrintWriter target = file == null ? out : new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
            long[] n = {0};
            try {
                db.scan(range.range(), 0, true, e -> {
                    target.println(Output.toJson(Output.entry(db.valueCodec(), e.key(), e.value())));
                    n[0]++;
                });
            } finally {
                if (file != null) {
                    target.close();
                }
            }
            if (file != null) {
                out.println(root.json ? Output.toJson(Map.of("entries", n[0], "file", file.toString()))
                        : "dumped " + n[0] + " entries to " + file);
            }
            return KvStoreCli.OK;
        }
    }
}
