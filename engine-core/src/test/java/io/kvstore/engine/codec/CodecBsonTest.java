package io.kvstore.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.RawBsonDocument;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * The BSON codec accepts well-formed BSON documents only, reads the value model out of them, and
 * converts them from and to Extended JSON.
 */
class CodecBsonTest {

    private static final byte[] KEY = "order:7".getBytes(StandardCharsets.UTF_8);

    private static final ObjectId ID = new ObjectId("65a1b2c3d4e5f60718293a4b");

    private static final BsonDocument ORDER = new BsonDocument()
            .append("_id", new BsonObjectId(ID))
            .append("customer", new BsonDocument("name", new BsonString("Ada"))
                    .append("address", new BsonDocument("city", new BsonString("London")).append("zip", BsonNull.VALUE)))
            .append("qty", new BsonInt32(3))
            .append("total", new BsonInt64(12_345_678_901L))
            .append("price", new BsonDouble(19.99))
            .append("exact", new BsonDecimal128(Decimal128.parse("1234.5")))
            .append("paid", BsonBoolean.TRUE)
            .append("shipped", BsonBoolean.FALSE)
            .append("note", BsonNull.VALUE)
            .append("legacy", new BsonUndefined())
            .append("created", new BsonDateTime(1_700_000_000_123L))
            .append("blob", new BsonBinary(new byte[] {1, 2, 3}))
            .append("uuid", new BsonBinary(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")))
            .append("sym", new BsonSymbol("s"))
            .append("items", new BsonArray(List.of(
                    new BsonDocument("sku", new BsonString("A-1")).append("n", new BsonInt32(1)),
                    new BsonDocument("sku", new BsonString("B-2")),
                    new BsonString("loose"),
                    new BsonInt64(5),
                    BsonNull.VALUE,
                    new BsonArray(List.of(new BsonInt32(9))))))
            .append("re", new BsonRegularExpression("^a", "i"))
            .append("js", new BsonJavaScript("f()"))
            .append("jsScope", new BsonJavaScriptWithScope("g()", new BsonDocument("x", new BsonInt32(1))))
            .append("ts", new BsonTimestamp(1, 2))
            .append("min", new BsonMinKey())
            .append("max", new BsonMaxKey())
            .append("ptr", new BsonDbPointer("ns", ID))
            .append("odd key", new BsonString("yes"));

    private static List<Object> read(String path) {
        return Codec.BSON.parse(KEY, Bson.bytes(ORDER)).read(FieldPath.parse(path));
    }

    @Test
    void nestedMembersReadAsScalars() {
        assertThat(read("$.customer.name")).containsExactly("Ada");
        assertThat(read("$.customer.address.city")).containsExactly("London");
        assertThat(read("$.customer.address.zip")).containsExactly((Object) null);
        assertThat(read("$['odd key']")).containsExactly("yes");
    }

    @Test
    void eachBsonTypeReadsAsTheValueModelSays() {
        assertThat(read("$._id")).containsExactly("65a1b2c3d4e5f60718293a4b");
        assertThat(read("$.qty")).containsExactly(3L);
        assertThat(read("$.total")).containsExactly(12_345_678_901L);
        assertThat(read("$.price")).containsExactly(19.99);
        assertThat(read("$.exact")).containsExactly(1234.5);
        assertThat(read("$.paid")).containsExactly(true);
        assertThat(read("$.shipped")).containsExactly(false);
        assertThat(read("$.note")).containsExactly((Object) null);
        assertThat(read("$.legacy")).containsExactly((Object) null);
        assertThat(read("$.created")).containsExactly(1_700_000_000_123L);
        assertThat(read("$.sym")).containsExactly("s");
        assertThat(read("$.blob")).singleElement().isEqualTo(new byte[] {1, 2, 3});
        assertThat(read("$.uuid")).singleElement().isEqualTo(new byte[] {
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
            (byte) 0x88, (byte) 0x99, (byte) 0xaa, (byte) 0xbb, (byte) 0xcc, (byte) 0xdd, (byte) 0xee, (byte) 0xff});
    }

    @Test
    void typesOutsideTheValueModelReadNothing() {
        for (String path : List.of("$.re", "$.js", "$.jsScope", "$.jsScope.x", "$.ts", "$.min", "$.max", "$.ptr")) {
            assertThat(read(path)).as(path).isEmpty();
        }
    }

    @Test
    void decimal128ReadsAsTheNearestDouble() {
        BsonDocument numbers = new BsonDocument("d", new BsonArray(List.of(
                new BsonDecimal128(Decimal128.parse("0.1")),
                new BsonDecimal128(Decimal128.parse("1E+6000")),
                new BsonDecimal128(Decimal128.NaN),
                new BsonDecimal128(Decimal128.NEGATIVE_INFINITY))));
        assertThat(Codec.BSON.parse(KEY, Bson.bytes(numbers)).read(FieldPath.parse("$.d[*]")))
                .containsExactly(0.1, Double.POSITIVE_INFINITY, Double.NaN, Double.NEGATIVE_INFINITY);
    }

    @Test
    void nonCanonicalDecimal128IsInvalid() {
        byte[] decimal = new byte[16];
        Arrays.fill(decimal, 0, 8, (byte) 0xff); // low 64 bits
        long high = 0x3041_ffff_ffff_ffffL; // exponent 0, significand 2^113 - 1, above 10^34 - 1
        for (int i = 0; i < 8; i++) {
            decimal[8 + i] = (byte) (high >>> (8 * i));
        }
        assertInvalid(Bson.document(Bson.element(0x13, "m", decimal)),
                "non-canonical Decimal128 (significand above 10^34 - 1) at byte offset 7");
        BsonDocument largest = new BsonDocument("m", new BsonDecimal128(Decimal128.parse("9999999999999999999999999999999999")));
        assertThat(Codec.BSON.parse(KEY, Bson.bytes(largest)).read(FieldPath.parse("$.m"))).containsExactly(1e34);
    }

    @Test
    void containersAreNotValuesAndMissingPathsReadNothing() {
        assertThat(read("$")).isEmpty();
        assertThat(read("$.customer")).isEmpty();
        assertThat(read("$.items")).isEmpty();
        assertThat(read("$.missing")).isEmpty();
        assertThat(read("$.customer.address.city.x")).isEmpty();
        assertThat(read("$.items[42]")).isEmpty();
    }

    @Test
    void wildcardWalksArraysOfObjectsAndScalars() {
        assertThat(read("$.items[*].sku")).containsExactly("A-1", "B-2");
        assertThat(read("$.items[*].n")).containsExactly(1L);
        assertThat(read("$.items[*]")).containsExactly("loose", 5L, null);
        assertThat(read("$.items[5][*]")).containsExactly(9L);
        assertThat(read("$.items[1].sku")).containsExactly("B-2");
    }

    @Test
    void binaryValuesAreCopiedOnEveryRead() {
        Document document = Codec.BSON.parse(KEY, Bson.bytes(ORDER));
        byte[] first = (byte[]) document.read(FieldPath.parse("$.blob")).get(0);
        first[0] = 42;
        assertThat(document.read(FieldPath.parse("$.blob"))).singleElement().isEqualTo(new byte[] {1, 2, 3});
    }

    private static void assertInvalid(byte[] value, String problem) {
        assertThatThrownBy(() -> Codec.BSON.validate(KEY, value))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value of key 'order:7' is not valid BSON: ")
                .hasMessageContaining(problem);
    }

    @Test
    void valuesShorterThanTheSmallestDocumentAreInvalid() {
        assertInvalid(new byte[0], "a document is at least 5 bytes, the value has 0");
        assertInvalid(new byte[] {5, 0, 0, 0}, "a document is at least 5 bytes, the value has 4");
        Codec.BSON.validate(KEY, new byte[] {5, 0, 0, 0, 0});
    }

    @Test
    void lengthPrefixMustBeTheValuesLength() {
        byte[] value = Bson.bytes(ORDER);
        assertInvalid(Arrays.copyOf(value, value.length - 1), "the length prefix says " + value.length
                + " bytes, the value has " + (value.length - 1));
        assertInvalid(Arrays.copyOf(value, value.length + 3), "the length prefix says " + value.length
                + " bytes, the value has " + (value.length + 3));
        assertInvalid(new byte[] {-1, -1, -1, -1, 0}, "the length prefix says -1 bytes");
    }

    @Test
    void truncatedDocumentWithAFixedUpPrefixIsInvalid() {
        byte[] value = Bson.bytes(ORDER);
        for (int length = 5; length < value.length; length += 7) {
            assertInvalid(Bson.fixPrefix(Arrays.copyOf(value, length)), "byte offset");
        }
    }

    @Test
    void bytesAfterTheEndOfTheDocumentAreInvalid() {
        byte[] value = Bson.fixPrefix(Arrays.copyOf(Bson.bytes(new BsonDocument("a", new BsonInt32(1))), 20));
        assertInvalid(value, "");
    }

    @Test
    void unknownElementTypeIsInvalid() {
        assertInvalid(Bson.document(Bson.element(0x20, "a", new byte[0])), "unknown BSON type");
    }

    @Test
    void booleanOtherThanZeroOrOneIsInvalid() {
        assertInvalid(Bson.document(Bson.element(0x08, "a", new byte[] {2})), "near byte offset");
    }

    @Test
    void duplicateNamesAreInvalid() {
        byte[] one = Bson.element(0x10, "a", Bson.int32(1));
        assertInvalid(Bson.document(one, one), "duplicate name 'a'");
        byte[] array = Bson.element(0x04, "list", Bson.document(one, Bson.element(0x10, "a", Bson.int32(2))));
        assertThat(Codec.BSON.parse(KEY, Bson.document(array)).read(FieldPath.parse("$.list[*]")))
                .as("arrays keep whatever index names they have").containsExactly(1L, 2L);
    }

    @Test
    void binaryLongerThanTheValueIsInvalidWithoutAllocatingIt() {
        byte[] huge = new byte[5];
        System.arraycopy(Bson.int32(Integer.MAX_VALUE - 8), 0, huge, 0, 4);
        assertInvalid(Bson.document(Bson.element(0x05, "b", huge)), "binary length 2147483639 does not fit");
        byte[] oldTooShort = {3, 0, 0, 0, 2, 0, 0, 0};
        assertInvalid(Bson.document(Bson.element(0x05, "b", oldTooShort)), "binary subtype 2 needs at least 4 bytes");
        byte[] negative = {-1, -1, -1, -1, 0};
        assertInvalid(Bson.document(Bson.element(0x05, "b", negative)), "Size -1 is not valid because it is negative");
    }

    @Test
    void stringLengthsThatDoNotFitAreInvalid() {
        assertInvalid(Bson.document(Bson.element(0x02, "s", Bson.int32(1000))), "near byte offset");
        assertInvalid(Bson.document(Bson.element(0x02, "s", Bson.int32(-5))), "not a positive number");
    }

    @Test
    void invalidUtf8InStringsAndNamesIsInvalid() {
        byte[] bad = {'a', (byte) 0xc3};
        assertInvalid(Bson.document(Bson.element(0x02, "s", Bson.string(bad))), "invalid UTF-8 in a string at byte offset 12");
        assertInvalid(Bson.document(Bson.element(0x10, bad, Bson.int32(1))), "invalid UTF-8 in a name at byte offset 6");
        byte[] symbol = Bson.document(Bson.element(0x0E, "s", Bson.string(new byte[] {(byte) 0xff})));
        assertInvalid(symbol, "invalid UTF-8 in a string at byte offset 11");
        byte[] good = "é😀".getBytes(StandardCharsets.UTF_8);
        assertThat(Codec.BSON.parse(KEY, Bson.document(Bson.element(0x02, good, Bson.string(good))))
                .read(FieldPath.parse("$['é😀']"))).containsExactly("é😀");
    }

    @Test
    void nestingDeeperThanTheLimitIsInvalid() {
        assertThat(Codec.BSON.parse(KEY, Bson.bytes(nested(Codec.MAX_DEPTH))).read(FieldPath.parse("$" + ".a".repeat(Codec.MAX_DEPTH - 1) + ".x")))
                .containsExactly(1L);
        assertInvalid(Bson.bytes(nested(Codec.MAX_DEPTH + 1)), "nested deeper than 500 levels");
    }

    /** A document {@code depth} levels deep, counting the top: {"a":{"a":...{"x":1}}}. */
    private static BsonDocument nested(int depth) {
        BsonDocument document = new BsonDocument("x", new BsonInt32(1));
        for (int i = 1; i < depth; i++) {
            document = new BsonDocument("a", document);
        }
        return document;
    }

    @Test
    void veryDeepHandMadeNestingIsInvalidNotAStackOverflow() {
        byte[] body = new byte[0];
        for (int i = 0; i < 20_000; i++) {
            body = Bson.document(Bson.element(0x03, "", body.length == 0 ? Bson.document() : body));
        }
        assertInvalid(body, "nested deeper than 500 levels");
    }

    @Test
    void toJsonWritesRelaxedExtendedJson() {
        BsonDocument document = new BsonDocument("_id", new BsonObjectId(ID))
                .append("n", new BsonInt64(5))
                .append("d", new BsonDouble(1.5))
                .append("when", new BsonDateTime(0))
                .append("b", new BsonBinary(new byte[] {1}));
        assertThat(Codec.BSON.toJson(Bson.bytes(document))).isEqualTo("{\"_id\": {\"$oid\": \"65a1b2c3d4e5f60718293a4b\"}, "
                + "\"n\": 5, \"d\": 1.5, \"when\": {\"$date\": \"1970-01-01T00:00:00Z\"}, "
                + "\"b\": {\"$binary\": {\"base64\": \"AQ==\", \"subType\": \"00\"}}}");
    }

    @Test
    void canonicalExtendedJsonRoundTripsExactly() {
        String canonical = new RawBsonDocument(Bson.bytes(ORDER)).toJson(
                org.bson.json.JsonWriterSettings.builder().outputMode(org.bson.json.JsonMode.EXTENDED).build());
        byte[] value = Codec.BSON.fromJson(canonical);
        assertThat(value).isEqualTo(Bson.bytes(ORDER));
    }

    @Test
    void relaxedExtendedJsonRoundTripReadsTheSameValues() {
        byte[] value = Bson.bytes(ORDER);
        byte[] back = Codec.BSON.fromJson(Codec.BSON.toJson(value));
        assertThat(Codec.BSON.toJson(back)).isEqualTo(Codec.BSON.toJson(value));
        Document before = Codec.BSON.parse(KEY, value);
        Document after = Codec.BSON.parse(KEY, back);
        for (String path : List.of("$._id", "$.qty", "$.total", "$.price", "$.exact", "$.paid", "$.note", "$.created",
                "$.items[*]", "$.items[*].sku", "$.customer.address.city", "$.sym")) {
            assertThat(after.read(FieldPath.parse(path))).as(path).isEqualTo(before.read(FieldPath.parse(path)));
        }
        assertThat(after.read(FieldPath.parse("$.blob"))).singleElement().isEqualTo(new byte[] {1, 2, 3});
    }

    @Test
    void relaxedRoundTripTurnsSmallInt64IntoInt32() {
        byte[] value = Bson.bytes(new BsonDocument("n", new BsonInt64(5)));
        BsonDocument back = new RawBsonDocument(Codec.BSON.fromJson(Codec.BSON.toJson(value)));
        assertThat(back.get("n")).isEqualTo(new BsonInt32(5));
    }

    @Test
    void fromJsonAcceptsPlainJsonObjects() {
        byte[] value = Codec.BSON.fromJson("{\"a\": [1, 2.5, \"x\", null, true, {\"b\": 9999999999}]}");
        Document document = Codec.BSON.parse(KEY, value);
        assertThat(document.read(FieldPath.parse("$.a[*]"))).containsExactly(1L, 2.5, "x", null, true);
        assertThat(document.read(FieldPath.parse("$.a[5].b"))).containsExactly(9_999_999_999L);
    }

    @Test
    void fromJsonRefusesInvalidText() {
        assertThatThrownBy(() -> Codec.BSON.fromJson("[1, 2]")).isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not valid Extended JSON: the top level is an array, a BSON document must be an object");
        assertThatThrownBy(() -> Codec.BSON.fromJson("{\"a\": }")).isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not valid Extended JSON: Unexpected character ('}'")
                .hasMessageContaining("line 1, column 7");
        assertThatThrownBy(() -> Codec.BSON.fromJson("{\"a\": 1} trailing")).isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Codec.BSON.fromJson("{\"_id\": {\"$oid\": \"not hex\"}}"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("value is not valid Extended JSON: ");
        assertThatThrownBy(() -> Codec.BSON.fromJson("{\"d\": {\"$date\": \"yesterday\"}}"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("value is not valid Extended JSON: ");
        assertThatThrownBy(() -> Codec.BSON.fromJson("{\"n\": {\"$numberLong\": 5}}"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("value is not valid Extended JSON: ");
        assertThatThrownBy(() -> Codec.BSON.fromJson("{_id: ObjectId(\"65a1b2c3d4e5f60718293a4b\")}"))
                .as("shell syntax is not JSON").isInstanceOf(InvalidValueException.class);
    }

    @Test
    void toJsonRefusesDamagedBytes() {
        assertThatThrownBy(() -> Codec.BSON.toJson(new byte[] {1, 2, 3})).isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not valid BSON: a document is at least 5 bytes, the value has 3");
    }
}
