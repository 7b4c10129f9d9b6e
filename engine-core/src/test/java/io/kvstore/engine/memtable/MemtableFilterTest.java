package io.kvstore.engine.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class MemtableFilterTest {

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyAddedKeyIsReportedAndFewAbsentOnesAre() {
        // The sizing's worst case: the smallest entries (a 64-byte node overhead each) filling the budget.
        long budget = 4 << 20;
        int keys = (int) (budget / 64);
        MemtableFilter filter = new MemtableFilter(budget);
        for (int i = 0; i < keys; i++) {
            byte[] k = key("user:" + i);
            filter.add(k, 0, k.length);
        }
        for (int i = 0; i < keys; i++) {
            byte[] k = key("user:" + i);
            assertThat(filter.mayContain(k, 0, k.length)).as("added key %s", i).isTrue();
        }
        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            byte[] k = key("absent:" + i);
            if (filter.mayContain(k, 0, k.length)) {
                falsePositives++;
            }
        }
        // 8 bits per key, 6 probes in one cache line: about 2-3 %; 5 % would mean the hashing is off.
        assertThat(falsePositives).isLessThan(probes / 20);
        assertThat(filter.bytes()).isEqualTo(budget / 64);
    }

    @Test
    void keysAtAnOffsetInsideARecordAreFound() {
        MemtableFilter filter = new MemtableFilter(64 << 10);
        byte[] record = key("xxkey-1yy");
        filter.add(record, 2, 5);
        assertThat(filter.mayContain(key("key-1"), 0, 5)).isTrue();
    }

    @Test
    void aFilteredMemtableAnswersLikeAnUnfilteredOne() {
        Memtable plain = new Memtable(1);
        Memtable filtered = new Memtable(1, 64 << 10, io.kvstore.engine.io.FilterPrefix.NONE);
        TreeMap<String, String> model = new TreeMap<>();
        Random random = new Random(42);
        long sequence = 0;
        for (int i = 0; i < 5_000; i++) {
            String k = "k" + random.nextInt(3_000);
            boolean delete = random.nextInt(5) == 0;
            byte[] record = key(k + "=v" + i);
            byte type = delete ? InternalKey.TYPE_DELETE : InternalKey.TYPE_PUT;
            int valueOff = k.length() + 1;
            plain.add(++sequence, type, record, 0, k.length(), valueOff, record.length - valueOff);
            filtered.add(sequence, type, record, 0, k.length(), valueOff, record.length - valueOff);
            if (delete) {
                model.put(k, null);
            } else {
                model.put(k, "v" + i);
            }
        }
        for (int i = 0; i < 6_000; i++) {
            byte[] k = key("k" + i);
            byte[] expected = plain.get(k, sequence, Long.MIN_VALUE);
            byte[] actual = filtered.get(k, sequence, Long.MIN_VALUE);
            assertThat(actual).as("k%s", i).isEqualTo(expected);
            String modelValue = model.get("k" + i);
            if (!model.containsKey("k" + i)) {
                assertThat(actual).isNull();
            } else if (modelValue == null) {
                assertThat(actual).isSameAs(Memtable.DELETED);
            } else {
                assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(modelValue);
            }
        }
    }
}
