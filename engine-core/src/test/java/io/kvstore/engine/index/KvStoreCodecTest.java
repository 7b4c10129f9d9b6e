package io.kvstore.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.SyncMode;
import io.kvstore.engine.WriteBatch;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.codec.InvalidValueException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store's codec guards every write, and BSON stores index and answer queries like JSON ones. */
class KvStoreCodecTest {

    @TempDir
    Path dir;

    @Test
    void aJsonStoreRefusesValuesThatAreNotJsonNamingTheKey() {
        try (KvStore db = KvStore.open(dir, KvStoreOptions.defaults().withSyncMode(SyncMode.NONE).withCodec(Codec.JSON))) {
            db.put("a", "{\"x\":1}");
            assertThatThrownBy(() -> db.put("b", "{\"x\":")).isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining("'b'").hasMessageContaining("JSON");
            assertThatThrownBy(() -> db.write(new WriteBatch().put("c", "{}").put("d", "nope")))
                    .isInstanceOf(InvalidValueException.class).hasMessageContaining("'d'");
            assertThat(db.get("b")).isNull();
            assertThat(db.get("c")).as("a refused batch writes nothing").isNull();
            assertThat(db.options().codec().name()).isEqualTo("json");
        }
    }

    @Test
    void aBsonStoreIndexesDocumentsWrittenFromExtendedJson() {
        try (KvStore db = KvStore.open(dir, KvStoreOptions.defaults().withSyncMode(SyncMode.NONE).withCodec(Codec.BSON))) {
            db.indexes().create(IndexDefinition.of("age", IndexType.RANGE, Extractor.bsonPath("$.age")));
            db.indexes().create(IndexDefinition.of("tags", IndexType.EQUALITY, Extractor.bsonPath("$.tags[*]")));
            db.put("u:1".getBytes(), Codec.BSON.fromJson("{\"age\": 31, \"tags\": [\"x\", \"y\"]}"));
            db.put("u:2".getBytes(), Codec.BSON.fromJson("{\"age\": {\"$numberLong\": \"29\"}, \"tags\": [\"y\"]}"));
            assertThatThrownBy(() -> db.put("u:3", "{\"age\": 1}")).isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining("'u:3'").hasMessageContaining("BSON");
            assertThat(KvStoreIndexTest.keys(db.query(IndexQuery.range("age", 30, null)))).containsExactly("u:1");
            assertThat(KvStoreIndexTest.keys(db.query(IndexQuery.eq("tags", "y")))).containsExactly("u:1", "u:2");
            String json = Codec.BSON.toJson(db.get("u:2"));
            assertThat(json).contains("\"age\"").contains("29");
        }
    }
}
