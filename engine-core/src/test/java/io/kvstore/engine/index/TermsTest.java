package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TermsTest {

    @Test
    void numbersOrderNumericallyAcrossLongsAndDoubles() {
        Random rnd = new Random(1);
        List<Number> values = new ArrayList<>(List.of(Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1, 0L, -1L,
                1L, (1L << 53) + 1, 1L << 53, (1L << 53) - 1, 0.5, -0.5, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0x1p63, -0x1p63, 9.007199254740993E15));
        for (int i = 0; i < 2000; i++) {
            values.add(rnd.nextBoolean() ? (Number) rnd.nextLong() : (Number) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(30))));
            values.add((long) rnd.nextInt(1000) - 500);
        }
        List<Number> byTerm = new ArrayList<>(values);
        byTerm.sort((a, b) -> Arrays.compareUnsigned(Terms.encode(a), Terms.encode(b)));
        List<Number> byValue = new ArrayList<>(values);
        byValue.sort(Comparator.comparing(TermsTest::exact));
        for (int i = 0; i < values.size(); i++) {
            assertThat(exact(byTerm.get(i))).as("position %d", i).isEqualByComparingTo(exact(byValue.get(i)));
        }
    }

    private static BigDecimal exact(Number n) {
        if (n instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        double d = n.doubleValue();
        return Double.isInfinite(d) ? new BigDecimal(d > 0 ? "1e400" : "-1e400") : new BigDecimal(d);
    }

    @Test
    void equalNumbersShareOneTermWhateverTheirType() {
        assertThat(Terms.encode(30)).isEqualTo(Terms.encode(30L)).isEqualTo(Terms.encode(30.0))
                .isEqualTo(Terms.encode(new BigDecimal("30.00")));
        assertThat(Terms.encode(-0.0)).isEqualTo(Terms.encode(0L));
        assertThat(Terms.encode(1L << 62)).isNotEqualTo(Terms.encode((1L << 62) + 1));
    }

    @Test
    void stringsOrderLikeTheirUtf8BytesAndNoTermIsAPrefixOfAnother() {
        List<String> strings = List.of("", "\0", "a", "a\0", "a\0b", "ab", "b", "é", "z\0\0", "Porto", "PortoAlegre");
        List<String> sorted = new ArrayList<>(strings);
        sorted.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        List<String> byTerm = new ArrayList<>(strings);
        byTerm.sort((x, y) -> Arrays.compareUnsigned(Terms.encode(x), Terms.encode(y)));
        assertThat(byTerm).isEqualTo(sorted);
        for (String x : strings) {
            byte[] t = Terms.encode(x);
            assertThat(Terms.length(t, 0, t.length)).isEqualTo(t.length);
            for (String y : strings) {
                if (!x.equals(y)) {
                    assertThat(Terms.startsWith(Terms.encode(y), t)).as("%s prefix of %s", x, y).isFalse();
                }
            }
            // a term followed by any key still splits at the term's end
            byte[] posting = QueryExecutor.concat(t, new byte[] {(byte) 0xFF, 0, 1, 0});
            assertThat(Terms.length(posting, 0, posting.length)).isEqualTo(t.length);
        }
        assertThat(Terms.startsWith(Terms.encode("PortoAlegre"), Terms.stringPrefix("Por"))).isTrue();
        assertThat(Terms.startsWith(Terms.encode("Pxrto"), Terms.stringPrefix("Por"))).isFalse();
    }

    @Test
    void typesOrderNullBooleansNumbersStringsBytes() {
        List<Object> values = List.of(new byte[] {1}, "a", 5L, true, false);
        List<Object> byTerm = new ArrayList<>(values);
        byTerm.add(null);
        byTerm.sort((a, b) -> Arrays.compareUnsigned(Terms.encode(a), Terms.encode(b)));
        assertThat(byTerm.subList(0, 5)).containsExactly(null, false, true, 5L, "a");
    }

    @Test
    void unsupportedTypesAreRefusedByName() {
        assertThatThrownBy(() -> Terms.encode(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }
}
