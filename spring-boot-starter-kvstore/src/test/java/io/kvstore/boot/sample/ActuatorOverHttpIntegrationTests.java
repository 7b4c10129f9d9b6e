package io.kvstore.boot.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain application with only the starter, the two instances of {@code application-http.yml}
 * (the example), and the real actuator over HTTP: health, the metric names, and the
 * endpoint's reads and actions. The responses are written to {@code target/actuator-responses/}
 * for the documentation.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("http")
class ActuatorOverHttpIntegrationTests {

    @TempDir
    static Path root;

    @DynamicPropertySource
    static void dataDirectories(DynamicPropertyRegistry registry) {
        registry.add("kvstore.instances.app.data-dir", () -> root.resolve("app").toString());
        registry.add("kvstore.instances.log.data-dir", () -> root.resolve("log").toString());
    }

    private static final Path RESPONSES = Path.of("target", "actuator-responses");

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    CustomerRepository customers;

    @Autowired
    @Qualifier("log")
    KvStore log;

    @Test
    void healthMetricsAndTheKvstoreEndpointWorkOverHttp() throws Exception {
        customers.save(new Customer("1", "Ada", "Porto"));
        customers.findByCity("Porto");
        log.put("event:1", "started");

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode kvstore = json.readTree(health.body()).at("/components/kvstore");
        assertThat(kvstore.at("/status").asString()).isEqualTo("UP");
        assertThat(kvstore.at("/components/app/status").asString()).isEqualTo("UP");
        assertThat(kvstore.at("/components/app/details/syncMode").asString()).isEqualTo("sync");
        assertThat(kvstore.at("/components/log/details/syncMode").asString()).isEqualTo("none");
        assertThat(kvstore.at("/components/log/details/levels/L0/files").isNumber()).isTrue();
        assertThat(log.options().compactionStrategy()).isEqualTo(io.kvstore.engine.CompactionStrategy.TIERED);
        assertThat(log.options().syncMode()).isEqualTo(io.kvstore.engine.SyncMode.NONE);
        save("health.json", health.body());

        HttpResponse<String> metrics = get("/actuator/metrics");
        List<String> names = new ArrayList<>();
        json.readTree(metrics.body()).get("names").forEach(n -> names.add(n.asString()));
        assertThat(names).contains("kvstore.operations", "kvstore.memtable.size", "kvstore.sstables",
                "kvstore.disk.used", "kvstore.compaction.pending", "kvstore.compactions",
                "kvstore.compaction.bytes.read", "kvstore.compaction.bytes.written", "kvstore.wal.syncs",
                "kvstore.write.stalls", "kvstore.block.cache.gets", "kvstore.bloom.checks");
        HttpResponse<String> puts = get("/actuator/metrics/kvstore.operations?tag=instance:log&tag=operation:put");
        assertThat(json.readTree(puts.body()).at("/measurements/0/value").asDouble()).isEqualTo(1.0);
        HttpResponse<String> disk = get("/actuator/metrics/kvstore.disk.used?tag=instance:app");
        assertThat(json.readTree(disk.body()).at("/baseUnit").asString()).isEqualTo("bytes");
        save("metrics-kvstore.operations.json", puts.body());

        HttpResponse<String> instances = get("/actuator/kvstore");
        assertThat(instances.statusCode()).isEqualTo(200);
        JsonNode listed = json.readTree(instances.body()).get("instances");
        assertThat(listed.propertyNames()).containsExactly("app", "log");
        assertThat(listed.at("/app/codec").asString()).isEqualTo("json");
        save("kvstore.json", instances.body());

        HttpResponse<String> app = get("/actuator/kvstore/app");
        assertThat(json.readTree(app.body()).at("/indexes/0/name").asString()).isEqualTo("by_city");
        assertThat(json.readTree(app.body()).at("/levels").size()).isGreaterThan(1);
        save("kvstore-app.json", app.body());
        assertThat(get("/actuator/kvstore/nope").statusCode()).isEqualTo(404);

        HttpResponse<String> flushed = post("/actuator/kvstore/log", "{\"action\":\"flush\"}");
        assertThat(flushed.statusCode()).isEqualTo(200);
        assertThat(json.readTree(flushed.body()).at("/stats/tableFiles").asInt()).isEqualTo(1);
        save("kvstore-log-flush.json", flushed.body());
        HttpResponse<String> compacted = post("/actuator/kvstore/log", "{\"action\":\"compact\"}");
        assertThat(compacted.statusCode()).isEqualTo(200);
        HttpResponse<String> verified = post("/actuator/kvstore/app", "{\"action\":\"verify\"}");
        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(json.readTree(verified.body()).at("/ok").asBoolean()).isTrue();
        save("kvstore-app-verify.json", verified.body());
        assertThat(post("/actuator/kvstore/log", "{\"action\":\"explode\"}").statusCode()).isEqualTo(400);
        assertThat(post("/actuator/kvstore/nope", "{\"action\":\"flush\"}").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private void save(String name, String body) throws IOException {
        Files.createDirectories(RESPONSES);
        Files.writeString(RESPONSES.resolve(name), json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(json.readTree(body)));
    }
}
