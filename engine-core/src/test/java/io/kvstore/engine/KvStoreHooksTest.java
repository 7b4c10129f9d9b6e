package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.index.Extractor;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.IndexQuery;
import io.kvstore.engine.index.IndexType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Spring Boot starter builds on: the operation listener, the query switch, failure state, WAL syncs. */
class KvStoreHooksTest {

    @TempDir
    Path dir;

    @Test
    void theListenerHearsEveryOperationWithItsOutcome() {
        List<String> heard = new ArrayList<>();
        OperationListener listener = (op, nanos, failure) -> {
            assertThat(nanos).isNotNegative();
            heard.add(op + (failure == null ? "" : ":" + failure.getClass().getSimpleName()));
        };
        try (KvStore db = KvStore.open(dir, KvStoreOptions.defaults().withOperationListener(listener))) {
            db.put("a", "1");
            db.get("a");
            db.delete("a");
            db.write(new WriteBatch().put("b", "2").put("c", "3"));
            db.scan(KeyRange.all()).close();
            db.indexes().create(IndexDefinition.of("v", IndexType.EQUALITY, Extractor.raw()));
            heard.clear(); // index creation writes through the store too; not user operations
            db.query(IndexQuery.eq("v", "2"));
            db.getAll(List.of("a".getBytes(), "b".getBytes(), "c".getBytes()));
            assertThatThrownBy(() -> db.write(new WriteBatch().requireAbsent("b").put("b", "x")))
                    .isInstanceOf(WriteConflictException.class);
            assertThat(heard).containsExactly("QUERY", "GET", "WRITE:WriteConflictException");
            assertThat(db.stats().walSyncs()).isPositive(); // SYNC mode: one per write group
        }
    }

    @Test
    void withQueriesDisabledIndexQueriesAndCreationAreRefused() {
        try (KvStore db = KvStore.open(dir, KvStoreOptions.defaults().withQueriesEnabled(false))) {
            assertThatThrownBy(() -> db.indexes().create(IndexDefinition.of("v", IndexType.EQUALITY, Extractor.raw())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("disabled");
            assertThatThrownBy(() -> db.query(IndexQuery.eq("v", "x"))).hasMessageContaining("disabled");
            db.put("a", "1");
            assertThat(db.failure()).isEmpty();
        }
    }
}
