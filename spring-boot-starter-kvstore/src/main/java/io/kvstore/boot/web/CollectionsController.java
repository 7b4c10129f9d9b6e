package io.kvstore.boot.web;

import io.kvstore.boot.web.KvStoreAccessPolicy.Operation;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.WriteBatch;
import io.kvstore.engine.WriteConflictException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Document collections on {@code json} and {@code bson} instances. Document {@code id} of
 * collection {@code users} is stored at key {@code users:<id>} (the layout Spring Data
 * repositories use too), with its id in the document's {@code _id} field.
 */
@RestController
@RequestMapping("${kvstore.web.base-path:/db}/{instance}/collections/{collection}")
class CollectionsController {

    /** Conflicting concurrent PATCHes retried before the call gives up with 409. */
    private static final int PATCH_ATTEMPTS = 16;

    private final WebStores stores;

    CollectionsController(WebStores stores) {
        this.stores = stores;
    }

    /** Inserts a document; its id is its {@code _id}, or a generated UUID v4. */
    @PostMapping
    ResponseEntity<JsonNode> insert(@PathVariable String instance, @PathVariable String collection,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        ObjectNode doc = document(body);
        String id = doc.has("_id") ? id(doc.get("_id")) : UUID.randomUUID().toString();
        KvStore db = open(instance, collection, id, request);
        doc.put("_id", id);
        byte[] key = key(db, collection, id);
        byte[] value = bytes(db, doc);
        try {
            db.write(new WriteBatch().requireAbsent(key).put(key, value));
        } catch (WriteConflictException e) {
            throw new KvStoreWebException(HttpStatus.CONFLICT, "document '" + id + "' already exists in collection '"
                    + collection + "'; PUT replaces it");
        }
        return ResponseEntity.created(URI.create(request.getRequestURI() + "/" + id)).body(stores.valueToJson(db, value));
    }

    @GetMapping("/{id}")
    JsonNode get(@PathVariable String instance, @PathVariable String collection, @PathVariable String id,
            HttpServletRequest request) {
        KvStore db = stores.open(instance, collection + ":" + id, Operation.READ, request);
        requireDocuments(db, instance);
        byte[] value = db.get(key(db, collection, id));
        if (value == null) {
            throw missing(collection, id);
        }
        return stores.valueToJson(db, value);
    }

    /** Replaces (or creates) the document. */
    @PutMapping("/{id}")
    ResponseEntity<JsonNode> replace(@PathVariable String instance, @PathVariable String collection,
            @PathVariable String id, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        ObjectNode doc = document(body);
        if (doc.has("_id") && !id(doc.get("_id")).equals(id)) {
            throw KvStoreWebException.badRequest("_id '" + id(doc.get("_id")) + "' in the body differs from '" + id
                    + "' in the path");
        }
        KvStore db = open(instance, collection, id, request);
        doc.put("_id", id);
        byte[] key = key(db, collection, id);
        boolean existed = db.get(key) != null;
        byte[] value = bytes(db, doc);
        db.put(key, value);
        JsonNode stored = stores.valueToJson(db, value);
        return existed ? ResponseEntity.ok(stored)
                : ResponseEntity.created(URI.create(request.getRequestURI())).body(stored);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String instance, @PathVariable String collection, @PathVariable String id,
            HttpServletRequest request) {
        KvStore db = open(instance, collection, id, request);
        byte[] key = key(db, collection, id);
        if (db.get(key) == null) {
            throw missing(collection, id);
        }
        db.delete(key);
        return ResponseEntity.noContent().build();
    }

    /**
     * Updates fields atomically: {@code {"$set": {"address.city": "Porto"}, "$unset": {"nick": ""},
     * "$inc": {"visits": 1}}}. Paths are dotted; the update is applied to the current document and
     * written only if the document did not change meanwhile (else it is applied again).
     */
    @PatchMapping("/{id}")
    JsonNode patch(@PathVariable String instance, @PathVariable String collection, @PathVariable String id,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        JsonNode update = stores.parse(body);
        if (!update.isObject() || update.isEmpty()) {
            throw KvStoreWebException.badRequest("a PATCH body is an object of $set, $unset and $inc");
        }
        KvStore db = open(instance, collection, id, request);
        byte[] key = key(db, collection, id);
        for (int attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
            byte[] current = db.get(key);
            if (current == null) {
                throw missing(collection, id);
            }
            ObjectNode doc = (ObjectNode) stores.valueToJson(db, current);
            DocumentUpdate.apply(doc, update);
            doc.put("_id", id);
            byte[] value = bytes(db, doc);
            try {
                db.write(new WriteBatch().requireValue(key, current).put(key, value));
                return stores.valueToJson(db, value);
            } catch (WriteConflictException changedMeanwhile) {
                // another writer got there first: apply the update to its result
            }
        }
        throw new KvStoreWebException(HttpStatus.CONFLICT, "document '" + id + "' kept changing; the update was not"
                + " applied after " + PATCH_ATTEMPTS + " attempts");
    }

    /** Documents matching a filter, served by the collection's indexes; see {@link QueryJson}. */
    @PostMapping("/find")
    Map<String, Object> find(@PathVariable String instance, @PathVariable String collection,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        checkCollection(collection);
        KvStore db = stores.open(instance, null, Operation.QUERY, request);
        requireDocuments(db, instance);
        return QueryController.page(stores, db, db.query(QueryJson.find(db, collection, stores.parse(body))));
    }

    // ---------------------------------------------------------------- helpers

    private KvStore open(String instance, String collection, String id, HttpServletRequest request) {
        checkCollection(collection);
        KvStore db = stores.open(instance, collection + ":" + id, Operation.WRITE, request);
        requireDocuments(db, instance);
        return db;
    }

    private static void requireDocuments(KvStore db, String instance) {
        if (!WebStores.isDocumentStore(db)) {
            throw KvStoreWebException.badRequest("instance '" + instance + "' stores raw values; collections need a"
                    + " json or bson instance");
        }
    }

    private static void checkCollection(String collection) {
        if (collection.isEmpty() || collection.contains(":")) {
            throw KvStoreWebException.badRequest("collection name '" + collection + "' must be non-empty and without ':'");
        }
    }

    private static byte[] key(KvStore db, String collection, String id) {
        if (id.isEmpty()) {
            throw KvStoreWebException.badRequest("document id must not be empty");
        }
        return WebStores.key(db, collection + ":" + id);
    }

    private ObjectNode document(byte[] body) {
        JsonNode doc = stores.parse(body);
        if (!doc.isObject()) {
            throw KvStoreWebException.badRequest("a document must be a JSON object, not " + doc.getNodeType());
        }
        return (ObjectNode) doc;
    }

    private byte[] bytes(KvStore db, ObjectNode doc) {
        byte[] value = WebStores.documentBytes(db, stores.json().writeValueAsString(doc), "document");
        WebStores.checkValueSize(db, value);
        return value;
    }

    private static String id(JsonNode id) {
        if (id.isString() && !id.asString().isEmpty()) {
            return id.asString();
        }
        if (id.isIntegralNumber()) {
            return id.asString();
        }
        throw KvStoreWebException.badRequest("_id must be a non-empty string or an integer");
    }

    private static KvStoreWebException missing(String collection, String id) {
        return KvStoreWebException.notFound("document '" + id + "' not found in collection '" + collection + "'");
    }
}
