package io.kvstore.boot.web;

import io.kvstore.boot.web.KvStoreAccessPolicy.Operation;
import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.ListOptions;
import io.kvstore.engine.Listing;
import io.kvstore.engine.WriteBatch;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Keys and values: single keys, atomic batches, paged listings, directory listings of
 * hierarchical keys, a bounded substring search and counts. A key in the path may contain slashes ({@code /keys/users/42/profile}); the literal
 * paths {@code /keys/batch} and {@code /keys/search} name the batch and search calls, so keys
 * {@code batch} and {@code search} are read and written through {@code POST /keys} and listings.
 */
@RestController
@RequestMapping("${kvstore.web.base-path:/db}/{instance}")
class KeysController {

    private final WebStores stores;
    private final KvStoreWebProperties properties;

    KeysController(WebStores stores, KvStoreWebProperties properties) {
        this.stores = stores;
        this.properties = properties;
    }

    @GetMapping("/keys/{*key}")
    ResponseEntity<?> get(@PathVariable String instance, @PathVariable String key, HttpServletRequest request) {
        String k = pathKey(key);
        KvStore db = stores.open(instance, k, Operation.READ, request);
        byte[] value = db.get(WebStores.key(db, k));
        if (value == null) {
            throw KvStoreWebException.notFound("key '" + k + "' not found in instance '" + instance + "'");
        }
        if (WebStores.isDocumentStore(db)) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(stores.valueToJson(db, value));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(value);
    }

    @PutMapping("/keys/{*key}")
    ResponseEntity<Map<String, Object>> put(@PathVariable String instance, @PathVariable String key,
            @RequestParam(required = false) String ttl, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        String k = pathKey(key);
        KvStore db = stores.open(instance, k, Operation.WRITE, request);
        byte[] keyBytes = WebStores.key(db, k);
        byte[] value = body == null ? new byte[0] : body;
        if (WebStores.isDocumentStore(db)) {
            value = WebStores.documentBytes(db, stores.json().writeValueAsString(stores.parse(value)), "value of '" + k + "'");
        }
        WebStores.checkValueSize(db, value);
        db.write(put(new WriteBatch(), keyBytes, value, ttl(ttl)));
        return ResponseEntity.ok(written(k, value, ttl));
    }

    @PostMapping("/keys")
    ResponseEntity<Map<String, Object>> post(@PathVariable String instance, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        JsonNode json = stores.parse(body);
        String k = text(json, "key");
        KvStore db = stores.open(instance, k, Operation.WRITE, request);
        byte[] keyBytes = WebStores.key(db, k);
        byte[] value = stores.valueFromJson(db, json.get("value"), "value of '" + k + "'");
        String ttl = json.hasNonNull("ttl") ? json.get("ttl").asString() : null;
        db.write(put(new WriteBatch(), keyBytes, value, ttl(ttl)));
        return ResponseEntity.created(URI.create(request.getRequestURI() + "/" + k)).body(written(k, value, ttl));
    }

    @DeleteMapping("/keys/{*key}")
    ResponseEntity<Void> delete(@PathVariable String instance, @PathVariable String key, HttpServletRequest request) {
        String k = pathKey(key);
        KvStore db = stores.open(instance, k, Operation.WRITE, request);
        byte[] keyBytes = WebStores.key(db, k);
        if (db.get(keyBytes) == null) {
            throw KvStoreWebException.notFound("key '" + k + "' not found in instance '" + instance + "'");
        }
        db.delete(keyBytes);
        return ResponseEntity.noContent().build();
    }

