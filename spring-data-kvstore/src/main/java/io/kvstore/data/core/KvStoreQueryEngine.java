package io.kvstore.data.core;

import io.kvstore.data.core.EntityRegistry.EntityInfo;
import io.kvstore.engine.KvEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.keyvalue.core.QueryEngine;

/**
 * Runs {@code KeyValueQuery<KvCriteria>}s (template queries, query by example) on indexes:
 * criteria become an engine {@code IndexQuery}; an offset is skipped by paging, not by reading
 * records it skips over.
 */
public class KvStoreQueryEngine extends QueryEngine<KvStoreKeyValueAdapter, KvCriteria, Sort> {

    public KvStoreQueryEngine() {
        super(query -> (KvCriteria) query.getCriteria(), query -> query.getSort());
    }

    @Override
    public Collection<?> execute(KvCriteria criteria, Sort sort, long offset, int rows, String keyspace) {
        return execute(criteria, sort, offset, rows, keyspace, getRequiredAdapter().registry().ofKeyspace(keyspace).type());
    }

    @Override
    public <T> Collection<T> execute(KvCriteria criteria, Sort sort, long offset, int rows, String keyspace,
            Class<T> type) {
        KvStoreKeyValueAdapter adapter = getRequiredAdapter();
        EntityInfo info = adapter.registry().of(registeredType(adapter, keyspace, type));
        QueryPlanner.Source source = adapter.planner().source(criteria, sort == null ? Sort.unsorted() : sort,
                info.indexes(), info.idProperty(), info.type());
        List<T> out = new ArrayList<>();
        for (KvEntry e : skipAndTake(source, offset, rows < 0 ? Integer.MAX_VALUE : rows)) {
            out.add(adapter.mapper().read(e.value(), type));
        }
        return out;
    }

    private static Class<?> registeredType(KvStoreKeyValueAdapter adapter, String keyspace, Class<?> type) {
        try {
            return adapter.registry().ofKeyspace(keyspace).type();
        } catch (IllegalStateException notYet) {
            return type;
        }
    }

    /** The entries after the first {@code offset}, at most {@code rows} of them. */
    static List<KvEntry> skipAndTake(QueryPlanner.Source source, long offset, int rows) {
        List<KvEntry> out = new ArrayList<>();
        String cursor = null;
        long skip = offset;
        do {
            int want = (int) Math.min(KvStoreKeyValueAdapter.PAGE, skip + (long) rows - out.size());
            QueryPlanner.Chunk chunk = source.next(cursor, Math.max(1, want));
            for (KvEntry e : chunk.entries()) {
                if (skip > 0) {
                    skip--;
                } else if (out.size() < rows) {
                    out.add(e);
                }
            }
            cursor = chunk.cursor();
        } while (cursor != null && out.size() < rows);
        return out;
    }

    @Override
    public long count(KvCriteria criteria, String keyspace) {
        KvStoreKeyValueAdapter adapter = getRequiredAdapter();
        EntityInfo info = adapter.registry().ofKeyspace(keyspace);
        return adapter.planner().source(criteria, Sort.unsorted(), info.indexes(), info.idProperty(), info.type()).count();
    }
}
