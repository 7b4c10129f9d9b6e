package io.kvstore.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON codec accepts strict JSON objects and arrays, and reads the value model out of them. */
class CodecJsonTest {

    private static final byte[] KEY = utf8("user:1");

    private static final String USER = """
            {
              "name": "Ada",
              "age": 36,
              "address": {"city": "London", "zip": null, "geo": {"lat": 51.5, "lon": -0.12}},
              "tags": ["math", "poetry", 7, true, null, {"nested": 1}, [1, 2]],
              "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-2"}, {"qty": 5}, "loose", {"sku": null}],
              "big": 12345678901234567890,
              "long": 9007199254740993,
              "negative": -42,
              "decimal": 1.0,
              "exponent": 1e3,
              "huge": 1e999,
              "active": true,
              "deleted": false,
              "nothing": null,
              "odd key": "yes",
              "matrix": [[1, 2], [3]]
            }
            """;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Object> read(String json, String path) {
        return Codec.JSON.parse(KEY, utf8(json)).read(FieldPath.parse(path));
    }

    @Test
    void nestedMembersReadAsScalars() {
        assertThat(read(USER, "$.name")).containsExactly("Ada");
        assertThat(read(USER, "$.address.city")).containsExactly("London");
        assertThat(read(USER, "$.address.geo.lat")).containsExactly(51.5);
        assertThat(read(USER, "$.address.geo.lon")).containsExactly(-0.12);
        assertThat(read(USER, "$['odd key']")).containsExactly("yes");
    }

    @Test
    void objectsAndArraysWithoutWildcardAreNotValues() {
        assertThat(read(USER, "$")).isEmpty();
        assertThat(read(USER, "$.address")).isEmpty();
        assertThat(read(USER, "$.address.geo")).isEmpty();
        assertThat(read(USER, "$.tags")).isEmpty();
        assertThat(read(USER, "$.items")).isEmpty();
    }

    @Test
    void missingPathsReadNothing() {
        assertThat(read(USER, "$.email")).isEmpty();
        assertThat(read(USER, "$.address.country")).isEmpty();
        assertThat(read(USER, "$.name.first")).isEmpty();
        assertThat(read(USER, "$.tags[99]")).isEmpty();
        assertThat(read(USER, "$.tags.length")).isEmpty();
        assertThat(read(USER, "$.address[0]")).isEmpty();
        assertThat(read(USER, "$.address[*]")).isEmpty();
        assertThat(read(USER, "$.name[*]")).isEmpty();
    }

    @Test
    void nullIsANullElementNotAMissingValue() {
        assertThat(read(USER, "$.nothing")).containsExactly((Object) null);
        assertThat(read(USER, "$.address.zip")).containsExactly((Object) null);
        assertThat(read(USER, "$.nothing.below")).isEmpty();
    }

    @Test
    void wildcardYieldsEveryScalarElementAndSkipsContainers() {
        assertThat(read(USER, "$.tags[*]")).containsExactly("math", "poetry", 7L, true, null);
        assertThat(read(USER, "$.tags[1]")).containsExactly("poetry");
        assertThat(read(USER, "$.tags[5]")).isEmpty();
        assertThat(read(USER, "$.tags[5].nested")).containsExactly(1L);
        assertThat(read(USER, "$.matrix[*][*]")).containsExactly(1L, 2L, 3L);
        assertThat(read(USER, "$.matrix[*][0]")).containsExactly(1L, 3L);
    }

    @Test
    void wildcardOverObjectsReadsTheRestOfThePathInEach() {
        assertThat(read(USER, "$.items[*].sku")).containsExactly("A-1", "B-2", null);
        assertThat(read(USER, "$.items[*].qty")).containsExactly(2L, 5L);
        assertThat(read(USER, "$.items[0].sku")).containsExactly("A-1");
        assertThat(read("[{\"a\": 1}, {\"a\": 2}]", "$[*].a")).containsExactly(1L, 2L);
        assertThat(read("[1, \"x\"]", "$[*]")).containsExactly(1L, "x");
    }

