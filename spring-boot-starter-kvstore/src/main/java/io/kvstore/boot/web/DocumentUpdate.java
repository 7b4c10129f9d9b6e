package io.kvstore.boot.web;

import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The {@code $set}, {@code $unset} and {@code $inc} operators of a collection PATCH, on a JSON tree. */
final class DocumentUpdate {

    private DocumentUpdate() {
    }

    static void apply(ObjectNode doc, JsonNode update) {
        for (Map.Entry<String, JsonNode> op : update.properties()) {
            JsonNode fields = op.getValue();
            if (!fields.isObject()) {
                throw KvStoreWebException.badRequest(op.getKey() + " must be an object of paths");
            }
            for (Map.Entry<String, JsonNode> f : fields.properties()) {
                String path = f.getKey();
                if (path.equals("_id") || path.startsWith("_id.")) {
                    throw KvStoreWebException.badRequest("_id cannot be changed by " + op.getKey());
                }
                switch (op.getKey()) {
                    case "$set" -> parent(doc, path, true).set(last(path), f.getValue());
                    case "$unset" -> {
                        ObjectNode parent = parent(doc, path, false);
                        if (parent != null) {
                            parent.remove(last(path));
                        }
                    }
                    case "$inc" -> inc(doc, path, f.getValue());
                    default -> throw KvStoreWebException.badRequest("unknown operator '" + op.getKey()
                            + "'; use $set, $unset, $inc");
                }
            }
        }
    }

    private static void inc(ObjectNode doc, String path, JsonNode by) {
        if (!by.isNumber()) {
            throw KvStoreWebException.badRequest("$inc of '" + path + "' needs a number, not " + by.getNodeType());
        }
        ObjectNode parent = parent(doc, path, true);
        JsonNode current = parent.get(last(path));
        if (current != null && !current.isNull() && !current.isNumber()) {
            throw KvStoreWebException.badRequest("$inc of '" + path + "': the field holds " + current.getNodeType()
                    + ", not a number");
        }
        if ((current == null || current.isIntegralNumber()) && by.isIntegralNumber()) {
            long base = current == null ? 0 : current.longValue();
            try {
                parent.put(last(path), Math.addExact(base, by.longValue()));
            } catch (ArithmeticException overflow) {
                throw KvStoreWebException.badRequest("$inc of '" + path + "' overflows a 64-bit integer");
            }
        } else {
            BigDecimal base = current == null ? BigDecimal.ZERO : current.decimalValue();
            parent.put(last(path), base.add(by.decimalValue()));
        }
    }

    /** The object holding the last segment of a dotted path, created on the way when asked. */
    private static ObjectNode parent(ObjectNode doc, String path, boolean create) {
        String[] segments = path.split("\\.", -1);
        ObjectNode node = doc;
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                throw KvStoreWebException.badRequest("path '" + path + "' has an empty segment");
            }
        }
        for (int i = 0; i < segments.length - 1; i++) {
            JsonNode next = node.get(segments[i]);
            if (next == null || next.isNull()) {
                if (!create) {
                    return null;
                }
                next = node.putObject(segments[i]);
            } else if (!next.isObject()) {
                throw KvStoreWebException.badRequest("path '" + path + "': '" + segments[i] + "' holds "
                        + next.getNodeType() + ", not an object");
            }
            node = (ObjectNode) next;
        }
        return node;
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
