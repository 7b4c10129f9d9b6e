package io.kvstore.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.codec.Codec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API over real HTTP: every endpoint family, every error status with its problem
 * detail, and that a refused call writes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kvstore.web.enabled=true", "kvstore.web.max-body-size=64KB", "kvstore.web.search-scan-budget=50"})
class KvStoreRestApiTest {

    static final Path ROOT = temp();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean(destroyMethod = "close")
        KvStore appKvStore() {
            return KvStore.open(ROOT.resolve("app"), KvStoreOptions.defaults().withCodec(Codec.BSON)
                    .withMaxValueSize(4096).withSyncMode(SyncMode.NONE));
        }

        @Bean(destroyMethod = "close")
        KvStore logKvStore() {
            return KvStore.open(ROOT.resolve("log"), KvStoreOptions.defaults().withSyncMode(SyncMode.NONE));
        }

        @Bean(destroyMethod = "")
        KvStore spareKvStore() {
            return KvStore.open(ROOT.resolve("spare"), KvStoreOptions.defaults().withCodec(Codec.JSON));
        }

        /**
         * Writes under {@code locked/} and reads under {@code secret/} are refused: the policy is
         * consulted on every call.
         */
        @Bean
        KvStoreAccessPolicy policy() {
            return (instance, key, operation, principal) -> !(operation == KvStoreAccessPolicy.Operation.WRITE
                    && key != null && key.startsWith("locked/")
                    || operation == KvStoreAccessPolicy.Operation.READ && key != null && key.startsWith("secret/"));
        }
    }

    /** Only instance app has a backup directory: log shows the refusal naming the property. */
    @DynamicPropertySource
    static void backupDirectory(DynamicPropertyRegistry registry) {
        registry.add("kvstore.instances.app.backup-directory", () -> ROOT.resolve("backups").toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("appKvStore")
    KvStore app;
    @Autowired
    @Qualifier("logKvStore")
    KvStore log;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = new JsonMapper();

    static Path temp() {
        try {
            return Files.createTempDirectory("kvstore-rest");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (var walk = Files.walk(ROOT)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @BeforeEach
    void clear() {
        for (KvStore db : List.of(app, log)) {
            try (var it = db.scan(io.kvstore.engine.KeyRange.all())) {
                while (it.hasNext()) {
                    db.delete(it.next().key());
                }
            }
            db.indexes().list().forEach(d -> db.indexes().drop(d.name()));
        }
    }

    // ---------------------------------------------------------------- keys

    @Test
    void documentsAndRawValuesGoInAndComeOutInTheInstanceCodec() throws Exception {
        assertThat(send("PUT", "/db/app/keys/users/1", "{\"name\":\"Ana\",\"age\":31}").statusCode()).isEqualTo(200);
        HttpResponse<String> got = send("GET", "/db/app/keys/users/1", null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        assertThat(json.readTree(got.body()).get("name").asString()).isEqualTo("Ana");
        assertThat(Codec.BSON.toJson(app.get("users/1"))).contains("Ana"); // stored as BSON

        HttpResponse<byte[]> raw = http.send(request("PUT", "/db/log/keys/e1")
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 1, (byte) 0xFF})).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> rawGet = http.send(request("GET", "/db/log/keys/e1").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(rawGet.body()).containsExactly(0, 1, 0xFF);
        assertThat(rawGet.headers().firstValue("Content-Type")).hasValue("application/octet-stream");

        HttpResponse<String> posted = send("POST", "/db/log/keys", "{\"key\":\"e2\",\"value\":\"aGk=\",\"ttl\":\"1h\"}");
        assertThat(posted.statusCode()).isEqualTo(201);
        assertThat(new String(log.get("e2"), StandardCharsets.UTF_8)).isEqualTo("hi");

        assertThat(send("DELETE", "/db/log/keys/e2", null).statusCode()).isEqualTo(204);
        assertThat(log.get("e2")).isNull();
        assertProblem(send("DELETE", "/db/log/keys/e2", null), 404, "key 'e2' not found");
        assertProblem(send("GET", "/db/app/keys/nope", null), 404, "key 'nope' not found in instance 'app'");
    }

    @Test
    void batchesAreAtomicAndAFaultyOperationWritesNothing() throws Exception {
        HttpResponse<String> ok = send("POST", "/db/app/keys/batch", """
                {"operations":[{"op":"put","key":"a","value":{"n":1}},{"op":"put","key":"b","value":{"n":2}},
                {"op":"delete","key":"a"}]}""");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(app.get("a")).isNull();
        assertThat(app.get("b")).isNotNull();

        assertProblem(send("POST", "/db/app/keys/batch", """
                {"operations":[{"op":"put","key":"c","value":{"n":3}},{"op":"frobnicate","key":"d"}]}"""),
                400, "operations[1].op 'frobnicate' is unknown");
        assertProblem(send("POST", "/db/app/keys/batch", """
                {"operations":[{"op":"put","key":"c","value":{"n":3}},{"op":"put","key":"d","value":[1,2]}]}"""),
                400, "operations[1].value is not a valid bson document");
        assertThat(app.get("c")).isNull();

        assertThat(send("DELETE", "/db/app/keys/batch", "{\"keys\":[\"b\",\"zz\"]}").statusCode()).isEqualTo(200);
        assertThat(app.get("b")).isNull();
    }

    @Test
    void listingsArePagedWithACursorAndSearchIsBoundedByItsBudget() throws Exception {
        for (int i = 0; i < 25; i++) {
            log.put(String.format("k/%02d", i), "v" + i);
        }
        log.put("other", "x");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json.readTree(send("GET", "/db/log/keys?prefix=k/&limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).body());
            page.get("keys").forEach(k -> seen.add(k.asString()));
            cursor = page.get("cursor").isNull() ? null : page.get("cursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).first().isEqualTo("k/00");
        assertThat(seen).last().isEqualTo("k/24");

        JsonNode withValues = json.readTree(send("GET", "/db/log/keys?start=k/20&end=k/22&values=true", null).body());
        assertThat(withValues.get("entries")).hasSize(2);
        assertThat(withValues.get("entries").get(0).get("value").asString()).isEqualTo("djIw"); // base64 of v20

        JsonNode search = json.readTree(send("GET", "/db/log/keys/search?q=/1", null).body());
        assertThat(search.get("scanned").asLong()).isEqualTo(26);
        assertThat(search.get("matches")).hasSize(10);
        for (int i = 0; i < 60; i++) {
            log.put(String.format("z/%02d", i), "v");
        }
        JsonNode partial = json.readTree(send("GET", "/db/log/keys/search?q=nomatch", null).body());
        assertThat(partial.get("scanned").asLong()).isEqualTo(50);
        assertThat(partial.get("budgetExhausted").asBoolean()).isTrue();
        assertThat(partial.get("cursor").isNull()).isFalse();

        assertThat(json.readTree(send("GET", "/db/log/count?prefix=k/", null).body()).get("count").asLong()).isEqualTo(25);
        assertProblem(send("GET", "/db/log/keys?limit=0", null), 400, "limit must be 1 to 1000");
    }

    // ---------------------------------------------------------------- queries and indexes

    @Test
    void indexesAreManagedAndQueriedOverHttp() throws Exception {
        assertThat(send("POST", "/db/app/indexes",
                "{\"name\":\"by_city\",\"type\":\"equality\",\"path\":\"$.city\",\"scopePrefix\":\"users:\"}").statusCode())
                .isEqualTo(201);
        assertThat(send("POST", "/db/app/indexes",
                "{\"name\":\"by_age\",\"type\":\"range\",\"path\":\"$.age\",\"scopePrefix\":\"users:\"}").statusCode())
                .isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            send("PUT", "/db/app/keys/users:" + i, "{\"city\":\"" + (i % 2 == 0 ? "Lisboa" : "Porto") + "\",\"age\":" + (20 + i) + "}");
        }
        JsonNode eq = json.readTree(send("POST", "/db/app/query", "{\"index\":\"by_city\",\"eq\":\"Porto\"}").body());
        assertThat(eq.get("entries")).hasSize(5);
        assertThat(eq.get("entries").get(0).get("value").get("city").asString()).isEqualTo("Porto");

        JsonNode range = json.readTree(send("POST", "/db/app/query", """
                {"and":[{"index":"by_city","eq":"Lisboa"},{"index":"by_age","gte":22,"lt":28}],"limit":2}""").body());
        assertThat(keys(range)).containsExactly("users:2", "users:4");
        JsonNode next = json.readTree(send("POST", "/db/app/query", """
                {"and":[{"index":"by_city","eq":"Lisboa"},{"index":"by_age","gte":22,"lt":28}],"limit":2,"cursor":"%s"}"""
                .formatted(range.get("cursor").asString())).body());
        assertThat(keys(next)).containsExactly("users:6");
        assertThat(next.get("cursor").isNull()).isTrue();

        assertThat(json.readTree(send("GET", "/db/app/indexes", null).body())).hasSize(2);
        assertThat(send("POST", "/db/app/indexes/by_age/rebuild", null).statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/db/app/indexes/by_age", null).statusCode()).isEqualTo(204);
        assertProblem(send("DELETE", "/db/app/indexes/by_age", null), 404, "index 'by_age' not found");
        assertProblem(send("POST", "/db/app/query", "{\"index\":\"by_age\",\"gt\":1}"), 400, "by_age");
        assertProblem(send("POST", "/db/app/query", "{\"index\":\"by_city\",\"like\":\"P%\"}"), 400, "unknown operator 'like'");
        assertProblem(send("POST", "/db/app/indexes", "{\"name\":\"x\",\"type\":\"fuzzy\",\"path\":\"$.a\"}"), 400,
                "unknown index type 'fuzzy'");
    }

    // ---------------------------------------------------------------- collections

    @Test
    void collectionsStoreDocumentsPatchThemAtomicallyAndFindThemThroughIndexes() throws Exception {
        send("POST", "/db/app/indexes", "{\"name\":\"c_city\",\"path\":\"$.city\",\"scopePrefix\":\"customers:\"}");
        send("POST", "/db/app/indexes", "{\"name\":\"c_age\",\"type\":\"range\",\"path\":\"$.age\",\"scopePrefix\":\"customers:\"}");
        send("POST", "/db/app/indexes", "{\"name\":\"c_tier\",\"path\":\"$.tier\",\"scopePrefix\":\"customers:\"}");

        HttpResponse<String> created = send("POST", "/db/app/collections/customers",
                "{\"name\":\"Ana\",\"city\":\"Lisboa\",\"age\":25,\"tier\":\"a\",\"visits\":1}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = json.readTree(created.body()).get("_id").asString();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(created.headers().firstValue("Location")).hasValue("/db/app/collections/customers/" + id);
        send("POST", "/db/app/collections/customers", "{\"_id\":\"c2\",\"name\":\"Rui\",\"city\":\"Lisboa\",\"age\":35,\"tier\":\"b\"}");
        send("PUT", "/db/app/collections/customers/c3", "{\"name\":\"Eva\",\"city\":\"Porto\",\"age\":28,\"tier\":\"a\"}");
        assertProblem(send("POST", "/db/app/collections/customers", "{\"_id\":\"c2\",\"name\":\"dup\"}"), 409,
                "document 'c2' already exists");

        HttpResponse<String> patched = send("PATCH", "/db/app/collections/customers/" + id,
                "{\"$set\":{\"address.city\":\"Lisboa\"},\"$unset\":{\"tier\":\"\"},\"$inc\":{\"visits\":2}}");
        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode doc = json.readTree(send("GET", "/db/app/collections/customers/" + id, null).body());
        assertThat(doc.get("visits").asLong()).isEqualTo(3);
        assertThat(doc.get("address").get("city").asString()).isEqualTo("Lisboa");
        assertThat(doc.has("tier")).isFalse();
        assertProblem(send("PATCH", "/db/app/collections/customers/" + id, "{\"$inc\":{\"name\":1}}"), 400,
                "$inc of 'name': the field holds STRING");
        assertProblem(send("PATCH", "/db/app/collections/customers/" + id, "{\"$push\":{\"a\":1}}"), 400,
                "unknown operator '$push'");

        JsonNode found = json.readTree(send("POST", "/db/app/collections/customers/find",
                "{\"filter\":{\"city\":\"Lisboa\",\"age\":{\"$gte\":20,\"$lt\":30}}}").body());
        assertThat(keys(found)).containsExactly("customers:" + id);
        JsonNode tiers = json.readTree(send("POST", "/db/app/collections/customers/find",
                "{\"filter\":{\"tier\":{\"$in\":[\"a\",\"b\"]}}}").body());
        assertThat(keys(tiers)).containsExactlyInAnyOrder("customers:c2", "customers:c3");
        assertProblem(send("POST", "/db/app/collections/customers/find", "{\"filter\":{\"name\":\"Ana\"}}"), 400,
                "field 'name' of collection 'customers' has no index");
        assertProblem(send("POST", "/db/app/collections/customers/find", "{\"filter\":{\"age\":{\"$near\":3}}}"), 400,
                "unknown operator '$near' on field 'age'");

        assertThat(send("DELETE", "/db/app/collections/customers/c3", null).statusCode()).isEqualTo(204);
        assertProblem(send("GET", "/db/app/collections/customers/c3", null), 404, "document 'c3' not found");
        assertProblem(send("POST", "/db/log/collections/events", "{\"a\":1}"), 400, "collections need a json or bson instance");
    }

    // ---------------------------------------------------------------- admin, instances

    @Test
    void instancesStatsAndAdminActions() throws Exception {
        JsonNode instances = json.readTree(send("GET", "/db", null).body());
        assertThat(instances.findValuesAsString("name")).contains("app", "log", "spare");
        app.put("x".getBytes(StandardCharsets.UTF_8), Codec.BSON.fromJson("{\"a\":1}"));
        assertThat(json.readTree(send("POST", "/db/app/admin/flush", null).body()).get("done").asBoolean()).isTrue();
        assertThat(json.readTree(send("POST", "/db/app/admin/compact", null).body()).get("done").asBoolean()).isTrue();
        JsonNode verified = json.readTree(send("POST", "/db/app/admin/verify", null).body());
        assertThat(verified.get("ok").asBoolean()).isTrue();
        assertThat(verified.get("tablesChecked").asInt()).isPositive();
        assertThat(verified.get("problems").isEmpty()).isTrue();
        JsonNode stats = json.readTree(send("GET", "/db/app/stats", null).body());
        assertThat(stats.get("lastSequence").asLong()).isPositive();
        assertThat(stats.get("codec").asString()).isEqualTo("bson");
        assertProblem(send("GET", "/db/nope/stats", null), 404, "no KvStore instance 'nope'");
    }

    @Test
    void adminBackupWritesANewArchiveIntoTheConfiguredDirectoryThatRestoresWithTheData() throws Exception {
        app.put("users/1".getBytes(StandardCharsets.UTF_8), Codec.BSON.fromJson("{\"name\":\"Ana\"}"));
        HttpResponse<String> first = send("POST", "/db/app/admin/backup", null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode backup = json.readTree(first.body());
        Path archive = Path.of(backup.get("archive").asString());
        assertThat(archive.getParent()).isEqualTo(ROOT.resolve("backups").toAbsolutePath());
        assertThat(archive.getFileName().toString())
                .matches("app-\\d{8}T\\d{6}\\.\\d{3}Z-" + backup.get("lastSequence").asLong() + "(-\\d+)?\\.tar\\.gz");
        assertThat(backup.get("lastSequence").asLong()).isEqualTo(app.stats().lastSequence());
        assertThat(backup.get("files").asInt()).isPositive();
        assertThat(backup.get("bytes").asLong()).isPositive();
        assertThat(Files.size(archive)).isPositive();

        Path second = Path.of(json.readTree(send("POST", "/db/app/admin/backup", null).body()).get("archive").asString());
        assertThat(second).isNotEqualTo(archive).exists();
        assertThat(archive).exists(); // never overwritten

        Path restored = ROOT.resolve("restored-" + System.nanoTime());
        KvStore.restore(archive, restored, KvStoreOptions.defaults().withCodec(Codec.BSON));
        try (KvStore copy = KvStore.open(restored, KvStoreOptions.defaults().withCodec(Codec.BSON))) {
            assertThat(Codec.BSON.toJson(copy.get("users/1"))).contains("Ana");
        }
        assertProblem(send("POST", "/db/log/admin/backup", null), 409,
                "no backup directory is configured for instance 'log'; set kvstore.backup.directory");
        assertProblem(send("POST", "/db/nope/admin/backup", null), 404, "no KvStore instance 'nope'");
    }

    // ---------------------------------------------------------------- directory listings

    @Test
    void listShowsChildDirectoriesEntriesAndTheIndexDefault() throws Exception {
        for (String k : List.of("users/ada/profile", "users/ada/orders/1", "users/ada/orders/2", "users/bob/profile",
                "users/top", "config/theme", "secret/plan")) {
            app.put(k.getBytes(StandardCharsets.UTF_8), Codec.BSON.fromJson("{\"k\":\"" + k + "\"}"));
        }
        app.put("users/.index".getBytes(StandardCharsets.UTF_8), Codec.BSON.fromJson("{\"about\":\"people\"}"));

        JsonNode root = json.readTree(send("GET", "/db/app/list", null).body());
        assertThat(root.get("directory").asString()).isEmpty();
        assertThat(strings(root.get("directories"))).containsExactly("config/", "secret/", "users/");
        assertThat(root.get("entries").isEmpty()).isTrue();
        assertThat(strings(json.readTree(send("GET", "/db/app/list/", null).body()).get("directories")))
                .containsExactly("config/", "secret/", "users/");

        JsonNode users = json.readTree(send("GET", "/db/app/list/users", null).body());
        assertThat(users.get("directory").asString()).isEqualTo("users/");
        assertThat(strings(users.get("directories"))).containsExactly("users/ada/", "users/bob/");
        assertThat(keys(users)).containsExactly("users/top"); // users/.index is the default, not an entry
        assertThat(users.get("entries").get(0).get("value").get("k").asString()).isEqualTo("users/top");
        assertThat(users.get("default").get("about").asString()).isEqualTo("people");
        assertThat(users.get("cursor").isNull()).isTrue();
        assertThat(json.readTree(send("GET", "/db/app/list/config", null).body()).get("default").isNull()).isTrue();

        JsonNode deep = json.readTree(send("GET", "/db/app/list/users/ada?depth=0", null).body());
        assertThat(keys(deep)).containsExactly("users/ada/orders/1", "users/ada/orders/2", "users/ada/profile");
        assertThat(deep.get("directories").isEmpty()).isTrue();
        JsonNode two = json.readTree(send("GET", "/db/app/list/users?depth=2", null).body());
        assertThat(keys(two)).containsExactly("users/ada/profile", "users/bob/profile", "users/top");
        assertThat(strings(two.get("directories"))).containsExactly("users/ada/orders/");

        JsonNode globbed = json.readTree(send("GET", "/db/app/list/users?depth=0&glob=users/*/orders/**", null).body());
        assertThat(keys(globbed)).containsExactly("users/ada/orders/1", "users/ada/orders/2");

        JsonNode page = json.readTree(send("GET", "/db/app/list/users?limit=2", null).body());
        assertThat(strings(page.get("directories"))).containsExactly("users/ada/", "users/bob/");
        String cursor = page.get("cursor").asString();
        JsonNode rest = json.readTree(send("GET", "/db/app/list/users?limit=2&cursor=" + cursor, null).body());
        assertThat(keys(rest)).containsExactly("users/top");
        assertThat(rest.get("cursor").isNull()).isTrue();

        JsonNode colons = json.readTree(send("GET", "/db/app/list?delimiter=:", null).body());
        assertThat(colons.get("directories").isEmpty()).isTrue();

        assertProblem(send("GET", "/db/app/list/users?depth=-1", null), 400, "depth must be 0 (every level) or positive");
        assertProblem(send("GET", "/db/app/list/users?depth=deep", null), 400, "depth");
        assertProblem(send("GET", "/db/app/list/users?glob=", null), 400, "glob must not be empty");
        assertProblem(send("GET", "/db/app/list/users?limit=0", null), 400, "limit must be 1 to 1000");
        assertProblem(send("GET", "/db/app/list/users?cursor=config/theme", null), 400, "does not belong to a listing");
        assertProblem(send("GET", "/db/app/list/secret", null), 403, "READ on instance 'app' key 'secret/' is not allowed");
        assertProblem(send("GET", "/db/nope/list", null), 404, "no KvStore instance 'nope'");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void clientMistakesAreProblemDetailsAndWriteNothing() throws Exception {
        assertProblem(send("PUT", "/db/app/keys/k1", "{\"a\":"), 400, "malformed JSON");
        assertProblem(send("PUT", "/db/app/keys/k1", "[1,2]"), 400, "is not a valid bson document");
        assertProblem(send("POST", "/db/app/keys", "{\"value\":{}}"), 400, "key must be a string");
        assertProblem(send("POST", "/db/app/keys", "{\"key\":\"\",\"value\":{}}"), 400, "key must not be empty");
        assertProblem(send("PUT", "/db/app/keys/a/../b", "{}"), 400, "'..' path segments");
        assertProblem(send("PUT", "/db/app/keys/a/%2E%2E/b", "{}"), 400, "'..' path segments");
        assertProblem(send("POST", "/db/app/keys", "{\"key\":\"a/../b\",\"value\":{}}"), 400, "'..' path segments");
        assertProblem(send("POST", "/db/log/keys", "{\"key\":\"bad\\u0001key\",\"value\":\"AA==\"}"), 400,
                "control characters");
        assertProblem(send("POST", "/db/log/keys", "{\"key\":\"k\",\"value\":\"not base64!\"}"), 400, "not valid base64");
        HttpResponse<String> garbage = send("PUT", "/db/log/keys/%FF%FE%00", "v");
        assertThat(garbage.statusCode()).as(garbage.body()).isEqualTo(400);
        assertProblem(send("POST", "/db/log/keys", "{\"key\":\"\\uDC00\",\"value\":\"AA==\"}"), 400, "unpaired surrogate U+DC00");
        assertProblem(send("POST", "/db/log/keys/batch", "\u0000\u00ff garbage"), 400, "malformed JSON");
        assertProblem(send("PUT", "/db/log/keys/k?ttl=soon", "x"), 400, "ttl 'soon' is not a duration");
        assertProblem(send("PUT", "/db/app/keys/big", "{\"s\":\"" + "x".repeat(5000) + "\"}"), 413,
                "over the instance's limit of 4096 bytes");
        assertProblem(send("PUT", "/db/log/keys/huge", "y".repeat(70_000)), 413, "over kvstore.web.max-body-size");
        assertProblem(send("PUT", "/db/log/keys/locked/a", "v"), 403, "WRITE on instance 'log' key 'locked/a' is not allowed");
        assertProblem(send("POST", "/db/app/query", "not json at all"), 400, "malformed JSON");
        assertProblem(send("POST", "/db/app/query", "{\"index\":\"missing\",\"eq\":1}"), 400, "missing");
        for (KvStore db : List.of(app, log)) {
            try (var it = db.scan(io.kvstore.engine.KeyRange.all())) {
                assertThat(it.hasNext()).as("nothing written to %s", db.directory()).isFalse();
            }
        }
    }

    @Test
    void aClosedInstanceAnswers503() throws Exception {
        // the spare instance is closed here, for good (its bean has no destroy method)
        HttpResponse<String> before = send("PUT", "/db/spare/keys/a", "{}");
        assertThat(before.statusCode()).isEqualTo(200);
        closeSpare();
        assertProblem(send("PUT", "/db/spare/keys/b", "{}"), 503, "closed");
    }

    @Autowired
    @Qualifier("spareKvStore")
    KvStore spareStore;

    private void closeSpare() {
        spareStore.close();
    }

    // ---------------------------------------------------------------- helpers

    private List<String> keys(JsonNode page) {
        List<String> keys = new ArrayList<>();
        page.get("entries").forEach(e -> keys.add(e.get("key").asString()));
        return keys;
    }

    private void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").asString()).contains(detail);
    }

    private HttpRequest.Builder request(String method, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = request(method, path).header("Content-Type",
                path.startsWith("/db/log/keys/") && method.equals("PUT") ? "application/octet-stream" : "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
