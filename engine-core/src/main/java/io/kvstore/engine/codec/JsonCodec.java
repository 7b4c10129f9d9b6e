package io.kvstore.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;

/**
 * Values are UTF-8 JSON text (RFC 8259) whose top level is an object or an array. Parsing is strict:
 * no comments, single quotes, unquoted names, {@code NaN} or trailing commas; no duplicate names in
 * an object; nothing but whitespace after the document; strictly valid UTF-8. A leading UTF-8 byte
 * order mark is skipped. Parsed with the Jackson streaming parser into a {@link TreeDocument}.
 */
final class JsonCodec extends Codec {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Explicit, so that a global override of Jackson's defaults does not change what is valid.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    @Override
    public String name() {
        return "json";
    }

    @Override
    public Document parse(byte[] key, byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
        return new TreeDocument(readTree(key, value, "JSON"));
    }

    @Override
    public byte[] fromJson(String json) {
        byte[] value = utf8(json, "JSON");
        readTree(null, value, "JSON");
        return value;
    }

    @Override
    public String toJson(byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
        readTree(null, value, "JSON");
        return new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Parses UTF-8 JSON text whose top level is an object or an array into maps, lists and
     * value-model leaves.
     *
     * @param format named in the exception: "JSON", "Extended JSON"
     * @throws InvalidValueException naming the key and the problem with its line and column
     */
    static Object readTree(byte[] key, byte[] utf8, String format) {
        int bad = Utf8.firstInvalid(utf8);
        if (bad >= 0) {
            throw invalid(key, format, "invalid UTF-8 at byte offset " + bad);
        }
        // Jackson guesses UTF-16 or UTF-32 from NUL bytes among the first four; NUL is never valid JSON.
        for (int i = 0; i < Math.min(4, utf8.length); i++) {
            if (utf8[i] == 0) {
                throw invalid(key, format, "unexpected NUL byte at byte offset " + i);
            }
        }
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), utf8)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw invalid(key, format, "the text is empty");
            }
            if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
                throw invalid(key, format, "the top level is " + describe(token)
                        + ", a document must be an object or an array" + at(parser.currentTokenLocation()));
            }
            Object root = readValue(parser, token);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw invalid(key, format, "unexpected " + describe(after)
                        + " after the end of the document" + at(parser.currentTokenLocation()));
            }
            return root;
        } catch (JacksonException e) {
            throw new InvalidValueException(key, "is not valid " + format + ": " + e.getOriginalMessage()
                    + at(e.getLocation()), e);
        }
    }

    private static Object readValue(JsonParser parser, JsonToken token) {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new HashMap<>();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    object.put(name, readValue(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY;
                        element = parser.nextToken()) {
                    array.add(readValue(parser, element));
                }
                return array;
            }
            case VALUE_STRING:
                return parser.getString();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getDoubleValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                // The parser reports malformed text itself; no other token can follow a name or an element.
                throw new IllegalStateException("unexpected token " + token);
        }
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "'{'";
            case START_ARRAY:
                return "'['";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.toString();
        }
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static InvalidValueException invalid(byte[] key, String format, String problem) {
        return new InvalidValueException(key, "is not valid " + format + ": " + problem);
    }
}
