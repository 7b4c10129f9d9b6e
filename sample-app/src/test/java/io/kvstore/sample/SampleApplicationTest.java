package io.kvstore.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sample over real HTTP, as the README shows it: shop API, REST API, security, actuator. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {

    @TempDir
    static Path data;

    @DynamicPropertySource
    static void dataDirectories(DynamicPropertyRegistry registry) {
        registry.add("kvstore.instances.app.data-dir", () -> data.resolve("app").toString());
        registry.add("kvstore.instances.log.data-dir", () -> data.resolve("log").toString());
    }

    @LocalServerPort
    int port;
    @Autowired
    CustomerRepository customers;
    @Autowired
    @Qualifier("app")
    KvStore app;

    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = new JsonMapper();

    @Test
    void theShopApiAnswersFromIndexes() throws Exception {
        long lisboa = customers.findAll().stream().filter(c -> c.city().equals("Lisboa")).count();
        assertThat(lisboa).isPositive();
        assertThat(get("reader", "/api/customers?city=Lisboa").size()).isEqualTo((int) lisboa);
        assertThat(get("reader", "/api/customers/count?city=Lisboa").get("count").asLong()).isEqualTo(lisboa);

        JsonNode page = get("reader", "/api/customers/by-age?from=30&to=39&size=7");
        long thirties = customers.findAll().stream().filter(c -> c.age() >= 30 && c.age() <= 39).count();
        assertThat(page.get("page").get("totalElements").asLong()).isEqualTo(thirties);
        assertThat(page.get("content")).hasSize(7);

        // Keyset scrolling through one tier, window by window, to the end.
        Set<String> seen = new HashSet<>();
        List<Integer> ages = new ArrayList<>();
        String next = null;
        do {
            JsonNode window = get("reader", "/api/customers/scroll?tier=gold" + (next == null ? "" : "&next=" + next));
            for (JsonNode c : window.get("customers")) {
                assertThat(seen.add(c.get("id").asString())).as("no duplicates").isTrue();
                ages.add(c.get("age").asInt());
            }
            next = window.get("next").isNull() ? null : window.get("next").asString();
        } while (next != null);
        assertThat(seen).hasSize((int) customers.findAll().stream().filter(c -> c.tier().equals("gold")).count());
        assertThat(ages).isSorted();

        assertThat(get("reader", "/api/orders/big?min=900").findValuesAsString("id")).isNotEmpty();
        assertThat(customers.findById("c1")).hasValueSatisfying(c -> assertThat(c.createdAt()).isNotNull());
    }

    @Test
    void readersReadAndWritersWrite() throws Exception {
        assertThat(send(null, "GET", "/db", null).statusCode()).isEqualTo(401);
        HttpResponse<String> refused = send("reader", "PUT", "/db/app/keys/notes:9", "{\"topic\":\"x\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json.readTree(refused.body()).get("detail").asString())
                .isEqualTo("WRITE on instance 'app' key 'notes:9' is not allowed for reader");
        assertThat(app.get("notes:9")).isNull();
        assertThat(send("reader", "POST", "/api/customers", "{\"name\":\"Zed\"}").statusCode()).isEqualTo(403);

        assertThat(send("writer", "PUT", "/db/app/keys/notes:9", "{\"topic\":\"x\"}").statusCode()).isEqualTo(200);
        assertThat(get("reader", "/db/app/keys/notes:9").get("topic").asString()).isEqualTo("x");
        HttpResponse<String> created = send("writer", "POST", "/api/customers",
                "{\"name\":\"Zed Z.\",\"email\":\"zed@example.com\",\"city\":\"Porto\",\"age\":40,\"tier\":\"gold\",\"tags\":[]}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = json.readTree(created.body()).get("id").asString();
        assertThat(get("reader", "/api/customers/" + id).get("name").asString()).isEqualTo("Zed Z.");
    }

    @Test
    void restCollectionsAndEventsWork() throws Exception {
        HttpResponse<String> note = send("writer", "POST", "/db/app/collections/notes", "{\"topic\":\"lsm\",\"text\":\"hi\"}");
        assertThat(note.statusCode()).isEqualTo(201);
        JsonNode found = json.readTree(send("reader", "POST", "/db/app/collections/notes/find",
                "{\"filter\":{\"topic\":\"lsm\"}}").body());
        assertThat(found.get("entries")).hasSize(1);
        assertThat(json.readTree(send("writer", "POST", "/api/events", "a\nb\nc", "text/plain").body())
                .get("ingested").asInt()).isEqualTo(3);
        JsonNode events = get("reader", "/db/log/keys?prefix=events/&values=true");
        assertThat(events.get("entries")).hasSize(3);
        assertThat(new String(Base64.getDecoder().decode(events.get("entries").get(0).get("value").asString()),
                StandardCharsets.UTF_8)).isEqualTo("a");
    }

    @Test
    void actuatorAndOpenApiAreServed() throws Exception {
        JsonNode health = json.readTree(send(null, "GET", "/actuator/health", null).body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("kvstore").get("components").has("app")).isTrue();
        assertThat(get("reader", "/actuator/kvstore").get("instances").has("log")).isTrue();
        assertThat(send("reader", "GET", "/actuator/prometheus", null).body()).contains("kvstore_operations_seconds_count");
        assertThat(send("reader", "GET", "/v3/api-docs", null).body()).contains("/db/{instance}/query");
    }

    private JsonNode get(String user, String path) throws Exception {
        HttpResponse<String> r = send(user, "GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        return send(user, method, path, body, "application/json");
    }

    private HttpResponse<String> send(String user, String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", type)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            String password = user + "-pass";
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