    @Test
    void integersThatFitALongAreLongsAndOtherNumbersDoubles() {
        assertThat(read(USER, "$.age")).containsExactly(36L);
        assertThat(read(USER, "$.negative")).containsExactly(-42L);
        assertThat(read(USER, "$.long")).containsExactly(9007199254740993L);
        assertThat(read(USER, "$.big")).containsExactly(1.2345678901234567e19);
        assertThat(read(USER, "$.decimal")).containsExactly(1.0);
        assertThat(read(USER, "$.exponent")).containsExactly(1000.0);
        assertThat(read(USER, "$.huge")).containsExactly(Double.POSITIVE_INFINITY);
        assertThat(read("[9223372036854775807, -9223372036854775808, 9223372036854775808]", "$[*]"))
                .containsExactly(Long.MAX_VALUE, Long.MIN_VALUE, 9.223372036854775808e18);
    }

    @Test
    void booleansReadAsBooleans() {
        assertThat(read(USER, "$.active")).containsExactly(Boolean.TRUE);
        assertThat(read(USER, "$.deleted")).containsExactly(Boolean.FALSE);
    }

    @Test
    void oneParseServesManyReads() {
        Document user = Codec.JSON.parse(KEY, utf8(USER));
        assertThat(user.read(FieldPath.parse("$.name"))).containsExactly("Ada");
        assertThat(user.read(FieldPath.parse("$.items[*].sku"))).hasSize(3);
        assertThat(user.read(FieldPath.parse("$.name"))).containsExactly("Ada");
    }

    @Test
    void readResultsAreUnmodifiable() {
        List<Object> values = read(USER, "$.tags[*]");
        assertThatThrownBy(() -> values.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(read(USER, "$.missing").contains(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|the text is empty",
        "`   `|the text is empty",
        "`\"just a string\"`|the top level is a string, a document must be an object or an array at line 1, column 1",
        "`42`|the top level is",
        "`true`|the top level is",
        "`null`|the top level is",
        "`{\"a\": 1} x`|Unrecognized token 'x'",
        "`{\"a\": 1} {}`|unexpected '{' after the end of the document at line 1, column 10",
        "`[1, 2]]`|Unexpected close marker ']'",
        "`{\"a\": 1,}`|was expecting double-quote to start property name at line 1, column 9",
        "`{\"a\": 1`|end-of-input",
        "`{'a': 1}`|Unexpected character (''' (code 39))",
        "`{a: 1}`|Unexpected character ('a'",
        "`{\"a\": NaN}`|Non-standard token 'NaN'",
        "`{\"a\": 1} // comment`|Unexpected character ('/'",
        "`{\"a\": 1, \"a\": 2}`|Duplicate Object property \"a\"",
        "`{\"a\": 01}`|Invalid numeric value: Leading zeroes not allowed",
        "`{\n  \"a\": tru\n}`|at line 2, column"})
    void invalidJsonIsRefusedNamingTheKeyAndTheProblem(String json, String problem) {
        assertThatThrownBy(() -> Codec.JSON.validate(KEY, utf8(json)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value of key 'user:1' is not valid JSON: ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((InvalidValueException) e).key()).isEqualTo(KEY));
    }

    @Test
    void invalidUtf8IsRefusedWithItsOffset() {
        byte[] lone = utf8("{\"a\": \"x?\"}");
        lone[8] = (byte) 0x80;
        byte[] overlong = {'[', '"', (byte) 0xc0, (byte) 0xaf, '"', ']'};
        byte[] surrogate = {'[', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ']'};
        byte[] truncated = {'[', '"', (byte) 0xe2, (byte) 0x82, '"', ']'};
        assertThatThrownBy(() -> Codec.JSON.validate(KEY, lone)).isInstanceOf(InvalidValueException.class)
                .hasMessage("value of key 'user:1' is not valid JSON: invalid UTF-8 at byte offset 8");
        for (byte[] bad : List.of(overlong, surrogate, truncated)) {
            assertThatThrownBy(() -> Codec.JSON.validate(KEY, bad)).isInstanceOf(InvalidValueException.class)
                    .hasMessageEndingWith("invalid UTF-8 at byte offset 2");
        }
    }

    @Test
    void textInOtherEncodingsIsNotGuessed() {
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16BE);
        assertThatThrownBy(() -> Codec.JSON.validate(KEY, utf16)).isInstanceOf(InvalidValueException.class)
                .hasMessageEndingWith("unexpected NUL byte at byte offset 0");
        byte[] utf16le = "[1]".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> Codec.JSON.validate(KEY, utf16le)).isInstanceOf(InvalidValueException.class)
                .hasMessageEndingWith("unexpected NUL byte at byte offset 1");
    }

