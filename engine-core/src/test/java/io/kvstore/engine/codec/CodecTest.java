package io.kvstore.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Codecs are found by name, ignoring case, and an unknown name lists the valid ones. */
class CodecTest {

    @Test
    void eachConstantHasItsName() {
        assertThat(Codec.RAW.name()).isEqualTo("raw");
        assertThat(Codec.JSON.name()).isEqualTo("json");
        assertThat(Codec.BSON.name()).isEqualTo("bson");
        assertThat(Codec.BSON).hasToString("bson");
    }

    @Test
    void namedIgnoresCase() {
        assertThat(Codec.named("raw")).isSameAs(Codec.RAW);
        assertThat(Codec.named("JSON")).isSameAs(Codec.JSON);
        assertThat(Codec.named("Bson")).isSameAs(Codec.BSON);
        for (Codec codec : new Codec[] {Codec.RAW, Codec.JSON, Codec.BSON}) {
            assertThat(Codec.named(codec.name())).isSameAs(codec);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "xml", "json ", "msgpack"})
    void unknownNameListsTheValidOnes(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> Codec.named(name))
                .withMessage("unknown codec '" + name + "'; valid names are raw, json and bson");
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        assertThatNullPointerException().isThrownBy(() -> Codec.named(null)).withMessageContaining("codec name");
        for (Codec codec : new Codec[] {Codec.RAW, Codec.JSON, Codec.BSON}) {
            assertThatNullPointerException().isThrownBy(() -> codec.parse(null, null)).withMessageContaining("value");
            assertThatNullPointerException().isThrownBy(() -> codec.toJson(null)).withMessageContaining("value");
            assertThatNullPointerException().isThrownBy(() -> codec.fromJson(null)).withMessageContaining("json");
        }
        byte[] value = "[1]".getBytes(StandardCharsets.UTF_8);
        assertThatNullPointerException().isThrownBy(() -> Codec.JSON.parse(null, value).read(null))
                .withMessageContaining("path");
    }

    @Test
    void invalidValueExceptionIsAnIllegalArgumentAndCopiesTheKey() {
        byte[] key = "k1".getBytes(StandardCharsets.UTF_8);
        InvalidValueException e = new InvalidValueException(key, "is not valid JSON: x");
        key[0] = 'z';
        assertThat(e).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value of key 'k1' is not valid JSON: x");
        assertThat(e.key()).containsExactly('k', '1');
        e.key()[0] = 'z';
        assertThat(e.key()).containsExactly('k', '1');
    }
}