    /**
     * An atomic batch: {@code {"operations": [{"op": "put", "key": "a", "value": …, "ttl": "30s"},
     * {"op": "delete", "key": "b"}]}}. All or nothing; the last operation on a key wins.
     */
    @PostMapping("/keys/batch")
    Map<String, Object> batch(@PathVariable String instance, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        JsonNode json = stores.parse(body);
        JsonNode ops = json.get("operations");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            throw KvStoreWebException.badRequest("a batch needs a non-empty array 'operations'");
        }
        KvStore db = stores.open(instance, null, Operation.WRITE, request);
        WriteBatch batch = new WriteBatch();
        int puts = 0;
        int deletes = 0;
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String where = "operations[" + i + "]";
            if (!op.isObject()) {
                throw KvStoreWebException.badRequest(where + " must be an object");
            }
            String k = text(op, "key", where + ".key");
            stores.authorize(instance, k, Operation.WRITE, request);
            byte[] keyBytes = WebStores.key(db, k);
            String kind = text(op, "op", where + ".op");
            switch (kind) {
                case "put" -> {
                    String ttl = op.hasNonNull("ttl") ? op.get("ttl").asString() : null;
                    put(batch, keyBytes, stores.valueFromJson(db, op.get("value"), where + ".value"), ttl(ttl));
                    puts++;
                }
                case "delete" -> {
                    batch.delete(keyBytes);
                    deletes++;
                }
                default -> throw KvStoreWebException.badRequest(where + ".op '" + kind + "' is unknown; use put or delete");
            }
        }
        db.write(batch);
        return Map.of("puts", puts, "deletes", deletes);
    }

    /** Deletes the keys of {@code {"keys": ["a", "b"]}} in one atomic batch. */
    @DeleteMapping("/keys/batch")
    Map<String, Object> deleteBatch(@PathVariable String instance, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        JsonNode json = stores.parse(body);
        JsonNode keys = json.get("keys");
        if (keys == null || !keys.isArray() || keys.isEmpty()) {
            throw KvStoreWebException.badRequest("a delete batch needs a non-empty array 'keys'");
        }
        KvStore db = stores.open(instance, null, Operation.WRITE, request);
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).isString()) {
                throw KvStoreWebException.badRequest("keys[" + i + "] must be a string");
            }
            stores.authorize(instance, keys.get(i).asString(), Operation.WRITE, request);
            batch.delete(WebStores.key(db, keys.get(i).asString()));
        }
        db.write(batch);
        return Map.of("deletes", keys.size());
    }

    /**
     * One page of keys in order: within {@code prefix}, from {@code start} (inclusive) to
     * {@code end} (exclusive), after {@code cursor}; values too with {@code values=true}.
     */
    @GetMapping("/keys")
    Map<String, Object> list(@PathVariable String instance, @RequestParam(required = false) String prefix,
            @RequestParam(required = false) String start, @RequestParam(required = false) String end,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "false") boolean values, HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.READ, request);
        int max = pageSize(limit);
        List<Object> items = new ArrayList<>();
        String next = null;
        try (KvIterator it = db.scan(range(prefix, start, end, cursor))) {
            while (it.hasNext()) {
                KvEntry e = it.next();
                if (items.size() == max) {
                    next = encodeCursor(lastKey(items, values));
                    break;
                }
                if (values) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("key", e.keyAsString());
                    entry.put("value", stores.valueToJson(db, e.value()));
                    items.add(entry);
                } else {
                    items.add(e.keyAsString());
                }
            }
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put(values ? "entries" : "keys", items);
        page.put("cursor", next);
        return page;
    }

    /**
     * Keys containing {@code q}, read in key order within {@code prefix}: at most {@code limit}
     * matches and at most the scan budget of keys per call. A call that ran out of budget says
     * so and gives the cursor to continue from.
     */
    @GetMapping("/keys/search")
    Map<String, Object> search(@PathVariable String instance, @RequestParam String q,
            @RequestParam(required = false) String prefix, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        if (q.isEmpty()) {
            throw KvStoreWebException.badRequest("q must not be empty");
        }
        KvStore db = stores.open(instance, null, Operation.READ, request);
        int max = pageSize(limit);
        byte[] needle = q.getBytes(StandardCharsets.UTF_8);
        List<String> matches = new ArrayList<>();
        long scanned = 0;
        byte[] last = null;
        boolean more = false;
        try (KvIterator it = db.scan(range(prefix, null, null, cursor))) {
            while (it.hasNext()) {
                if (matches.size() == max || scanned == properties.getSearchScanBudget()) {
                    more = true;
                    break;
                }
                byte[] key = it.next().key();
                scanned++;
                last = key;
                if (indexOf(key, needle) >= 0) {
                    matches.add(new String(key, StandardCharsets.UTF_8));
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("matches", matches);
        result.put("scanned", scanned);
        result.put("budgetExhausted", more && matches.size() < max);
        result.put("cursor", more && last != null ? encodeCursor(last) : null);
        return result;
    }

    /** The number of keys under {@code prefix} (all keys without one); reads keys, not values' meaning. */
    @GetMapping("/count")
    Map<String, Object> count(@PathVariable String instance, @RequestParam(required = false) String prefix,
            HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.READ, request);
        long n = 0;
        try (KvIterator it = db.scan(range(prefix, null, null, null))) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("prefix", prefix == null ? "" : prefix);
        result.put("count", n);
        return result;
    }

    /**
     * One page of the "directory" {@code path} of hierarchical keys ({@code users/42/orders/7}), like an
     * object-store listing: {@code {"directory": "users/", "directories": ["users/42/"], "entries":
     * [{"key", "value"}], "default": <value of users/.index or null>, "cursor": <next page or null>}}.
     * An empty path lists the root. {@code delimiter} (default {@code /}, also when sent empty), {@code depth} (levels
     * returned as entries, default 1; 0 for every key below), {@code glob} ({@code users/*}{@code /orders/**}),
     * {@code limit} names per page and {@code cursor} from the previous page. The access policy
     * is asked about {@code READ} of the directory (the key it names is the directory's prefix).
     */
    @GetMapping({"/list", "/list/{*path}"})
    Map<String, Object> directory(@PathVariable String instance, @PathVariable(required = false) String path,
            @RequestParam(defaultValue = "/") String delimiter, @RequestParam(defaultValue = "1") int depth,
            @RequestParam(required = false) String glob, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        String dir = path == null ? "" : pathKey(path);
        String prefix = dir.isEmpty() || dir.endsWith(delimiter) ? dir : dir + delimiter;
        KvStore db = stores.open(instance, prefix, Operation.READ, request);
        if (!dir.isEmpty()) {
            WebStores.key(db, dir); // the same rules as keys: no control characters, no dot segments
        }
        if (depth < 0) {
            throw KvStoreWebException.badRequest("depth must be 0 (every level) or positive, got " + depth);
        }
        if (glob != null && glob.isEmpty()) {
            throw KvStoreWebException.badRequest("glob must not be empty; leave it out to keep every key");
        }
        ListOptions options = ListOptions.defaults().withDelimiter(delimiter).withDepth(depth).withGlob(glob)
                .withLimit(pageSize(limit)).withStartAfter(cursor);
        Listing listing = db.list(dir, options); // a cursor of another listing: IllegalArgumentException, 400
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("directory", listing.directory());
        result.put("directories", listing.directories());
        result.put("entries", stores.entriesToJson(db, listing.entries()));
        result.put("default", listing.defaultValue() == null ? null : stores.valueToJson(db, listing.defaultValue()));
        result.put("cursor", listing.nextPageToken());
        return result;
    }

    // ---------------------------------------------------------------- helpers

    private int pageSize(Integer limit) {
        if (limit == null) {
            return Math.min(100, properties.getMaxPageSize());
        }
        if (limit < 1 || limit > properties.getMaxPageSize()) {
            throw KvStoreWebException.badRequest("limit must be 1 to " + properties.getMaxPageSize() + ", got " + limit);
        }
        return limit;
    }

    private static WriteBatch put(WriteBatch batch, byte[] key, byte[] value, Duration ttl) {
        return ttl == null ? batch.put(key, value) : batch.put(key, value, ttl);
    }

    static String pathKey(String captured) {
        return captured.startsWith("/") ? captured.substring(1) : captured;
    }

    static Duration ttl(String ttl) {
        if (ttl == null || ttl.isEmpty()) {
            return null;
        }
        Duration d;
        try {
            d = DurationStyle.detectAndParse(ttl);
        } catch (IllegalArgumentException e) {
            throw KvStoreWebException.badRequest("ttl '" + ttl + "' is not a duration (e.g. 30s, 5m, PT1H)");
        }
        if (d.isNegative() || d.isZero()) {
            throw KvStoreWebException.badRequest("ttl must be positive, got " + ttl);
        }
        return d;
    }

    private static String text(JsonNode json, String field) {
        return text(json, field, field);
    }

    private static String text(JsonNode json, String field, String what) {
        JsonNode v = json.get(field);
        if (v == null || !v.isString()) {
            throw KvStoreWebException.badRequest(what + " must be a string");
        }
        return v.asString();
    }

    private static Map<String, Object> written(String key, byte[] value, String ttl) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("key", key);
        result.put("bytes", value.length);
        result.put("ttl", ttl);
        return result;
    }

    @SuppressWarnings("unchecked")
    private static byte[] lastKey(List<Object> items, boolean values) {
        Object last = items.get(items.size() - 1);
        String key = values ? (String) ((Map<String, Object>) last).get("key") : (String) last;
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static KeyRange range(String prefix, String start, String end, String cursor) {
        byte[] from = prefix == null ? new byte[0] : prefix.getBytes(StandardCharsets.UTF_8);
        byte[] to = prefix == null || prefix.isEmpty() ? null : KeyRange.prefix(prefix).toExclusive();
        if (start != null && Arrays.compareUnsigned(start.getBytes(StandardCharsets.UTF_8), from) > 0) {
            from = start.getBytes(StandardCharsets.UTF_8);
        }
        if (end != null) {
            byte[] e = end.getBytes(StandardCharsets.UTF_8);
            if (to == null || Arrays.compareUnsigned(e, to) < 0) {
                to = e;
            }
        }
        if (to != null && Arrays.compareUnsigned(from, to) >= 0) {
            to = from; // empty
        }
        KeyRange range = to == null ? KeyRange.atLeast(from) : KeyRange.between(from, to);
        if (cursor != null) {
            range = range.resumeAfter(decodeCursor(cursor));
        }
        return range;
    }

    static String encodeCursor(byte[] key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    static byte[] decodeCursor(String cursor) {
        try {
            return Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw KvStoreWebException.badRequest("cursor '" + cursor + "' is not a cursor of this API");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
