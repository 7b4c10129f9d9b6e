package io.kvstore.boot.web;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexQuery;
import io.kvstore.engine.index.IndexType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Index queries from JSON, in two dialects.
 *
 * <p>The query dialect ({@code POST /db/{instance}/query}) names indexes:
 * <pre>
 * node    := {"index": name, op...} | {"and": [node, ...]} | {"or": [node, ...]}
 * op      := "eq": v | "in": [v, ...] | "gt"|"gte"|"lt"|"lte": v (one lower, one upper at most)
 *          | "prefix": "Por" | "text": "words"
 * request := node plus optional "limit", "cursor", "descending", "orderByKey"
 * </pre>
 *
 * <p>The filter dialect ({@code POST …/collections/{name}/find}) names fields, Mongo style:
 * {@code {"city": "Lisboa", "age": {"$gte": 20, "$lt": 30}, "tier": {"$in": ["a", "b"]}}}; every
 * field must have an index over the collection ({@code scope-prefix "<name>:"}, path
 * {@code $.<field>} or {@code $.<field>[*]}), else the filter is refused naming the field.
 * Fields combine with AND; {@code $or} takes a list of filters.
 */
final class QueryJson {

    private static final Set<String> PAGING = Set.of("limit", "cursor", "descending", "orderByKey");
    private static final Set<String> RANGE_OPS = Set.of("gt", "gte", "lt", "lte");

    private QueryJson() {
    }

    /** A query request in the query dialect. */
    static IndexQuery query(JsonNode body) {
        if (!body.isObject()) {
            throw KvStoreWebException.badRequest("a query must be a JSON object");
        }
        return paging(node(body, "query", name -> name), body);
    }

    /** A find request: {@code {"filter": {...}, "limit", "cursor", "descending"}}. */
    static IndexQuery find(KvStore db, String collection, JsonNode body) {
        if (!body.isObject()) {
            throw KvStoreWebException.badRequest("a find request must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!field.equals("filter") && !PAGING.contains(field)) {
                throw KvStoreWebException.badRequest("unknown find option '" + field
                        + "'; a find request has 'filter', 'limit', 'cursor', 'descending', 'orderByKey'");
            }
        }
        JsonNode filter = body.get("filter");
        if (filter == null || !filter.isObject() || filter.isEmpty()) {
            throw KvStoreWebException.badRequest("a find request needs a non-empty object 'filter'");
        }
        return paging(filter(db, collection, filter), body);
    }

    private static IndexQuery paging(IndexQuery q, JsonNode body) {
        if (body.has("limit")) {
            JsonNode limit = body.get("limit");
            if (!limit.isIntegralNumber()) {
                throw KvStoreWebException.badRequest("limit must be an integer");
            }
            q = q.limit(limit.intValue());
        }
        if (body.hasNonNull("cursor")) {
            q = q.after(body.get("cursor").asString());
        }
        if (body.has("descending") && body.get("descending").asBoolean()) {
            q = q.descending();
        }
        if (body.has("orderByKey") && body.get("orderByKey").asBoolean()) {
            q = q.orderByKey();
        }
        return q;
    }

    private static IndexQuery node(JsonNode n, String where, Function<String, String> indexName) {
        if (!n.isObject()) {
            throw KvStoreWebException.badRequest(where + " must be an object");
        }
        if (n.has("and") || n.has("or")) {
            String op = n.has("and") ? "and" : "or";
            JsonNode parts = n.get(op);
            if (!parts.isArray() || parts.isEmpty()) {
                throw KvStoreWebException.badRequest(where + "." + op + " must be a non-empty array");
            }
            IndexQuery q = null;
            for (int i = 0; i < parts.size(); i++) {
                IndexQuery part = node(parts.get(i), where + "." + op + "[" + i + "]", indexName);
                q = q == null ? part : op.equals("and") ? q.and(part) : q.or(part);
            }
            return q;
        }
        JsonNode index = n.get("index");
        if (index == null || !index.isString()) {
            throw KvStoreWebException.badRequest(where + " needs 'index' (a string), or 'and' / 'or'");
        }
        String name = indexName.apply(index.asString());
        Object lower = null;
        Object upper = null;
        boolean lowerInclusive = true;
        boolean upperInclusive = true;
        IndexQuery leaf = null;
        for (String op : n.propertyNames()) {
            if (op.equals("index") || PAGING.contains(op)) {
                continue;
            }
            JsonNode v = n.get(op);
            switch (op) {
                case "eq" -> leaf = IndexQuery.eq(name, scalar(v, where + ".eq"));
                case "in" -> leaf = IndexQuery.in(name, list(v, where + ".in"));
                case "prefix" -> leaf = IndexQuery.prefix(name, string(v, where + ".prefix"));
                case "text" -> leaf = IndexQuery.text(name, string(v, where + ".text"));
                case "gt", "gte" -> {
                    lower = nonNull(v, where + "." + op);
                    lowerInclusive = op.equals("gte");
                }
                case "lt", "lte" -> {
                    upper = nonNull(v, where + "." + op);
                    upperInclusive = op.equals("lte");
                }
                default -> throw KvStoreWebException.badRequest("unknown operator '" + op + "' in " + where
                        + "; use eq, in, gt, gte, lt, lte, prefix, text, and, or");
            }
        }
        return combine(leaf, name, lower, lowerInclusive, upper, upperInclusive, where);
    }

