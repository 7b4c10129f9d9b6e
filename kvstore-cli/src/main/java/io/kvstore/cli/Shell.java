package io.kvstore.cli;

import io.kvstore.engine.ListOptions;
import io.kvstore.engine.Listing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kvstore shell}: an interactive session on one open store. On a terminal it edits lines
 * with JLine (history in {@code ~/.kvstore_history}, completion of command words); with piped
 * input it reads plain lines and prints no prompt, so scripts can drive it.
 */
@Command(name = "shell", description = "Interactive shell: SET GET DELETE SCAN ALL KEYS COUNT LIST STATS BATCH DEMO (HELP lists them).")
final class Shell implements Callable<Integer> {

    static final List<String> COMMANDS = List.of("SET", "GET", "DELETE", "SCAN", "ALL", "KEYS", "COUNT", "LIST",
            "STATS", "BATCH", "DEMO", "HELP", "EXIT", "QUIT");

    private static final String HELP = """
            SET key value        store value (the rest of the line) under key
            GET key              print the value of key
            DELETE key           remove key
            SCAN prefix [limit]  entries whose key starts with prefix (default limit 100)
            ALL [limit]          every entry (default limit 100)
            KEYS [prefix]        keys (with prefix)
            COUNT [prefix]       number of keys (with prefix)
            LIST [dir]           child directories and entries of dir (keys like a/b/c)
            STATS                counters and file layout
            BATCH                then SET/DEL lines and END: applied as one atomic batch
            DEMO                 load a small sample data set (users/..., orders/...)
            EXIT                 leave (also QUIT or end of input)""";

    @ParentCommand
    KvStoreCli root;

    @Override
    public Integer call() throws IOException {
        try (StoreAccess db = root.access(false)) {
            boolean terminal = root.stdin == System.in && System.console() != null;
            return terminal ? interactive(db) : piped(db);
        }
    }

