package io.kvstore.cli;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.ListOptions;
import io.kvstore.engine.Listing;
import io.kvstore.engine.VerifyReport;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexType;
import io.kvstore.engine.index.QueryPage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An instance behind the starter's REST API ({@code --url http://host:8080 --instance app}).
 *
 * <pre>
 * URL:     a URL without a path gets the API's default base path /db; a URL with a path
 *          (http://host/api/kv) is taken as the base path itself.
 * Values:  a raw instance's values travel as bytes (base64 inside JSON); a json or bson
 *          instance's values as JSON documents, handed to the commands as compact JSON text.
 * Errors:  every non-2xx answer becomes a {@link RemoteException} carrying the status and the
 *          problem detail of the server.
 * </pre>
 */
final class RemoteAccess implements StoreAccess {

    /** Page size asked of listings; the server's default kvstore.web.max-page-size is 1000. */
    private static final int PAGE = 100;

    private final HttpClient http;
    private final String base;
    private final String instance;
    private final String authorization;
    private Codec codec;

    /**
     * @param url the application's URL
     * @param instance the instance name
     * @param user {@code name:password} for HTTP Basic, or {@code null}
     */
    RemoteAccess(String url, String instance, String user) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url '" + url + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("--url '" + url + "' must be an http(s) URL such as http://localhost:8080");
        }
        if (user != null && !user.contains(":")) {
            throw new IllegalArgumentException("--user must be name:password");
        }
        String trimmed = url.replaceAll("/+$", "");
        this.base = (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/") ? trimmed + "/db"
                : trimmed) + "/" + segment(instance);
        this.instance = instance;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public String describe() {
        return base + " (instance " + instance + ")";
    }

    @Override
    public Codec codec() {
        if (codec == null) {
            JsonNode stats = json("GET", "/stats", null);
            codec = Codec.named(stats.path("codec").asString("raw"));
        }
        return codec;
    }

    @Override
    public Codec valueCodec() {
        return codec() == Codec.RAW ? Codec.RAW : Codec.JSON;
    }

    @Override
    public byte[] get(String key) {
        try {
            return send("GET", "/keys/" + path(key), null, null).body();
        } catch (RemoteException e) {
            if (e.status() == 404 && e.detail().startsWith("key '")) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        send("PUT", "/keys/" + path(key) + (ttl == null ? "" : "?ttl=" + query(ttl.toString())),
                codec() == Codec.RAW ? "application/octet-stream" : "application/json", value);
    }

    @Override
    public int delete(List<String> keys) {
        int existed = 0;
        for (String k : keys) {
            if (get(k) != null) {
                existed++;
            }
        }
        ObjectNode body = Output.JSON.createObjectNode();
        ArrayNode array = body.putArray("keys");
        keys.forEach(array::add);
        json("DELETE", "/keys/batch", body);
        return existed;
    }

    @Override
    public void write(List<Op> ops) {
        if (ops.isEmpty()) {
            return; // the API wants at least one operation; an empty batch changes nothing anyway
        }
        ObjectNode body = Output.JSON.createObjectNode();
        ArrayNode array = body.putArray("operations");
        for (Op op : ops) {
            ObjectNode o = array.addObject();
            o.put("op", op.value() == null ? "delete" : "put");
            o.put("key", op.key());
            if (op.value() != null) {
                o.set("value", valueNode(op.key(), op.value()));
            }
        }
        json("POST", "/keys/batch", body);
    }

    /** A value as the API wants it in a JSON body: base64 on a raw instance, else the document. */
    private JsonNode valueNode(String key, byte[] value) {
        if (codec() == Codec.RAW) {
            return Output.JSON.getNodeFactory().stringNode(Base64.getEncoder().encodeToString(value));
        }
        try {
            return Output.JSON.readTree(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("value of '" + key + "' is not a JSON document, which instance '"
                    + instance + "' (" + codec().name() + ") stores: " + e.getOriginalMessage());
        }
    }

    /** A value from its JSON form in an answer. */
    private byte[] valueBytes(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (codec() == Codec.RAW) {
            return Base64.getDecoder().decode(value.asString());
        }
        return Output.JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean scan(Range range, long limit, boolean values, Consumer<KvEntry> sink) {
        long n = 0;
        String cursor = null;
        while (true) {
            long ask = limit == 0 ? PAGE : Math.min(limit - n + 1, PAGE); // one more tells whether more follow
            JsonNode page = json("GET", "/keys" + params("prefix", range.prefix(), "start", range.start(), "end",
                    range.end(), "values", values ? "true" : null, "limit", String.valueOf(ask), "cursor", cursor), null);
            for (JsonNode item : page.get(values ? "entries" : "keys")) {
                if (limit != 0 && n == limit) {
                    return true;
                }
                if (values) {
                    sink.accept(new KvEntry(utf8(item.get("key").asString()), valueBytes(item.get("value"))));
                } else {
                    sink.accept(new KvEntry(utf8(item.asString()), new byte[0]));
                }
                n++;
            }
            if (page.get("cursor").isNull()) {
                return false;
            }
            cursor = page.get("cursor").asString();
        }
    }

    @Override
    public long count(Range range) {
        if (range.start() == null && range.end() == null) {
            return json("GET", "/count" + params("prefix", range.prefix()), null).get("count").asLong();
        }
        long[] n = {0};
        scan(range, 0, false, e -> n[0]++);
        return n[0];
    }

    @Override
    public Listing list(String dir, ListOptions o) {
        JsonNode l = json("GET", "/list/" + path(dir) + params("delimiter", o.delimiter(), "depth",
                String.valueOf(o.depth()), "glob", o.glob(), "limit", String.valueOf(o.limit()), "cursor",
                o.startAfter()), null);
        List<String> directories = new ArrayList<>();
        l.get("directories").forEach(d -> directories.add(d.asString()));
        return new Listing(l.get("directory").asString(), directories, entries(l.get("entries")),
                valueBytes(l.get("default")), l.get("cursor").isNull() ? null : l.get("cursor").asString(), 0, 0);
    }

    private List<KvEntry> entries(JsonNode array) {
        List<KvEntry> entries = new ArrayList<>();
        array.forEach(e -> entries.add(new KvEntry(utf8(e.get("key").asString()), valueBytes(e.get("value")))));
        return entries;
    }

    @Override
    public QueryPage find(FindQuery f) {
        ObjectNode body = Output.JSON.createObjectNode();
        body.put("index", f.index());
        f.conditions().forEach((op, term) -> body.set(op, Output.JSON.valueToTree(term)));
        body.put("limit", f.limit());
        if (f.after() != null) {
            body.put("cursor", f.after());
        }
        if (f.descending()) {
            body.put("descending", true);
        }
        JsonNode page = json("POST", "/query", body);
        return new QueryPage(entries(page.get("entries")),
                page.get("cursor").isNull() ? null : page.get("cursor").asString());
    }

    @Override
    public Map<String, Object> stats() {
        JsonNode s = json("GET", "/stats", null);
        Map<String, Object> m = new LinkedHashMap<>();
        for (String field : List.of("lastSequence", "entriesWritten", "memtableBytes", "tableFilesPerLevel",
                "tableBytesPerLevel", "tableFiles", "tableBytes", "walBytes", "bytesOnDisk", "flushes", "compactions",
                "pendingCompactionBytes", "writeAmplification", "openSnapshots")) {
            m.put(field, Output.JSON.treeToValue(s.get(field), Object.class));
        }
        m.put("writeAmplification", Math.round(s.get("writeAmplification").asDouble() * 100) / 100.0);
        return m;
    }

    @Override
    public void compact() {
        json("POST", "/admin/compact", null);
    }

    @Override
    public VerifyReport verify() {
        JsonNode r = json("POST", "/admin/verify", null);
        List<VerifyReport.Problem> problems = new ArrayList<>();
        r.get("problems").forEach(p -> problems.add(new VerifyReport.Problem(Path.of(p.get("file").asString()),
                p.get("offset").asLong(), p.get("description").asString())));
        return new VerifyReport(problems, r.get("tablesChecked").asInt(), r.get("walRecordsChecked").asLong());
    }

    @Override
    public BackupResult backup(Path archive) {
        if (archive != null) {
            throw new IllegalArgumentException("in remote mode the server writes the archive into its configured"
                    + " kvstore.backup.directory; leave out ARCHIVE (" + archive + ")");
        }
        JsonNode b = json("POST", "/admin/backup", null);
        return new BackupResult(b.get("archive").asString(), b.get("lastSequence").asLong(), b.get("files").asInt(),
                b.get("bytes").asLong(), b.get("createdAt").asString());
    }

    @Override
    public List<IndexDefinition> indexes() {
        List<IndexDefinition> out = new ArrayList<>();
        for (JsonNode d : json("GET", "/indexes", null)) {
            IndexDefinition def = IndexDefinition.of(d.get("name").asString(),
                    IndexType.valueOf(d.get("type").asString().toUpperCase(Locale.ROOT)),
                    extractor(d.get("extractor").asString()));
            String scope = d.path("scopePrefix").asString("");
            out.add(scope.isEmpty() ? def : def.withScopePrefix(scope.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static Extractor extractor(String spec) {
        if (spec.startsWith("json:")) {
            return Extractor.jsonPath(spec.substring(5));
        }
        if (spec.startsWith("bson:")) {
            return Extractor.bsonPath(spec.substring(5));
        }
        if (spec.equals("raw")) {
            return Extractor.raw();
        }
        // A custom extractor lives in the application's code: shown by name, never run here.
        return Extractor.custom(spec.startsWith("custom:") ? spec.substring(7) : spec, v -> List.of());
    }

    @Override
    public void createIndex(IndexDefinition d) {
        String spec = d.extractor().toString();
        String expected = codec() == Codec.RAW ? "raw" : codec().name().toLowerCase(Locale.ROOT);
        if (!spec.equals("raw") && !spec.startsWith(expected + ":") || spec.equals("raw") && codec() != Codec.RAW) {
            throw new IllegalArgumentException("over the REST API a " + codec().name() + " instance's index reads "
                    + (codec() == Codec.RAW ? "whole values (no --path)" : expected + " values with --path")
                    + "; the extractor " + spec + " cannot be created remotely");
        }
        ObjectNode body = Output.JSON.createObjectNode();
        body.put("name", d.name());
        body.put("type", d.type().name().toLowerCase(Locale.ROOT));
        if (!spec.equals("raw")) {
            body.put("path", spec.substring(spec.indexOf(':') + 1));
        }
        if (d.scopePrefix().length > 0) {
            body.put("scopePrefix", new String(d.scopePrefix(), StandardCharsets.UTF_8));
        }
        json("POST", "/indexes", body);
    }

    @Override
    public boolean dropIndex(String name) {
        try {
            send("DELETE", "/indexes/" + segment(name), null, null);
            return true;
        } catch (RemoteException e) {
            if (e.status() == 404 && e.detail().startsWith("index '")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void rebuildIndex(String name) {
        json("POST", "/indexes/" + segment(name) + "/rebuild", null);
    }

    @Override
    public void close() {
        // HttpClient holds no connection worth closing for a one-shot command
    }

    // ---------------------------------------------------------------- HTTP

    private JsonNode json(String method, String path, JsonNode body) {
        byte[] bytes = body == null ? null : Output.JSON.writeValueAsBytes(body);
        byte[] answer = send(method, path, bytes == null ? null : "application/json", bytes).body();
        return answer.length == 0 ? Output.JSON.createObjectNode() : Output.JSON.readTree(answer);
    }

    private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new RemoteException(0, "cannot connect to " + uri.getScheme() + "://" + uri.getAuthority(),
                    "connection refused");
        } catch (IOException e) {
            throw new RemoteException(0, "request " + method + " " + uri + " failed", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException(0, "request " + method + " " + uri, "interrupted");
        }
        if (response.statusCode() >= 300) {
            throw new RemoteException(response.statusCode(), "HTTP " + response.statusCode() + " from " + method + " "
                    + uri.getRawPath(), detail(response));
        }
        return response;
    }

    /** The problem detail of an error answer, or its body, or a hint for the statuses that come without one. */
    private static String detail(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        try {
            JsonNode problem = Output.JSON.readTree(text);
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asString();
            }
            if (problem.hasNonNull("error")) {
                return problem.get("error").asString();
            }
        } catch (JacksonException e) {
            // not JSON: the body itself, if any
        }
        return switch (response.statusCode()) {
            case 401 -> "unauthorized; give credentials with --user name:password (or KVSTORE_USER)";
            case 403 -> "forbidden for this user";
            default -> text.isEmpty() ? "no detail" : text;
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A key as a URL path: its levels kept, everything but unreserved characters percent-encoded. */
    static String path(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static String segment(String name) {
        return path(name).replace("/", "%2F");
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code ?a=1&b=2} of the non-null name/value pairs. */
    private static String params(String... pairs) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                q.append(q.length() == 0 ? '?' : '&').append(pairs[i]).append('=').append(query(pairs[i + 1]));
            }
        }
        return q.toString();
    }

    /** The server refused a call, or could not be reached (status 0). */
    static final class RemoteException extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final int status;
        private final String detail;

        RemoteException(int status, String what, String detail) {
            super(what + ": " + detail);
            this.status = status;
            this.detail = detail;
        }

        int status() {
            return status;
        }

        /** The server's problem detail. */
        String detail() {
            return detail;
        }

        /** 404 not found (1); other 4xx the request as given (2); a damaged store (3); unreachable or 5xx (4). */
        int exitCode() {
            if (status == 404) {
                return KvStoreCli.NOT_FOUND;
            }
            if (status >= 400 && status < 500) {
                return KvStoreCli.USAGE;
            }
            if (status == 500 && detail.startsWith("the store is damaged")) {
                return KvStoreCli.CORRUPTION;
            }
            return KvStoreCli.IO_ERROR;
        }
    }
}
