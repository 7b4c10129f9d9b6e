package io.kvstore.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths parse from the documented grammar, print normalized, and name the position of a syntax error. */
class FieldPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"$", "$.city", "$.address.city", "$.tags[*]", "$.items[*].sku", "$.a[2]",
        "$['odd key']", "$[*]", "$[0][1]", "$.matrix[*][*]", "$.first-name", "$.a_b.C9", "$.città",
        "$['']", "$['it\\'s']", "$['back\\\\slash']", "$['a.b']", "$['[*]']", "$['$']", "$.items[10].sku"})
    void normalizedPathsPrintAsTheyAreWritten(String text) {
        FieldPath path = FieldPath.parse(text);
        assertThat(path.toString()).isEqualTo(text);
        assertThat(FieldPath.parse(path.toString())).isEqualTo(path).hasSameHashCodeAs(path);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "$['city']|$.city",
        "$[\"city\"]|$.city",
        "$[\"odd key\"]|$['odd key']",
        "$[\"it's\"]|$['it\\'s']",
        "$['say \\\"hi\\\"']|$['say \"hi\"']",
        "$['a']['b'][0]|$.a.b[0]"})
    void quotedNamesNormalizeToTheDotFormWhenTheyCan(String text, String normalized) {
        FieldPath path = FieldPath.parse(text);
        assertThat(path).hasToString(normalized);
        assertThat(path).isEqualTo(FieldPath.parse(normalized));
    }

    @Test
    void pathsWithDifferentStepsAreNotEqual() {
        assertThat(FieldPath.parse("$.a")).isNotEqualTo(FieldPath.parse("$.b"));
        assertThat(FieldPath.parse("$.a[*]")).isNotEqualTo(FieldPath.parse("$.a[0]"));
        assertThat(FieldPath.parse("$['0']")).isNotEqualTo(FieldPath.parse("$[0]"));
        assertThat(FieldPath.parse("$")).isNotEqualTo(FieldPath.parse("$[*]"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|0|a path starts with '$'",
        "city|0|a path starts with '$'",
        "$.|2|expected a field name after '.' but the path ends",
        "$..a|2|expected a field name",
        "$.a b|3|expected '.' or '[' but found ' '",
        "$.a.|4|the path ends",
        "$a|1|expected '.' or '[' but found 'a'",
        "$[|2|after '[' but the path ends",
        "$[]|2|after '[' but found ']'",
        "$[-1]|2|after '[' but found '-'",
        "$[01]|2|leading zero",
        "$[2147483648]|2|larger than 2147483647",
        "$[1|3|expected ']' but the path ends",
        "$[*|3|expected ']' but the path ends",
        "$[*x]|3|expected ']' but found 'x'",
        "$['a'|5|expected ']' but the path ends",
        "$['a|4|unterminated quoted name",
        "$['a\\n']|4|unknown escape \\n",
        "$.*|2|expected a field name",
        "$.a[?(@.b)]|4|after '[' but found '?'"})
    void badSyntaxNamesThePathAndThePosition(String text, int position, String problem) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FieldPath.parse(text))
                .withMessageStartingWith("invalid field path '" + text + "' at position " + position + ": ")
                .withMessageContaining(problem);
    }

    @Test
    void nullIsRefused() {
        assertThatNullPointerException().isThrownBy(() -> FieldPath.parse(null)).withMessageContaining("path");
    }

    @Property(tries = 500)
    void everyPathSurvivesPrintingAndParsing(@ForAll("paths") FieldPath path) {
        assertThat(FieldPath.parse(path.toString())).isEqualTo(path);
    }

    @Provide
    Arbitrary<FieldPath> paths() {
        Arbitrary<String> names = Arbitraries.strings().withChars("ab_-9é '\\\".[]*$\u00a0").ofMinLength(0).ofMaxLength(6)
                .map(FieldPathTest::quoted);
        Arbitrary<String> plain = Arbitraries.strings().withChars("abZ_-9é").ofMinLength(1).ofMaxLength(6)
                .map(name -> "." + name);
        Arbitrary<String> indexes = Arbitraries.integers().between(0, Integer.MAX_VALUE).map(i -> "[" + i + "]");
        Arbitrary<String> steps = Arbitraries.oneOf(names, plain, indexes, Arbitraries.just("[*]"));
        return steps.list().ofMaxSize(6).map(list -> FieldPath.parse("$" + String.join("", list)));
    }

    private static String quoted(String name) {
        return "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    @Test
    void stepsAreExposedInOrderForTheReaders() {
        assertThat(FieldPath.parse("$.items[*].sku[3]").steps()).isEqualTo(List.of(
                new FieldPath.Name("items"), FieldPath.Wildcard.INSTANCE, new FieldPath.Name("sku"),
                new FieldPath.Index(3)));
    }
}