    private int interactive(StoreAccess db) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("kvstore")
                    .completer(new StringsCompleter(COMMANDS))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".kvstore_history"))
                    .build();
            PrintWriter out = terminal.writer();
            out.println("KvStore shell on " + db.describe() + " (HELP for commands, EXIT to leave)");
            while (true) {
                String line;
                try {
                    line = reader.readLine("kvstore> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (line.strip().toUpperCase(Locale.ROOT).equals("BATCH")) {
                    StringBuilder body = new StringBuilder();
                    while (true) {
                        String next;
                        try {
                            next = reader.readLine("batch> ");
                        } catch (EndOfFileException | UserInterruptException e) {
                            next = "END";
                        }
                        if (next.strip().equalsIgnoreCase("END")) {
                            break;
                        }
                        body.append(next).append('\n');
                    }
                    batch(db, body.toString(), out);
                } else if (!execute(db, line, out)) {
                    break;
                }
                out.flush();
            }
        }
        return KvStoreCli.OK;
    }

    private int piped(StoreAccess db) throws IOException {
        PrintWriter out = root.out();
        BufferedReader in = new BufferedReader(new InputStreamReader(root.stdin, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.strip().toUpperCase(Locale.ROOT).equals("BATCH")) {
                StringBuilder body = new StringBuilder();
                for (String next; (next = in.readLine()) != null && !next.strip().equalsIgnoreCase("END"); ) {
                    body.append(next).append('\n');
                }
                batch(db, body.toString(), out);
            } else if (!execute(db, line, out)) {
                break;
            }
            out.flush();
        }
        out.flush();
        return KvStoreCli.OK;
    }

    private static void batch(StoreAccess db, String body, PrintWriter out) {
        try {
            List<StoreAccess.Op> b = DataCommands.parse(new BufferedReader(new java.io.StringReader(body)), "batch");
            db.write(b);
            out.println("OK (" + b.size() + " operations, atomically)");
        } catch (RuntimeException | IOException e) {
            out.println("error: " + e.getMessage());
        }
    }

    /** Runs one command line; false when the session should end. */
    static boolean execute(StoreAccess db, String line, PrintWriter out) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return true;
        }
        try {
            List<String> w = CommandText.split(t, 2);
            String cmd = w.get(0).toUpperCase(Locale.ROOT);
            switch (cmd) {
                case "EXIT", "QUIT" -> {
                    return false;
                }
                case "HELP" -> out.println(HELP);
                case "SET" -> {
                    need(w, 3, "SET key value");
                    db.put(w.get(1), w.get(2).getBytes(StandardCharsets.UTF_8), null);
                    out.println("OK");
                }
                case "GET" -> {
                    need(w, 2, "GET key");
                    byte[] v = db.get(w.get(1));
                    out.println(v == null ? "(nil)" : Output.text(v));
                }
                case "DELETE", "DEL" -> {
                    need(w, 2, "DELETE key");
                    out.println(db.delete(List.of(w.get(1))) > 0 ? "(deleted)" : "(not found)");
                }
                case "SCAN" -> {
                    need(w, 2, "SCAN prefix [limit]");
                    print(db, StoreAccess.Range.prefix(w.get(1)), limit(w, 2), out);
                }
                case "ALL" -> print(db, StoreAccess.Range.ALL, limit(w, 1), out);
                case "KEYS" -> {
                    long[] n = {0};
                    db.scan(w.size() > 1 ? StoreAccess.Range.prefix(w.get(1)) : StoreAccess.Range.ALL, 0, false, e -> {
                        out.println(Output.text(e.key()));
                        n[0]++;
                    });
                    out.println("(" + n[0] + " keys)");
                }
                case "COUNT" -> out.println(db.count(w.size() > 1 ? StoreAccess.Range.prefix(w.get(1))
                        : StoreAccess.Range.ALL));
                case "LIST" -> {
                    Listing l = db.list(w.size() > 1 ? w.get(1) : "", ListOptions.defaults().withLimit(100));
                    if (l.defaultValue() != null) {
                        out.println("(.index) = " + Output.text(l.defaultValue()));
                    }
                    l.directories().forEach(out::println);
                    l.entries().forEach(e -> out.println(Output.text(e.key()) + " = " + Output.text(e.value())));
                    out.println("(" + l.directories().size() + " directories, " + l.entries().size() + " entries"
                            + (l.hasMore() ? ", more" : "") + ")");
                }
                case "STATS" -> AdminCommands.printStats(db.stats(), false, out);
                case "BATCH" -> out.println("error: BATCH takes its SET/DEL lines on the following lines, ended by END");
                case "DEMO" -> demo(db, out);
                default -> out.println("error: unknown command '" + w.get(0) + "' (HELP lists the commands)");
            }
        } catch (RuntimeException e) {
            out.println("error: " + e.getMessage());
        }
        return true;
    }

    private static void need(List<String> words, int n, String usage) {
        if (words.size() < n) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static long limit(List<String> w, int index) {
        if (w.size() <= index) {
            return 100;
        }
        try {
            return Long.parseLong(w.get(index).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit '" + w.get(index) + "' is not a number");
        }
    }

    private static void print(StoreAccess db, StoreAccess.Range range, long limit, PrintWriter out) {
        long[] n = {0};
        boolean more = db.scan(range, limit, true, e -> {
            out.println(Output.text(e.key()) + " = " + Output.text(e.value()));
            n[0]++;
        });
        out.println("(" + n[0] + " entries" + (more ? ", more" : "") + ")");
    }

    /** A small data set that shows prefixes, directories and JSON values. */
    static void demo(StoreAccess db, PrintWriter out) {
        List<StoreAccess.Op> b = new java.util.ArrayList<>();
        String[][] users = {{"ada", "Ada Lovelace", "London"}, {"alan", "Alan Turing", "Wilmslow"},
            {"grace", "Grace Hopper", "New York"}};
        for (String[] u : users) {
            put(b, "users/" + u[0] + "/profile", "{\"name\":\"" + u[1] + "\",\"city\":\"" + u[2] + "\"}");
        }
        put(b, "users/ada/orders/1", "{\"item\":\"analytical engine\",\"qty\":1}");
        put(b, "users/ada/orders/2", "{\"item\":\"punched cards\",\"qty\":500}");
        put(b, "users/grace/orders/1", "{\"item\":\"compiler\",\"qty\":1}");
        put(b, "users/.index", "{\"description\":\"people who order things\"}");
        put(b, "config/theme", "{\"value\":\"dark\"}"); // JSON objects, so DEMO also fills a store with the json codec
        put(b, "config/language", "{\"value\":\"en\"}");
        db.write(b);
        out.println("OK (" + b.size() + " keys: users/<name>/profile, users/<name>/orders/<n>, config/...; try LIST users)");
    }

    private static void put(List<StoreAccess.Op> batch, String key, String value) {
        batch.add(new StoreAccess.Op(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
