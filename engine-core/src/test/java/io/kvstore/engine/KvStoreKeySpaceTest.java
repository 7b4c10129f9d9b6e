package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User keys that start with 0xFE or 0xFF share the key space with the store's own entries (see
 * {@link StorageKeys}): they must behave exactly like any other key.
 */
class KvStoreKeySpaceTest {

    @TempDir
    Path dir;

    private static final KvStoreOptions SMALL = KvStoreOptions.defaults().withMemtableSize(64 << 10)
            .withSyncMode(SyncMode.NONE);

    private static List<byte[]> keysOf(KvIterator it) {
        List<byte[]> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(e -> out.add(e.key()));
        }
        return out;
    }

    @Test
    void keysOfEveryFirstByteRoundTripInUnsignedOrderThroughFlushAndReopen() {
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        Random rnd = new Random(7);
        try (KvStore db = KvStore.open(dir, SMALL)) {
            for (int i = 0; i < 6000; i++) {
                byte[] key = new byte[1 + rnd.nextInt(6)];
                rnd.nextBytes(key);
                if (i % 3 == 0) {
                    key[0] = (byte) (0xFE + rnd.nextInt(2)); // the escaped ones, often
                }
                byte[] value = ("v" + i).getBytes();
                if (rnd.nextInt(10) == 0) {
                    db.delete(key);
                    model.remove(key);
                } else if (rnd.nextBoolean()) {
                    db.put(key, value);
                    model.put(key, value);
                } else {
                    db.write(new WriteBatch().put(key, value));
                    model.put(key, value);
                }
            }
            check(db, model);
        }
        try (KvStore db = KvStore.open(dir, SMALL)) {
            check(db, model);
            db.compact();
            check(db, model);
        }
    }

    private static void check(KvStore db, TreeMap<byte[], byte[]> model) {
        assertThat(keysOf(db.scan(KeyRange.all()))).containsExactlyElementsOf(model.keySet());
        for (var e : model.entrySet()) {
            assertThat(db.get(e.getKey())).isEqualTo(e.getValue());
        }
        byte[] ff = {(byte) 0xFF};
        byte[] fe = {(byte) 0xFE};
        assertThat(keysOf(db.scan(KeyRange.prefix(ff)))).containsExactlyElementsOf(model.tailMap(ff, true).keySet());
        assertThat(keysOf(db.scan(KeyRange.prefix(fe)))).containsExactlyElementsOf(model.subMap(fe, ff).keySet());
        assertThat(keysOf(db.scan(KeyRange.lessThan(ff)))).containsExactlyElementsOf(model.headMap(ff).keySet());
        assertThat(keysOf(db.scan(KeyRange.between(new byte[] {0x10}, fe))))
                .containsExactlyElementsOf(model.subMap(new byte[] {0x10}, fe).keySet());
        byte[] last = model.lastKey();
        assertThat(keysOf(db.scan(KeyRange.all().resumeAfter(last)))).isEmpty();
    }

    @Test
    void aKeyOfOnly0xFFIsAnOrdinaryKey() {
        try (KvStore db = KvStore.open(dir, SMALL)) {
            byte[] ff = {(byte) 0xFF};
            db.put(ff, "x".getBytes());
            db.put("a", "y");
            assertThat(db.get(ff)).isEqualTo("x".getBytes());
            assertThat(keysOf(db.scan(KeyRange.all()))).containsExactly("a".getBytes(), ff);
            db.delete(ff);
            assertThat(keysOf(db.scan(KeyRange.all()))).containsExactly("a".getBytes());
        }
    }
}
