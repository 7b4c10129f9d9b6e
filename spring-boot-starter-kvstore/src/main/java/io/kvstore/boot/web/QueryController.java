package io.kvstore.boot.web;

import io.kvstore.boot.autoconfigure.KvStoreDescriptions;
import io.kvstore.boot.web.KvStoreAccessPolicy.Operation;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexType;
import io.kvstore.engine.index.QueryPage;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Index queries and index management of one instance. */
@RestController
@RequestMapping("${kvstore.web.base-path:/db}/{instance}")
class QueryController {

    private final WebStores stores;

    QueryController(WebStores stores) {
        this.stores = stores;
    }

    /** Runs a query in the dialect of {@link QueryJson}; answers a page and the cursor of the next. */
    @PostMapping("/query")
    Map<String, Object> query(@PathVariable String instance, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.QUERY, request);
        return page(stores, db, db.query(QueryJson.query(stores.parse(body))));
    }

    static Map<String, Object> page(WebStores stores, KvStore db, QueryPage page) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("entries", stores.entriesToJson(db, page.entries()));
        result.put("cursor", page.cursor());
        return result;
    }

    @GetMapping("/indexes")
    List<Map<String, Object>> indexes(@PathVariable String instance, HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.READ, request);
        return db.indexes().list().stream().map(KvStoreDescriptions::index).toList();
    }

    /**
     * Creates an index, filling it from the stored records before answering:
     * {@code {"name": "by_city", "type": "equality", "path": "$.city", "scopePrefix": "users:"}}.
     * The path is read in the instance's codec; a raw instance indexes whole values (no path).
     */
    @PostMapping("/indexes")
    ResponseEntity<Map<String, Object>> createIndex(@PathVariable String instance,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        JsonNode json = stores.parse(body);
        KvStore db = stores.open(instance, null, Operation.ADMIN, request);
        for (String field : json.propertyNames()) {
            if (!List.of("name", "type", "path", "scopePrefix").contains(field)) {
                throw KvStoreWebException.badRequest("unknown index property '" + field
                        + "'; an index has name, type, path, scopePrefix");
            }
        }
        String name = required(json, "name");
        IndexType type = type(json.hasNonNull("type") ? json.get("type").asString() : "equality");
        Extractor extractor;
        if (db.options().codec() == Codec.RAW) {
            if (json.hasNonNull("path")) {
                throw KvStoreWebException.badRequest("a raw instance indexes whole values; leave out 'path'");
            }
            extractor = Extractor.raw();
        } else {
            String path = required(json, "path");
            extractor = db.options().codec() == Codec.BSON ? Extractor.bsonPath(path) : Extractor.jsonPath(path);
        }
        IndexDefinition definition = IndexDefinition.of(name, type, extractor);
        if (json.hasNonNull("scopePrefix")) {
            definition = definition.withScopePrefix(json.get("scopePrefix").asString());
        }
        db.indexes().create(definition);
        return ResponseEntity.created(URI.create(request.getRequestURI() + "/" + name)).body(KvStoreDescriptions.index(definition));
    }

    @DeleteMapping("/indexes/{name}")
    ResponseEntity<Void> dropIndex(@PathVariable String instance, @PathVariable String name, HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.ADMIN, request);
        if (db.indexes().get(name).isEmpty()) {
            throw KvStoreWebException.notFound("index '" + name + "' not found in instance '" + instance + "'");
        }
        db.indexes().drop(name);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/indexes/{name}/rebuild")
    Map<String, Object> rebuild(@PathVariable String instance, @PathVariable String name, HttpServletRequest request) {
        KvStore db = stores.open(instance, null, Operation.ADMIN, request);
        IndexDefinition d = db.indexes().get(name).orElseThrow(
                () -> KvStoreWebException.notFound("index '" + name + "' not found in instance '" + instance + "'"));
        db.indexes().rebuild(name);
        return KvStoreDescriptions.index(d);
    }

    private static IndexType type(String name) {
        try {
            return IndexType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw KvStoreWebException.badRequest("unknown index type '" + name + "'; use equality, range, prefix or text");
        }
    }

    private static String required(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isString() || v.asString().isEmpty()) {
            throw KvStoreWebException.badRequest("index property '" + field + "' must be a non-empty string");
        }
        return v.asString();
    }
}
