package io.kvstore.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Whatever bytes or text they are given, the codecs either accept it or throw
 * {@link InvalidValueException}: no other exception, no huge allocation, no stack overflow. Damaged
 * copies of valid values reach deeper into the parsers than random bytes do. jqwik prints the seed
 * of a failing try, so it can be replayed.
 */
class CodecFuzzTest {

    private static final byte[] KEY = "fuzz".getBytes(StandardCharsets.UTF_8);

    private static final byte[] BSON = Bson.bytes(new BsonDocument()
            .append("_id", new BsonObjectId(new ObjectId("65a1b2c3d4e5f60718293a4b")))
            .append("s", new BsonString("héllo"))
            .append("i", new BsonInt32(7))
            .append("l", new BsonInt64(1L << 40))
            .append("d", new BsonDouble(2.5))
            .append("m", new BsonDecimal128(Decimal128.parse("3.14")))
            .append("t", new BsonDateTime(1_700_000_000_000L))
            .append("b", new BsonBinary(new byte[] {1, 2, 3, 4}))
            .append("n", BsonNull.VALUE)
            .append("r", new BsonRegularExpression("a+", "i"))
            .append("ts", new BsonTimestamp(5, 6))
            .append("js", new BsonJavaScriptWithScope("f()", new BsonDocument("x", new BsonInt32(1))))
            .append("a", new BsonArray(List.of(new BsonDocument("k", new BsonString("v")), new BsonInt32(1)))));

    private static final byte[] JSON = ("{\"name\": \"Zoë\", \"n\": [1, -2.5e3, 12345678901234567890], "
            + "\"o\": {\"t\": true, \"f\": false, \"z\": null, \"e\": \"\\u00e9\\n\"}}").getBytes(StandardCharsets.UTF_8);

    /** Parses, and converts to JSON, with every codec; anything but InvalidValueException escapes. */
    private static void parseWithEveryCodec(byte[] value) {
        for (Codec codec : List.of(Codec.JSON, Codec.BSON, Codec.RAW)) {
            try {
                Document document = codec.parse(KEY, value);
                document.read(FieldPath.parse("$.a[*].k"));
                document.read(FieldPath.parse("$.o.e"));
                codec.toJson(value);
            } catch (InvalidValueException expected) {
                assertThat(expected.key() == null || Arrays.equals(expected.key(), KEY)).isTrue();
                assertThat(expected.getMessage()).contains("is not valid " + (codec == Codec.JSON ? "JSON" : "BSON"));
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesAreAcceptedOrInvalid(@ForAll("randomBytes") byte[] value) {
        parseWithEveryCodec(value);
    }

    @Property(tries = 3000)
    void damagedBsonIsAcceptedOrInvalid(@ForAll("damagedBson") byte[] value) {
        parseWithEveryCodec(value);
    }

    @Property(tries = 2000)
    void damagedJsonIsAcceptedOrInvalid(@ForAll("damagedJson") byte[] value) {
        parseWithEveryCodec(value);
    }

    @Property(tries = 1000)
    void randomTextIsAcceptedOrInvalidAsJson(@ForAll("jsonishText") String text) {
        for (Codec codec : List.of(Codec.JSON, Codec.BSON)) {
            try {
                byte[] value = codec.fromJson(text);
                codec.validate(KEY, value);
                codec.toJson(value);
            } catch (InvalidValueException expected) {
                assertThat(expected.key()).isNull();
            }
        }
    }

    @Property(tries = 1000)
    void rawValuesSurviveTheTripThroughJson(@ForAll("randomBytes") byte[] value) {
        assertThat(Codec.RAW.fromJson(Codec.RAW.toJson(value))).isEqualTo(value);
    }

    @Property(tries = 3000)
    void utf8CheckAgreesWithTheJdkDecoder(@ForAll("mostlyMultiByte") byte[] bytes) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (java.nio.charset.CharacterCodingException e) {
            jdk = false;
        }
        assertThat(Utf8.isValid(bytes)).isEqualTo(jdk);
    }

    @Provide
    Arbitrary<byte[]> mostlyMultiByte() {
        Arbitrary<Byte> interesting = Arbitraries.of((byte) 0x41, (byte) 0x7f, (byte) 0x80, (byte) 0x8f, (byte) 0x90,
                (byte) 0x9f, (byte) 0xa0, (byte) 0xbf, (byte) 0xc0, (byte) 0xc1, (byte) 0xc2, (byte) 0xdf, (byte) 0xe0,
                (byte) 0xed, (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xff);
        return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(8);
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        // Random bytes behind a correct length prefix get past the first BSON check.
        Arbitrary<byte[]> prefixed = any.map(Bson::withPrefix);
        return Arbitraries.oneOf(any, prefixed);
    }

    @Provide
    Arbitrary<byte[]> damagedBson() {
        return damaged(BSON, true);
    }

    @Provide
    Arbitrary<byte[]> damagedJson() {
        return damaged(JSON, false);
    }

    /** Up to eight bytes overwritten, then perhaps cut short, then perhaps the BSON prefix fixed up. */
    private static Arbitrary<byte[]> damaged(byte[] valid, boolean fixPrefixToo) {
        Arbitrary<Tuple.Tuple2<Integer, Byte>> change = Combinators.combine(
                Arbitraries.integers().between(0, valid.length - 1), Arbitraries.bytes()).as(Tuple::of);
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(valid.length)), Tuple.of(1, Arbitraries.integers().between(0, valid.length)));
        return Combinators.combine(change.list().ofMaxSize(8), length, Arbitraries.of(true, false))
                .as((changes, cut, fix) -> {
                    byte[] value = valid.clone();
                    for (Tuple.Tuple2<Integer, Byte> c : changes) {
                        value[c.get1()] = c.get2();
                    }
                    value = Arrays.copyOf(value, fix ? Math.max(cut, valid.length - 3) : cut);
                    return fix && fixPrefixToo ? Bson.fixPrefix(value) : value;
                });
    }

    @Provide
    Arbitrary<String> jsonishText() {
        Arbitrary<String> any = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> structured = Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+ truefalsn$oidatebinryumLg\\u")
                .ofMaxLength(40);
        Arbitrary<String> wrappers = Arbitraries.of("$oid", "$date", "$numberLong", "$numberInt", "$numberDouble",
                        "$numberDecimal", "$binary", "$regularExpression", "$timestamp", "$symbol", "$code", "$minKey",
                        "$undefined", "$dbPointer", "$uuid")
                .flatMap(wrapper -> Arbitraries.oneOf(
                        Arbitraries.strings().withChars("0123456789abcdefAZ-:.T+=/").ofMaxLength(30).map(s -> "\"" + s + "\""),
                        Arbitraries.integers().map(String::valueOf),
                        Arbitraries.of("{}", "null", "[]", "{\"base64\": \"AQ==\", \"subType\": \"00\"}",
                                "{\"t\": 1, \"i\": 2}", "{\"pattern\": \"a\", \"options\": \"z\"}",
                                "{\"$numberLong\": \"1\"}"))
                        .map(inner -> "{\"v\": {\"" + wrapper + "\": " + inner + "}}"));
        return Arbitraries.oneOf(any, structured, wrappers);
    }
}
