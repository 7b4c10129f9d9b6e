package io.kvstore.boot.web;

import io.kvstore.boot.autoconfigure.KvStoreBeans;
import io.kvstore.boot.web.KvStoreAccessPolicy.Operation;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.codec.Codec;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every REST controller shares: finding an instance by name, asking the access policy,
 * checking keys, and turning values into JSON and back in the instance's codec.
 *
 * <p>Instances are the application's {@link KvStore} beans; a bean named {@code <name>KvStore}
 * (the starter's naming) is instance {@code <name>}, any other bean goes by its bean name.
 * Values: a {@code json} or {@code bson} instance speaks JSON documents; a {@code raw} instance
 * speaks bytes, as base64 strings inside JSON bodies.
 */
final class WebStores {

    private final ListableBeanFactory beans;
    private final KvStoreAccessPolicy policy;
    private final JsonMapper json;
    private volatile Map<String, KvStore> instances;

    WebStores(ListableBeanFactory beans, KvStoreAccessPolicy policy, JsonMapper json) {
        this.beans = beans;
        this.policy = policy;
        this.json = json;
    }

    /** Every instance by name, sorted. */
    Map<String, KvStore> instances() {
        Map<String, KvStore> known = instances;
        if (known == null) {
            known = KvStoreBeans.byInstance(beans.getBeansOfType(KvStore.class));
            instances = known;
        }
        return known;
    }

    /** The instance {@code name} after the policy allowed {@code operation} on {@code key}. */
    KvStore open(String name, String key, Operation operation, HttpServletRequest request) {
        KvStore db = instances().get(name);
        if (db == null) {
            throw KvStoreWebException.notFound("no KvStore instance '" + name + "'; instances: "
                    + String.join(", ", instances().keySet()));
        }
        authorize(name, key, operation, request);
        if (operation != Operation.READ && operation != Operation.QUERY) {
            db.failure().ifPresent(f -> {
                throw new KvStoreWebException(HttpStatus.SERVICE_UNAVAILABLE, "instance '" + name
                        + "' is read-only after an I/O error: " + f.getMessage());
            });
        }
        return db;
    }

    /** Asks the access policy about one key of an instance already opened; refuses with 403. */
    void authorize(String name, String key, Operation operation, HttpServletRequest request) {
        if (!policy.allows(name, key, operation, request.getUserPrincipal())) {
            throw new KvStoreWebException(HttpStatus.FORBIDDEN, operation + " on instance '" + name + "'"
                    + (key == null ? "" : " key '" + key + "'") + " is not allowed for "
                    + (request.getUserPrincipal() == null ? "an anonymous caller" : request.getUserPrincipal().getName()));
        }
    }

    static boolean isDocumentStore(KvStore db) {
        return db.options().codec() != Codec.RAW;
    }

    /**
     * The key as bytes. A REST key is a non-empty, valid Unicode string without control characters and
     * without {@code .} or {@code ..} segments (which proxies and clients rewrite), within the
     * instance's key limit.
     */
    static byte[] key(KvStore db, String key) {
        if (key == null || key.isEmpty()) {
            throw KvStoreWebException.badRequest("key must not be empty");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                throw KvStoreWebException.badRequest("key is not valid Unicode: unpaired surrogate U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
            if (Character.isISOControl(key.charAt(i))) {
                throw KvStoreWebException.badRequest("key must not contain control characters (found U+"
                        + String.format("%04X", (int) key.charAt(i)) + " at index " + i + ")");
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw KvStoreWebException.badRequest("key '" + key + "' must not contain '" + segment + "' path segments");
            }
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > db.options().maxKeySize()) {
            throw new KvStoreWebException(HttpStatus.CONTENT_TOO_LARGE, "key of " + bytes.length
                    + " bytes is over the instance's limit of " + db.options().maxKeySize() + " bytes");
        }
        return bytes;
    }

    static void checkValueSize(KvStore db, byte[] value) {
        if (value.length > db.options().maxValueSize()) {
            throw new KvStoreWebException(HttpStatus.CONTENT_TOO_LARGE, "value of " + value.length
                    + " bytes is over the instance's limit of " + db.options().maxValueSize() + " bytes");
        }
    }

    /** A value from its JSON form in a request: a document, or base64 text on a raw instance. */
    byte[] valueFromJson(KvStore db, JsonNode node, String what) {
        if (node == null || node.isMissingNode()) {
            throw KvStoreWebException.badRequest(what + " is missing");
        }
        byte[] value;
        if (isDocumentStore(db)) {
            value = documentBytes(db, json.writeValueAsString(node), what);
        } else {
            if (!node.isString()) {
                throw KvStoreWebException.badRequest(what + " must be a base64 string on a raw instance");
            }
            try {
                value = Base64.getDecoder().decode(node.asString());
            } catch (IllegalArgumentException e) {
                throw KvStoreWebException.badRequest(what + " is not valid base64: " + e.getMessage());
            }
        }
        checkValueSize(db, value);
        return value;
    }

    /** A document's stored bytes from its JSON text, as the instance's codec wants them. */
    static byte[] documentBytes(KvStore db, String jsonText, String what) {
        try {
            return db.options().codec().fromJson(jsonText);
        } catch (IllegalArgumentException e) { // InvalidValueException among them
            throw KvStoreWebException.badRequest(what + " is not a valid " + db.options().codec().name()
                    + " document: " + e.getMessage());
        }
    }

    /** A stored value in its JSON form for a response. */
    JsonNode valueToJson(KvStore db, byte[] value) {
        if (isDocumentStore(db)) {
            return json.readTree(db.options().codec().toJson(value));
        }
        return json.getNodeFactory().stringNode(Base64.getEncoder().encodeToString(value));
    }

    /** Entries in their JSON form for a response: {@code [{"key": ..., "value": ...}]}. */
    List<Map<String, Object>> entriesToJson(KvStore db, List<KvEntry> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (KvEntry e : entries) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", e.keyAsString());
            entry.put("value", valueToJson(db, e.value()));
            out.add(entry);
        }
        return out;
    }

    /** The request body parsed as JSON; malformed JSON is the client's mistake. */
    JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw KvStoreWebException.badRequest("request body is empty; a JSON document was expected");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw KvStoreWebException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
    }

    JsonMapper json() {
        return json;
    }
}
