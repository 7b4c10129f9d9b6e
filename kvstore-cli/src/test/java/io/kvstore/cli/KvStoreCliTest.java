package io.kvstore.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.cli.CliRun.Result;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Every command in-process through {@link CommandLine#execute}, and one run as a separate process. */
class KvStoreCliTest {

    @TempDir
    Path tmp;

    private static Result run(String stdin, String... args) {
        return CliRun.run(stdin, args);
    }

    private Result kv(String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", tmp.resolve("data").toString()));
        all.addAll(List.of(args));
        return run(null, all.toArray(String[]::new));
    }

    @Test
    void setGetDelWithExitCodes() {
        assertThat(kv("set", "user:1", "Ada").out()).isEqualTo("OK\n");
        Result get = kv("get", "user:1");
        assertThat(get.code()).isZero();
        assertThat(get.out()).isEqualTo("Ada\n");
        Result missing = kv("get", "user:2");
        assertThat(missing.code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("key not found: user:2");
        assertThat(kv("set", "session", "x", "--ttl", "2h").code()).isZero();
        assertThat(kv("get", "session").out()).isEqualTo("x\n");
        Result badTtl = kv("set", "session", "x", "--ttl", "soon");
        assertThat(badTtl.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(badTtl.err()).contains("'soon' is not a duration");
        assertThat(kv("--json", "get", "user:1").json().get("value").asString()).isEqualTo("Ada");
        assertThat(kv("del", "user:1", "nope").out()).isEqualTo("deleted 1\n");
        assertThat(kv("del", "user:1").code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(run("from stdin", "--data-dir", tmp.resolve("data").toString(), "set", "s", "-").code()).isZero();
        assertThat(kv("get", "s").out()).isEqualTo("from stdin\n");
    }

    @Test
    void scanKeysCountDumpAndList() {
        Result demo = run("DEMO\n", "--data-dir", tmp.resolve("data").toString(), "shell");
        assertThat(demo.out()).startsWith("OK (9 keys");
        assertThat(kv("count").out()).isEqualTo("9\n");
        assertThat(kv("count", "--prefix", "users/ada/").out()).isEqualTo("3\n");
        assertThat(kv("keys", "--prefix", "config/").out()).isEqualTo("config/language\nconfig/theme\n");
        assertThat(kv("scan", "--prefix", "users/", "--limit", "2").out()).isEqualTo(
                "users/.index\t{\"description\":\"people who order things\"}\n"
                        + "users/ada/orders/1\t{\"item\":\"analytical engine\",\"qty\":1}\n");
        assertThat(kv("scan", "--start", "users/grace/", "--limit", "0").out().lines()).hasSize(2);
        assertThat(kv("keys", "--end", "config/theme").out()).isEqualTo("config/language\n");
        JsonNode keys = kv("--json", "keys", "--prefix", "users/grace").json();
        assertThat(keys.size()).isEqualTo(2);
        List<String> dump = kv("dump", "--prefix", "config/").out().lines().toList();
        assertThat(dump).containsExactly("{\"key\":\"config/language\",\"value\":{\"value\":\"en\"}}",
                "{\"key\":\"config/theme\",\"value\":{\"value\":\"dark\"}}");
        Result list = kv("list", "users");
        assertThat(list.out()).isEqualTo("(.index)\t{\"description\":\"people who order things\"}\n"
                + "users/ada/\nusers/alan/\nusers/grace/\n");
        JsonNode json = kv("--json", "list", "users/ada").json();
        assertThat(json.get("directories").get(0).asString()).isEqualTo("users/ada/orders/");
        assertThat(json.get("entries").get(0).get("value").get("city").asString()).isEqualTo("London");
        assertThat(kv("list", "users", "--depth", "0", "--glob", "users/*/orders/*").out().lines()).hasSize(4);
        Result paged = kv("list", "users", "--limit", "1");
        assertThat(paged.out()).contains("--page-token 'users/ada/'");
        assertThat(kv("list", "users", "--limit", "1", "--page-token", "users/ada/").out()).contains("users/alan/");
    }

    @Test
    void batchFromStdinAndFileIsAtomic() throws IOException {
        Result ok = run("SET a 1\n# comment\nSET b {\"x\": 1}\nDEL a\n", "--data-dir", tmp.resolve("data").toString(),
                "batch");
        assertThat(ok.out()).isEqualTo("applied 3 operations\n");
        assertThat(kv("get", "b").out()).isEqualTo("{\"x\": 1}\n");
        assertThat(kv("get", "a").code()).isEqualTo(KvStoreCli.NOT_FOUND);
        Path file = tmp.resolve("ops.txt");
        Files.writeString(file, "SET c 3\nFROB d\n");
        Result bad = kv("batch", file.toString());
        assertThat(bad.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(bad.err()).contains("line 2: expected 'SET key value' or 'DEL key', found: FROB d");
        assertThat(kv("get", "c").code()).isEqualTo(KvStoreCli.NOT_FOUND);
    }

    @Test
    void indexCommandsAndFind() {
        String dir = tmp.resolve("data").toString();
        run("DEMO\n", "--data-dir", dir, "--codec", "json", "shell");
        Result created = run(null, "--data-dir", dir, "--codec", "json", "index", "create", "city", "--path", "$.city",
                "--scope", "users/");
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(run(null, "--data-dir", dir, "index", "list").out()).isEqualTo("city\tequality\tjson:$.city\tscope users/\n");
        Result found = run(null, "--data-dir", dir, "--codec", "json", "find", "city", "--eq", "London");
        assertThat(found.out()).isEqualTo("users/ada/profile\t{\"name\":\"Ada Lovelace\",\"city\":\"London\"}\n");
        assertThat(run(null, "--data-dir", dir, "find", "city", "--eq", "Paris").code()).isEqualTo(KvStoreCli.NOT_FOUND);
        Result noIndex = run(null, "--data-dir", dir, "find", "age", "--eq", "3");
        assertThat(noIndex.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(noIndex.err()).contains("age");
        assertThat(run(null, "--data-dir", dir, "find", "city").code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(run(null, "--data-dir", dir, "--codec", "json", "index", "rebuild", "city").out()).isEqualTo("rebuilt city\n");
        assertThat(run(null, "--data-dir", dir, "index", "drop", "city").out()).isEqualTo("dropped city\n");
        assertThat(run(null, "--data-dir", dir, "index", "drop", "city").code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(run(null, "--data-dir", dir, "index", "create", "x", "--type", "fuzzy").err())
                .contains("unknown index type 'fuzzy'");
    }

    @Test
    void statsCompactAndVerifyWithExitThreeOnDamage() throws IOException {
        for (int i = 0; i < 300; i++) {
            kv("set", "k" + i, "value " + i);
        }
        JsonNode stats = kv("--json", "stats").json();
        assertThat(stats.get("lastSequence").asLong()).isEqualTo(300);
        assertThat(kv("compact").out()).startsWith("compacted:");
        Result ok = kv("verify");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).contains("OK");
        assertThat(kv("--json", "verify").json().get("ok").asBoolean()).isTrue();

        Path table;
        try (Stream<Path> files = Files.list(tmp.resolve("data"))) {
            table = files.filter(p -> p.toString().endsWith(".sst")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(table.toFile(), "rw")) {
            f.seek(40);
            int b = f.read();
            f.seek(40);
            f.write(b ^ 0xFF);
        }
        Result damaged = kv("verify");
        assertThat(damaged.code()).isEqualTo(KvStoreCli.CORRUPTION);
        assertThat(damaged.err()).contains("corruption").contains(table.getFileName().toString());
    }

    @Test
    void backupAndRestore() throws IOException {
        kv("set", "a", "1");
        kv("set", "b", "2");
        Path archive = tmp.resolve("backups/app.tar.gz");
        Result backup = kv("backup", archive.toString());
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("up to sequence 2");
        String restored = tmp.resolve("restored").toString();
        Result restore = run(null, "--data-dir", restored, "restore", archive.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(run(null, "--data-dir", restored, "get", "b").out()).isEqualTo("2\n");
        Result again = run(null, "--data-dir", restored, "restore", archive.toString());
        assertThat(again.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(again.err()).contains("not empty");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x01;
        Path broken = tmp.resolve("broken.tar.gz");
        Files.write(broken, bytes);
        Result tampered = run(null, "--data-dir", tmp.resolve("t").toString(), "restore", broken.toString());
        assertThat(tampered.code()).isEqualTo(KvStoreCli.CORRUPTION);
    }

    @Test
    void importAndExport() throws IOException {
        Path src = tmp.resolve("people.csv");
        Files.writeString(src, "id,name\n1,Ada\n2,Alan\n3\n");
        Result imp = kv("import", src.toString(), "--key-template", "people:{id}", "--skip-errors");
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("imported 2 of 3 records (csv)").contains("1 failed")
                .contains("people.csv.errors.jsonl");
        assertThat(kv("get", "people:2").out()).isEqualTo("{\"id\":\"2\",\"name\":\"Alan\"}\n");
        Path out = tmp.resolve("people.ndjson");
        JsonNode report = kv("--json", "export", out.toString(), "--prefix", "people:").json();
        assertThat(report.get("written").asLong()).isEqualTo(2);
        // The records lack the key field, so the export adds it: importing the file restores the keys.
        assertThat(Files.readAllLines(out)).containsExactly("{\"_id\":\"people:1\",\"id\":\"1\",\"name\":\"Ada\"}",
                "{\"_id\":\"people:2\",\"id\":\"2\",\"name\":\"Alan\"}");
        Result back = run(null, "--data-dir", tmp.resolve("copy").toString(), "import", out.toString());
        assertThat(back.out()).contains("imported 2 of 2 records (ndjson)");
        assertThat(run(null, "--data-dir", tmp.resolve("copy").toString(), "keys").out())
                .isEqualTo("people:1\npeople:2\n");
        Result strict = kv("import", src.toString(), "--key-template", "people:{id}");
        assertThat(strict.code()).isEqualTo(KvStoreCli.IO_ERROR);
        assertThat(strict.err()).contains("row 3 (line 4) has 1 cells");
        assertThat(kv("import", src.toString(), "--format", "xml").err()).contains("unknown format 'xml'");

        Path sqlite = tmp.resolve("people.sqlite");
        assertThat(kv("export", sqlite.toString(), "--prefix", "people:", "--table", "people").out())
                .contains("exported 2 of 2 records (sqlite)");
        Result fromSql = run(null, "--data-dir", tmp.resolve("sql").toString(), "import", sqlite.toString(), "--sql",
                "SELECT key AS _id, value FROM people WHERE key > 'people:1'", "--skip-errors");
        assertThat(fromSql.out()).contains("imported 1 of 1 records (sqlite)");
        assertThat(run(null, "--data-dir", tmp.resolve("sql").toString(), "get", "people:2").out())
                .isEqualTo("{\"_id\":\"people:2\",\"value\":\"{\\\"_id\\\":\\\"people:2\\\",\\\"id\\\":\\\"2\\\",\\\"name\\\":\\\"Alan\\\"}\"}\n");
    }

    @Test
    void shellRunsTheSeedCommands() {
        String script = String.join("\n", "SET greeting hello world", "GET greeting", "GET nothing", "DEMO",
                "SCAN config/", "COUNT users/", "KEYS config/", "LIST users", "DELETE greeting", "DELETE greeting",
                "ALL 2", "BATCH", "SET x 1", "SET y 2", "END", "GET y", "STATS", "FROB", "HELP", "EXIT", "GET x");
        Result r = run(script + "\n", "--data-dir", tmp.resolve("data").toString(), "shell");
        assertThat(r.code()).isZero();
        String out = r.out();
        assertThat(out).startsWith("OK\nhello world\n(nil)\nOK (9 keys");
        assertThat(out).contains("config/language = {\"value\":\"en\"}\nconfig/theme = {\"value\":\"dark\"}\n(2 entries)\n");
        assertThat(out).contains("\n7\n");
        assertThat(out).contains("config/language\nconfig/theme\n(2 keys)\n");
        assertThat(out).contains("(.index) = {\"description\":\"people who order things\"}\nusers/ada/\nusers/alan/\n"
                + "users/grace/\n(3 directories, 0 entries)\n");
        assertThat(out).contains("(deleted)\n(not found)\n");
        assertThat(out).contains("(2 entries, more)\n");
        assertThat(out).contains("OK (2 operations, atomically)\n2\n");
        assertThat(out).contains("last sequence");
        assertThat(out).contains("error: unknown command 'FROB'");
        assertThat(out).contains("BATCH                then SET/DEL lines");
        assertThat(out.strip()).doesNotEndWith("1"); // nothing runs after EXIT
    }

    @Test
    void usageErrorsAndMixedModesExitWithTwo() {
        Result both = run(null, "--url", "http://localhost:8080", "--instance", "app", "--data-dir", tmp.toString(),
                "get", "k");
        assertThat(both.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(both.err()).contains("give either --url (remote mode) or --data-dir (a local store), not both");
        Result noInstance = run(null, "--url", "http://localhost:8080", "get", "k");
        assertThat(noInstance.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(noInstance.err()).contains("remote mode needs --instance NAME");
        Result noUrl = run(null, "--instance", "app", "--data-dir", tmp.toString(), "get", "k");
        assertThat(noUrl.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(noUrl.err()).contains("give its --url too");
        Result noDir = run(null, "get", "k");
        assertThat(noDir.code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(noDir.err()).contains("--data-dir");
        assertThat(kv("get").code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(kv("frobnicate").code()).isEqualTo(KvStoreCli.USAGE);
        assertThat(kv("--codec", "xml", "get", "k").err()).contains("unknown codec 'xml'");
        Result noStore = run(null, "--data-dir", tmp.resolve("nowhere").toString(), "get", "k");
        assertThat(noStore.code()).isEqualTo(KvStoreCli.IO_ERROR);
        assertThat(noStore.err()).contains("no KvStore in");
        assertThat(tmp.resolve("nowhere")).doesNotExist();
        assertThat(run(null, "--help").code()).isZero();
        assertThat(run(null).code()).isEqualTo(KvStoreCli.USAGE);
    }

    @Test
    void endToEndAsASeparateProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String dir = tmp.resolve("e2e").toString();
        List<String> base = List.of(java, "-cp", System.getProperty("java.class.path"), KvStoreCli.class.getName(),
                "--data-dir", dir);
        assertThat(exec(base, "set", "k", "v").out()).isEqualTo("OK\n");
        Result get = exec(base, "--json", "get", "k");
        assertThat(get.code()).isZero();
        assertThat(get.json().get("value").asString()).isEqualTo("v");
        Result missing = exec(base, "get", "absent");
        assertThat(missing.code()).isEqualTo(KvStoreCli.NOT_FOUND);
        assertThat(missing.err()).contains("key not found: absent");
        assertThat(exec(base, "verify").code()).isZero();
    }

    private static Result exec(List<String> base, String... args) throws Exception {
        List<String> command = new ArrayList<>(base);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), new String(out, UTF_8), new String(err, UTF_8));
    }
}
