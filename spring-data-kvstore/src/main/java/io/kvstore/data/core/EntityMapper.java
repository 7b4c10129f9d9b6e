package io.kvstore.data.core;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import io.kvstore.engine.codec.Codec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;

/**
 * Entities to and from stored values: JSON text for a {@link Codec#JSON} store, a BSON document
 * (through Extended JSON) for {@link Codec#BSON}. Fields are mapped directly (no getters needed),
 * records and constructor-bound classes work, unknown stored fields are ignored.
 *
 * <p>Index-friendly encodings: an {@link Instant} is written as ISO-8601 with exactly nine
 * fraction digits, so the text order of stored instants is their time order (range queries and
 * sorting on instants work); other java.time values are ISO-8601 text, whose text order is
 * their time order already. Query arguments go through the same mapping ({@link #toTerm}), so
 * they match what is stored.
 *
 * <p>An entity saved in a keyspace whose type is one of its supertypes carries the type hint
 * {@value #TYPE_HINT} (its class name), so a repository of an abstract type reads back each
 * subtype. Polymorphic nested properties need Jackson's own {@code @JsonTypeInfo}.
 *
 * <p>In a BSON store a {@link BigDecimal} is a Decimal128 (Extended JSON
 * {@code {"$numberDecimal": "12.50"}}), so its digits and scale survive; BSON has no other exact
 * decimal, and a double would round it.
 */
public final class EntityMapper {

    private static final DateTimeFormatter FIXED_INSTANT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** The field naming the stored entity's class when it is a subtype of its keyspace's type. */
    public static final String TYPE_HINT = "_class";
    private static final byte[] JSON_HINT = ("\"" + TYPE_HINT + "\"").getBytes(StandardCharsets.UTF_8);
    /** In BSON a string element is {@code 0x02 name 0x00 ...}. */
    private static final byte[] BSON_HINT = ("\u0002" + TYPE_HINT + "\u0000").getBytes(StandardCharsets.UTF_8);

    private final JsonMapper json;
    private final Codec codec;

    public EntityMapper(Codec codec) {
        if (codec == Codec.RAW) {
            throw new IllegalArgumentException("Spring Data repositories need a store with the json or bson codec, not raw");
        }
        this.codec = codec;
        SimpleModule values = new SimpleModule("kvstore-values");
        values.addSerializer(Instant.class, new ValueSerializer<Instant>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeString(FIXED_INSTANT.format(value));
            }
        });
        if (codec == Codec.BSON) {
            values.addSerializer(BigDecimal.class, new ValueSerializer<BigDecimal>() {
                @Override
                public void serialize(BigDecimal value, JsonGenerator gen, SerializationContext ctxt) {
                    gen.writeStartObject();
                    gen.writeStringProperty("$numberDecimal", value.toString());
                    gen.writeEndObject();
                }
            });
            values.addDeserializer(BigDecimal.class, new ValueDeserializer<BigDecimal>() {
                @Override
                public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) {
                    if (p.currentToken() == JsonToken.START_OBJECT) {
                        JsonNode node = ctxt.readTree(p);
                        JsonNode digits = node.get("$numberDecimal");
                        if (digits == null || !digits.isString()) {
                            throw new IllegalArgumentException("expected a Decimal128 {\"$numberDecimal\": ...} for a "
                                    + "BigDecimal, got " + node);
                        }
                        return new BigDecimal(digits.stringValue());
                    }
                    return p.getDecimalValue();
                }
            });
        }
        this.json = JsonMapper.builder()
                .changeDefaultVisibility(v -> v.withVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                        .withVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                        .withVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(values)
                .build();
    }

    public Codec codec() {
        return codec;
    }

    /** The stored form of {@code entity}. */
    public byte[] write(Object entity) {
        return encode(json.writeValueAsString(entity));
    }

    /**
     * The stored form of {@code entity}, saved in a keyspace of {@code declared} entities: with
     * the type hint {@code "_class": "<class name>"} when it is a subtype, so reading it as
     * {@code declared} gives back the subtype.
     */
    public byte[] write(Object entity, Class<?> declared) {
        if (entity.getClass() == declared) {
            return write(entity);
        }
        JsonNode tree = json.valueToTree(entity);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException(entity.getClass().getName() + " is not stored as an object");
        }
        object.put(TYPE_HINT, entity.getClass().getName());
        return encode(json.writeValueAsString(object));
    }

    private byte[] encode(String text) {
        return codec == Codec.JSON ? text.getBytes(StandardCharsets.UTF_8) : codec.fromJson(text);
    }

    /**
     * The entity of {@code type} stored as {@code value}; of the subtype its type hint names when
     * it has one that is a subtype of {@code type} (a projection ignores the hint).
     */
    @SuppressWarnings("unchecked")
    public <T> T read(byte[] value, Class<T> type) {
        if (mayHaveHint(value)) {
            JsonNode tree = tree(value);
            JsonNode hint = tree.get(TYPE_HINT);
            if (hint != null && hint.isString()) {
                Class<?> hinted = hintedType(hint.stringValue(), type);
                if (hinted != null) {
                    return (T) json.treeToValue(tree, hinted);
                }
            }
            return json.treeToValue(tree, type);
        }
        return codec == Codec.JSON ? json.readValue(value, type) : json.readValue(codec.toJson(value), type);
    }

    /** A cheap look for the hint's name in the stored bytes before parsing anything twice. */
    private boolean mayHaveHint(byte[] value) {
        byte[] needle = codec == Codec.JSON ? JSON_HINT : BSON_HINT;
        outer:
        for (int i = 0; i + needle.length <= value.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (value[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static Class<?> hintedType(String name, Class<?> type) {
        try {
            Class<?> hinted = Class.forName(name, false, type.getClassLoader());
            return type.isAssignableFrom(hinted) && hinted != type ? hinted : null;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a stored " + type.getSimpleName() + " names the type " + name
                    + " in its \"" + TYPE_HINT + "\" hint, which is not on the class path", e);
        }
    }

    /** The stored document as a tree, for reading single properties (the version, say). */
    public JsonNode tree(byte[] value) {
        return codec == Codec.JSON ? json.readTree(value) : json.readTree(codec.toJson(value));
    }

    /**
     * A query argument as the scalar the index holds for it: what this mapper writes for the
     * value (a string for a UUID, an enum or a date, a number, a boolean), or {@code null}.
     */
    public Object toTerm(Object argument) {
        if (argument == null) {
            return null;
        }
        if (argument instanceof BigDecimal || argument instanceof java.math.BigInteger) {
            return argument; // the engine's terms order them numerically, like the stored numbers
        }
        JsonNode node = json.valueToTree(argument);
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isString()) {
            return node.stringValue();
        }
        throw new IllegalArgumentException("cannot query by " + argument.getClass().getName()
                + ": it is stored as " + node.getNodeType() + ", not a single value");
    }
}
