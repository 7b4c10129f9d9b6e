package io.kvstore.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw values are never invalid, read only at {@code $}, and survive the trip through JSON text. */
class CodecRawTest {

    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @Test
    void utf8ValueReadsAsOneStringAtTheRoot() {
        Document document = Codec.RAW.parse(KEY, "héllo {\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(document.read(FieldPath.parse("$"))).containsExactly("héllo {\"a\":1}");
        assertThat(document.read(FieldPath.parse("$.a"))).isEmpty();
        assertThat(document.read(FieldPath.parse("$[*]"))).isEmpty();
    }

    @Test
    void otherBytesReadAsOneByteArrayCopy() {
        byte[] value = {0, (byte) 0xff, (byte) 0xc0, 'a'};
        Document document = Codec.RAW.parse(KEY, value);
        List<Object> values = document.read(FieldPath.parse("$"));
        assertThat(values).hasSize(1);
        assertThat((byte[]) values.get(0)).isEqualTo(value);
        ((byte[]) values.get(0))[0] = 9;
        value[1] = 9;
        assertThat((byte[]) document.read(FieldPath.parse("$")).get(0)).containsExactly(0, 0xff, 0xc0, 'a');
    }

    @Test
    void emptyValueReadsAsTheEmptyString() {
        assertThat(Codec.RAW.parse(KEY, new byte[0]).read(FieldPath.parse("$"))).containsExactly("");
    }

    @Test
    void everyValueIsValid() {
        Codec.RAW.validate(KEY, new byte[] {(byte) 0xff});
        Codec.RAW.validate(null, new byte[0]);
    }

    @Test
    void textIsItsOwnJson() {
        assertThat(Codec.RAW.toJson("plain text".getBytes(StandardCharsets.UTF_8))).isEqualTo("plain text");
        assertThat(Codec.RAW.fromJson("plain text")).isEqualTo("plain text".getBytes(StandardCharsets.UTF_8));
        assertThat(Codec.RAW.fromJson("{not json")).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bytesThatAreNotUtf8BecomeABinaryWrapperAndBack() {
        byte[] value = {0, (byte) 0xff, 'a'};
        String json = Codec.RAW.toJson(value);
        assertThat(json).isEqualTo("{\"$binary\":{\"base64\":\"AP9h\",\"subType\":\"00\"}}");
        assertThat(Codec.RAW.fromJson(json)).isEqualTo(value);
    }

    @Test
    void textThatLooksLikeTheWrapperIsWrappedItself() {
        String lookalike = "{\"$binary\":{\"base64\":\"AP9h\",\"subType\":\"00\"}}";
        byte[] value = lookalike.getBytes(StandardCharsets.UTF_8);
        String json = Codec.RAW.toJson(value);
        assertThat(json).isNotEqualTo(lookalike).startsWith("{\"$binary\":");
        assertThat(Codec.RAW.fromJson(json)).isEqualTo(value);
    }

    @Test
    void wrapperSpelledAnyOtherWayIsPlainText() {
        String spaced = "{\"$binary\": {\"base64\": \"AP9h\", \"subType\": \"00\"}}";
        String unpadded = "{\"$binary\":{\"base64\":\"AA\",\"subType\":\"00\"}}";
        String otherSubtype = "{\"$binary\":{\"base64\":\"AP9h\",\"subType\":\"04\"}}";
        for (String text : List.of(spaced, unpadded, otherSubtype)) {
            assertThat(Codec.RAW.fromJson(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
            assertThat(Codec.RAW.toJson(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
        }
    }

    @Test
    void fromJsonRefusesTextThatUtf8CannotEncode() {
        assertThatThrownBy(() -> Codec.RAW.fromJson("a\udc00"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not valid text: unpaired surrogate U+DC00 at index 1 of the text");
    }
}