    private static IndexQuery combine(IndexQuery leaf, String index, Object lower, boolean lowerInclusive,
            Object upper, boolean upperInclusive, String where) {
        IndexQuery range = lower == null && upper == null ? null
                : IndexQuery.range(index, lower, lowerInclusive, upper, upperInclusive);
        if (leaf == null && range == null) {
            throw KvStoreWebException.badRequest(where + " has no condition; use eq, in, gt, gte, lt, lte, prefix or text");
        }
        return leaf == null ? range : range == null ? leaf : leaf.and(range);
    }

    private static IndexQuery filter(KvStore db, String collection, JsonNode filter) {
        IndexQuery q = null;
        for (Map.Entry<String, JsonNode> e : filter.properties()) {
            String field = e.getKey();
            IndexQuery part;
            if (field.equals("$or")) {
                JsonNode alternatives = e.getValue();
                if (!alternatives.isArray() || alternatives.isEmpty()) {
                    throw KvStoreWebException.badRequest("$or must be a non-empty array of filters");
                }
                part = null;
                for (JsonNode alternative : alternatives) {
                    if (!alternative.isObject() || alternative.isEmpty()) {
                        throw KvStoreWebException.badRequest("each $or alternative must be a non-empty object");
                    }
                    IndexQuery a = filter(db, collection, alternative);
                    part = part == null ? a : part.or(a);
                }
            } else if (field.startsWith("$")) {
                throw KvStoreWebException.badRequest("unknown operator '" + field + "' at the top of the filter; use $or");
            } else {
                part = fieldCondition(db, collection, field, e.getValue());
            }
            q = q == null ? part : q.and(part);
        }
        return q;
    }

    private static IndexQuery fieldCondition(KvStore db, String collection, String field, JsonNode condition) {
        if (!condition.isObject()) {
            return IndexQuery.eq(indexFor(db, collection, field, null), scalar(condition, field));
        }
        Object lower = null;
        Object upper = null;
        boolean lowerInclusive = true;
        boolean upperInclusive = true;
        IndexQuery leaf = null;
        String rangeIndex = null;
        for (Map.Entry<String, JsonNode> e : condition.properties()) {
            String op = e.getKey();
            JsonNode v = e.getValue();
            String where = field + "." + op;
            switch (op) {
                case "$eq" -> leaf = IndexQuery.eq(indexFor(db, collection, field, null), scalar(v, where));
                case "$in" -> leaf = IndexQuery.in(indexFor(db, collection, field, null), list(v, where));
                case "$prefix" -> leaf = IndexQuery.prefix(indexFor(db, collection, field, IndexType.PREFIX), string(v, where));
                case "$text" -> leaf = IndexQuery.text(indexFor(db, collection, field, IndexType.TEXT), string(v, where));
                case "$gt", "$gte" -> {
                    rangeIndex = indexFor(db, collection, field, IndexType.RANGE);
                    lower = nonNull(v, where);
                    lowerInclusive = op.equals("$gte");
                }
                case "$lt", "$lte" -> {
                    rangeIndex = indexFor(db, collection, field, IndexType.RANGE);
                    upper = nonNull(v, where);
                    upperInclusive = op.equals("$lte");
                }
                default -> throw KvStoreWebException.badRequest("unknown operator '" + op + "' on field '" + field
                        + "'; use $eq, $in, $gt, $gte, $lt, $lte, $prefix, $text");
            }
        }
        return combine(leaf, rangeIndex, lower, lowerInclusive, upper, upperInclusive, "field '" + field + "'");
    }

    /**
     * The index over {@code collection} that reads {@code field}: scoped to {@code "<collection>:"}
     * with the instance codec's path to the field; of the {@code needed} type when one is named
     * (PREFIX is also served by RANGE).
     */
    static String indexFor(KvStore db, String collection, String field, IndexType needed) {
        String codec = db.options().codec() == Codec.BSON ? "bson:" : "json:";
        Set<String> specs = Set.of(codec + "$." + field, codec + "$." + field + "[*]");
        byte[] scope = (collection + ":").getBytes(StandardCharsets.UTF_8);
        List<String> candidates = new ArrayList<>();
        for (IndexDefinition d : db.indexes().list()) {
            if (!Arrays.equals(d.scopePrefix(), scope) || !specs.contains(d.extractor().toString())) {
                continue;
            }
            boolean fits = needed == null ? d.type() != IndexType.TEXT
                    : d.type() == needed || (needed == IndexType.PREFIX && d.type() == IndexType.RANGE);
            if (fits) {
                candidates.add(d.name());
            }
        }
        if (candidates.isEmpty()) {
            throw KvStoreWebException.badRequest("field '" + field + "' of collection '" + collection + "' has no "
                    + (needed == null ? "" : needed + " ") + "index; create one with scope-prefix '" + collection
                    + ":' and path '$." + field + "' (POST /db/{instance}/indexes)");
        }
        return candidates.get(0);
    }

    private static Object scalar(JsonNode v, String where) {
        if (v.isNull()) {
            return null;
        }
        if (v.isString()) {
            return v.asString();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        throw KvStoreWebException.badRequest(where + " must be a string, number, boolean or null, not " + v.getNodeType());
    }

    private static Object nonNull(JsonNode v, String where) {
        Object o = scalar(v, where);
        if (o == null) {
            throw KvStoreWebException.badRequest(where + " must not be null");
        }
        return o;
    }

    private static List<Object> list(JsonNode v, String where) {
        if (!v.isArray() || v.isEmpty()) {
            throw KvStoreWebException.badRequest(where + " must be a non-empty array");
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            values.add(scalar(v.get(i), where + "[" + i + "]"));
        }
        return values;
    }

    private static String string(JsonNode v, String where) {
        if (!v.isString()) {
            throw KvStoreWebException.badRequest(where + " must be a string");
        }
        return v.asString();
    }
}
