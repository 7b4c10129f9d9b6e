package io.kvstore.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.cli.CliRun.Result;
import io.kvstore.boot.web.KvStoreAccessPolicy;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.codec.Codec;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;

/**
 * Remote mode against a running application (the starter's REST API on a random port): every
 * command that works remotely prints what it prints on a local store with the same data, and
 * every refusal maps to its exit code with the server's problem detail on stderr.
 */
class KvStoreCliRemoteTest {

    @TempDir
    static Path root;

    static ConfigurableApplicationContext app;
    static String url;

    /**
     * Three instances: {@code app} (raw, with a backup directory), {@code docs} (json, without
     * one) and {@code shell} (raw, for the shell's session alone; named like a command on purpose). HTTP Basic is checked by a plain filter (user {@code tester}, password {@code secret});
     * paths of instance {@code broken} answer 503 like a store gone read-only, those of
     * {@code damaged} 500 like a store with a checksum failure.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        OncePerRequestFilter basicAuthAndBrokenInstance() {
            String expected = "Basic " + Base64.getEncoder().encodeToString("tester:secret".getBytes(UTF_8));
            return new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws ServletException, IOException {
                    if (!expected.equals(request.getHeader("Authorization"))) {
                        response.setStatus(401);
                        response.setHeader("WWW-Authenticate", "Basic realm=\"test\"");
                        return;
                    }
                    if (request.getRequestURI().startsWith("/db/damaged/")) {
                        problem(response, 500, "the store is damaged: block checksum mismatch in 000012.sst");
                    } else if (request.getRequestURI().startsWith("/db/broken/")) {
                        problem(response, 503, "instance 'broken' is read-only after an I/O error: disk full");
                    } else {
                        chain.doFilter(request, response);
                    }
                }
            };
        }

        private static void problem(HttpServletResponse response, int status, String detail) throws IOException {
            response.setStatus(status);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
        }

        /** Writes under {@code locked/} are refused. */
        @Bean
        KvStoreAccessPolicy policy() {
            return (instance, key, operation, principal) -> !(operation == KvStoreAccessPolicy.Operation.WRITE
                    && key != null && key.startsWith("locked/"));
        }
    }

    @BeforeAll
    static void start() {
        app = new SpringApplication(App.class).run("--server.port=0", "--spring.main.banner-mode=off",
                "--kvstore.web.enabled=true", "--kvstore.repositories.enabled=false",
                "--kvstore.instances.app.data-dir=" + root.resolve("server/app"),
                "--kvstore.instances.app.backup-directory=" + root.resolve("backups"),
                "--kvstore.instances.docs.data-dir=" + root.resolve("server/docs"),
                "--kvstore.instances.docs.codec=json",
                "--kvstore.instances.shell.data-dir=" + root.resolve("server/shell"));
        url = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Result run(String stdin, List<String> args) {
        return CliRun.run(stdin, args.toArray(String[]::new));
    }

    private static List<String> with(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    private static Result remote(String instance, String... args) {
        return remoteIn(instance, null, args);
    }

    private static Result remoteIn(String instance, String stdin, String... args) {
        return run(stdin, with(List.of("--url", url, "--instance", instance, "--user", "tester:secret"), args));
    }

    private static Result local(String dir, String codec, String stdin, String... args) {
        return run(stdin, with(List.of("--data-dir", root.resolve(dir).toString(), "--codec", codec), args));
    }

    /** Runs the command on the local copy and on the remote instance; both must print the same. */
    private static Result same(String instance, String codec, String... args) {
        Result local = local("local-" + instance, codec, null, args);
        Result remote = remote(instance, args);
        assertThat(remote.out()).as("remote output of %s", List.of(args)).isEqualTo(local.out());
        assertThat(remote.code()).as("remote exit code of %s: %s", List.of(args), remote.err()).isEqualTo(local.code());
        return remote;
    }

    private static void seed(String instance, String codec) {
        String script = "DEMO\nSET plain a value\n";
        if (codec.equals("json")) {
            script = "DEMO\n";
        }
        assertThat(local("local-" + instance, codec, script, "shell").code()).isZero();
        assertThat(remoteIn(instance, script, "shell").out()).startsWith("OK (9 keys");
    }

    @Test
    void dataCommandsPrintTheSameRemotelyAsOnALocalStore() throws Exception {
        seed("app", "raw");
        same("app", "raw", "get", "users/ada/profile");
        same("app", "raw", "--json", "get", "users/ada/profile");
        Result missing = same("app", "raw", "get", "nope");
        assertThat(missing.code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(missing.err()).contains("key not found: nope");
        same("app", "raw", "set", "colour", "blue");
        same("app", "raw", "set", "session", "s1", "--ttl", "2h");
        same("app", "raw", "get", "session");
        assertThat(run("from stdin", with(List.of("--url", url, "--instance", "app", "--user", "tester:secret"),
                "set", "stdin/key", "-")).code()).isZero();
        assertThat(remote("app", "get", "stdin/key").out()).isEqualTo("from stdin\n");
        assertThat(remote("app", "del", "stdin/key").out()).isEqualTo("deleted 1\n");
        same("app", "raw", "scan");
        same("app", "raw", "scan", "--prefix", "users/", "--limit", "2");
        same("app", "raw", "scan", "--start", "config/theme", "--end", "users/b");
        same("app", "raw", "--json", "scan", "--prefix", "config/");
        same("app", "raw", "keys");
        same("app", "raw", "keys", "--prefix", "users/ada/", "--limit", "1");
        same("app", "raw", "--json", "keys", "--prefix", "config/");
        same("app", "raw", "count");
        same("app", "raw", "count", "--prefix", "users/");
        same("app", "raw", "count", "--start", "d", "--end", "users/b");
        same("app", "raw", "list");
        same("app", "raw", "list", "users");
        same("app", "raw", "list", "users", "--depth", "0", "--glob", "users/*/orders/**");
        same("app", "raw", "list", "users", "--limit", "1");
        same("app", "raw", "list", "users", "--limit", "2", "--page-token", "users/alan/");
        same("app", "raw", "--json", "list", "users");
        same("app", "raw", "dump", "--prefix", "users/ada/");
        same("app", "raw", "--json", "dump", "--prefix", "config/");
        String batch = "SET b/1 one\nSET b/2 two\nDEL colour\n";
        assertThat(local("local-app", "raw", batch, "batch").out()).isEqualTo("applied 3 operations\n");
        assertThat(remoteIn("app", batch, "batch").out()).isEqualTo("applied 3 operations\n");
        same("app", "raw", "scan", "--prefix", "b/");
        same("app", "raw", "get", "colour");
        same("app", "raw", "del", "b/1", "b/2", "nothing");
        same("app", "raw", "del", "nothing");
        Path dumpFile = root.resolve("remote-dump.ndjson");
        assertThat(remote("app", "dump", "--prefix", "config/", "-o", dumpFile.toString()).out())
                .isEqualTo("dumped 2 entries to " + dumpFile + "\n");
        assertThat(Files.readAllLines(dumpFile)).containsExactly("{\"key\":\"config/language\",\"value\":{\"value\":\"en\"}}",
                "{\"key\":\"config/theme\",\"value\":{\"value\":\"dark\"}}");
    }

    @Test
    void documentsIndexesAndFindOnAJsonInstance() {
        seed("docs", "json");
        same("docs", "json", "get", "users/grace/profile");
        same("docs", "json", "--json", "get", "users/grace/profile");
        same("docs", "json", "list", "users");
        same("docs", "json", "--json", "list", "users");
        assertThat(same("docs", "json", "index", "create", "by_city", "--path", "$.city", "--scope", "users/").out())
                .isEqualTo("created index 'by_city' (EQUALITY on json:$.city, scope 'users/')\n");
        same("docs", "json", "index", "list");
        same("docs", "json", "--json", "index", "list");
        same("docs", "json", "find", "by_city", "--eq", "London");
        same("docs", "json", "find", "by_city", "--in", "London,Wilmslow", "--limit", "1");
        same("docs", "json", "--json", "find", "by_city", "--prefix", "New");
        same("docs", "json", "find", "by_city", "--eq", "Paris");
        same("docs", "json", "index", "rebuild", "by_city");
        same("docs", "json", "index", "drop", "by_city");
        same("docs", "json", "index", "drop", "by_city");
        Result badValue = remote("docs", "set", "k", "not json");
        assertThat(badValue.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(badValue.err()).contains("HTTP 400").contains("malformed JSON: Unrecognized token 'not'");
        Result wrongExtractor = remote("docs", "index", "create", "x", "--path", "$.a", "--extractor", "bson");
        assertThat(wrongExtractor.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(wrongExtractor.err()).contains("the extractor bson:$.a cannot be created remotely");
        Result missingIndex = remote("docs", "index", "rebuild", "nope");
        assertThat(missingIndex.code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(missingIndex.err()).contains("HTTP 404").contains("index 'nope' not found");
    }

    @Test
    void adminCommandsAndABackupThatRestores() {
        assertThat(remote("app", "set", "kept", "safe").code()).isZero();
        Result stats = remote("app", "stats");
        assertThat(stats.code()).isZero();
        assertThat(stats.out()).contains("last sequence").contains("table files").contains("on disk");
        JsonNode json = remote("app", "--json", "stats").json();
        assertThat(json.get("lastSequence").asLong()).isPositive();
        assertThat(json.has("tableFilesPerLevel")).isTrue();
        assertThat(remote("app", "compact").out()).startsWith("compacted: ");
        Result verify = remote("app", "verify");
        assertThat(verify.code()).isZero();
        assertThat(verify.out()).matches("checked \\d+ tables and \\d+ WAL records: OK\n");
        assertThat(remote("app", "--json", "verify").json().get("ok").asBoolean()).isTrue();

        Result backup = remote("app", "backup");
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.out()).startsWith("backup " + root.resolve("backups").resolve("app-"))
                .contains(" files, ").contains(", up to sequence ");
        JsonNode b = remote("app", "--json", "backup").json();
        Path archive = Path.of(b.get("archive").asString());
        assertThat(archive).exists();
        Path restored = root.resolve("restored");
        assertThat(local("restored", "raw", null, "restore", archive.toString()).code()).isZero();
        try (KvStore copy = KvStore.open(restored, KvStoreOptions.defaults().withCodec(Codec.RAW))) {
            assertThat(copy.get("kept")).asString(UTF_8).isEqualTo("safe");
        }

        Result withArchive = remote("app", "backup", "x.tar.gz");
        assertThat(withArchive.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(withArchive.err()).contains("leave out ARCHIVE");
        Result unconfigured = remote("docs", "backup");
        assertThat(unconfigured.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(unconfigured.err()).contains("HTTP 409").contains("set kvstore.backup.directory");
    }

    @Test
    void theShellWorksRemotely() {
        String script = """
                DEMO
                SET greeting hello world
                GET greeting
                DELETE greeting
                DELETE greeting
                SCAN users/ada/
                ALL 3
                KEYS config/
                COUNT users/
                LIST users
                BATCH
                SET a 1
                DEL config/theme
                END
                GET a
                NOPE
                """;
        Result local = local("shell-local", "raw", script, "shell");
        Result remote = remoteIn("shell", script, "shell");
        assertThat(remote.code()).isZero();
        assertThat(remote.out()).isEqualTo(local.out()).contains("hello world").contains("(deleted)")
                .contains("(not found)").contains("OK (2 operations, atomically)");
        Result stats = remoteIn("app", "STATS\n", "shell");
        assertThat(stats.out()).contains("last sequence");
    }

    @Test
    void refusalsMapToExitCodesWithTheServersDetail() {
        Result unknown = remote("nope", "get", "k");
        assertThat(unknown.code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(unknown.err()).contains("HTTP 404").contains("no KvStore instance 'nope'");
        Result namedLikeACommand = remote("list", "get", "k");
        assertThat(namedLikeACommand.code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(namedLikeACommand.err()).contains("no KvStore instance 'list'");
        Result forbidden = remote("app", "set", "locked/a", "v");
        assertThat(forbidden.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(forbidden.err()).contains("HTTP 403").contains("WRITE on instance 'app' key 'locked/a' is not allowed");
        Result badList = remote("app", "list", "users", "--glob", "");
        assertThat(badList.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(badList.err()).contains("HTTP 400").contains("glob must not be empty");
        Result unauthorized = run(null, List.of("--url", url, "--instance", "app", "--user", "tester:wrong", "get", "k"));
        assertThat(unauthorized.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(unauthorized.err()).contains("HTTP 401").contains("--user name:password");
        Result broken = remote("broken", "get", "k");
        assertThat(broken.code()).isEqualTo(KvStoreCli.IO_ERROR);
        assertThat(broken.err()).contains("HTTP 503").contains("read-only after an I/O error: disk full");
        Result damaged = remote("damaged", "get", "k");
        assertThat(damaged.code()).isEqualTo(KvStoreCli.CORRUPTION);
        assertThat(damaged.err()).contains("HTTP 500").contains("the store is damaged: block checksum mismatch");
        Result refused = run(null, List.of("--url", "http://127.0.0.1:1", "--instance", "app", "get", "k"));
        assertThat(refused.code()).isEqualTo(KvStoreCli.IO_ERROR);
        assertThat(refused.err()).contains("cannot connect to http://127.0.0.1:1: connection refused");
        Result notUrl = run(null, List.of("--url", "localhost:8080", "--instance", "app", "get", "k"));
        assertThat(notUrl.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(notUrl.err()).contains("must be an http(s) URL");

        Result restore = remote("app", "restore", "a.tar.gz");
        assertThat(restore.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(restore.err()).contains("restore does not work in remote mode (--url): restore writes a new store"
                + " directory on this machine");
    }

    @Test
    void importAndExportGoThroughTheRestApi() throws Exception {
        Path in = root.resolve("people.ndjson");
        Files.writeString(in, "{\"_id\":\"people/1\",\"name\":\"Ada\"}\n{\"_id\":\"people/2\",\"name\":\"Alan\"}\n"
                + "not json\n{\"_id\":\"people/3\",\"name\":\"Grace\"}\n");
        Result imported = remote("docs", "import", in.toString(), "--skip-errors", "--batch-size", "2");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("imported 3 of 4 records (ndjson)").contains("1 failed");
        assertThat(remote("docs", "count", "--prefix", "people/").out()).isEqualTo("3\n");
        assertThat(remote("docs", "--json", "get", "people/2").json().get("value").get("name").asString())
                .isEqualTo("Alan");

        Path csv = root.resolve("people.csv");
        Result exported = remote("docs", "export", csv.toString(), "--prefix", "people/");
        assertThat(exported.code()).as(exported.err()).isZero();
        assertThat(exported.out()).startsWith("exported 3 of 3 records (csv)");
        assertThat(Files.readAllLines(csv)).hasSize(4).anySatisfy(l -> assertThat(l).contains("Grace"));
    }
}
