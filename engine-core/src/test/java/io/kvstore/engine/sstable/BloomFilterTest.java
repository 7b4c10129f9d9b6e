package io.kvstore.engine.sstable;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BloomFilterTest {

    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.UTF_8);
    }

    /** Textbook rate (1 − e^(−k·n/m))^k for the filter's actual bit count m. */
    private static double theoreticalRate(int keys, int bitsPerKey) {
        int bits = (Math.max(64, keys * bitsPerKey) + 7) & ~7;
        int k = BloomFilter.probesFor(bitsPerKey);
        return Math.pow(1 - Math.exp(-(double) k * keys / bits), k);
    }

    @ParameterizedTest(name = "{0} bits per key")
    @ValueSource(ints = {6, 10, 16})
    void measuredFalsePositiveRateIsWithinTenPercentOfTheTheoreticalRate(int bitsPerKey) {
        int keys = 200_000;
        long[] hashes = new long[keys];
        for (int i = 0; i < keys; i++) {
            byte[] k = key("user:", i);
            hashes[i] = BloomFilter.hash(k, 0, k.length);
        }
        byte[] block = BloomFilter.build(hashes, keys, bitsPerKey);
        BloomFilter filter = BloomFilter.read(block, block.length);

        for (int i = 0; i < keys; i++) {
            byte[] k = key("user:", i);
            assertThat(filter.mayContain(k, 0, k.length)).as("member %d", i).isTrue();
        }
        int probes = 4_000_000;
        int falsePositives = 0;
        for (int i = 0; i < probes; i++) {
            byte[] k = key("absent:", i);
            if (filter.mayContain(k, 0, k.length)) {
                falsePositives++;
            }
        }
        double measured = (double) falsePositives / probes;
        double theoretical = theoreticalRate(keys, bitsPerKey);
        assertThat(measured).as("false-positive rate at %d bits/key (theoretical %.5f)", bitsPerKey, theoretical)
                .isBetween(theoretical * 0.9, theoretical * 1.1);
    }
}