    @Test
    void nonAsciiTextReadsBack() {
        assertThat(read("{\"city\": \"Zürich 🏔\", \"名前\": \"値\"}", "$.city")).containsExactly("Zürich 🏔");
        assertThat(read("{\"city\": \"Zürich\", \"名前\": \"値\"}", "$.名前")).containsExactly("値");
        assertThat(read("{\"e\": \"\\u00e9\\ud83d\\ude00\"}", "$.e")).containsExactly("é😀");
    }

    @Test
    void nestingDeeperThanTheLimitIsInvalid() {
        String ok = "[".repeat(Codec.MAX_DEPTH) + "]".repeat(Codec.MAX_DEPTH);
        Codec.JSON.validate(KEY, utf8(ok));
        String deep = "[".repeat(Codec.MAX_DEPTH + 1) + "]".repeat(Codec.MAX_DEPTH + 1);
        assertThatThrownBy(() -> Codec.JSON.validate(KEY, utf8(deep))).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("Document nesting depth")
                .hasMessageContaining("exceeds the maximum allowed (500");
        String veryDeep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertThatThrownBy(() -> Codec.JSON.validate(KEY, utf8(veryDeep))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void fromJsonValidatesAndKeepsTheTextAsItIs() {
        String text = "{ \"a\" : [1, 2.50, \"é\"] }";
        assertThat(Codec.JSON.fromJson(text)).isEqualTo(utf8(text));
        assertThat(Codec.JSON.toJson(utf8(text))).isEqualTo(text);
        assertThatThrownBy(() -> Codec.JSON.fromJson("{\"a\": }")).isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not valid JSON: Unexpected character ('}'")
                .satisfies(e -> assertThat(((InvalidValueException) e).key()).isNull());
        assertThatThrownBy(() -> Codec.JSON.fromJson("\"scalar\"")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void fromJsonRefusesTextThatUtf8CannotEncode() {
        assertThatThrownBy(() -> Codec.JSON.fromJson("[\"\ud800\"]")).isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not valid JSON: unpaired surrogate U+D800 at index 2 of the text");
    }

    @Test
    void toJsonRefusesAnInvalidStoredValue() {
        assertThatThrownBy(() -> Codec.JSON.toJson(utf8("{"))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void keysThatAreNotPrintableTextAreShownAsHex() {
        byte[] binaryKey = {0, (byte) 0xff, 0x12};
        assertThatThrownBy(() -> Codec.JSON.validate(binaryKey, utf8("x")))
                .hasMessageStartingWith("value of key 0x00ff12 is not valid JSON: ");
        byte[] controlKey = utf8("a\nb");
        assertThatThrownBy(() -> Codec.JSON.validate(controlKey, utf8("x")))
                .hasMessageStartingWith("value of key 0x610a62 is not valid JSON: ");
        byte[] longKey = utf8("k".repeat(300));
        assertThatThrownBy(() -> Codec.JSON.validate(longKey, utf8("x")))
                .hasMessageStartingWith("value of key '" + "k".repeat(128) + "'... (300 bytes) is not valid JSON: ");
        byte[] longBinaryKey = new byte[300];
        Arrays.fill(longBinaryKey, (byte) 0xab);
        assertThatThrownBy(() -> Codec.JSON.validate(longBinaryKey, utf8("x")))
                .hasMessageStartingWith("value of key 0x" + "ab".repeat(128) + "... (300 bytes) is not valid JSON: ");
    }
}
