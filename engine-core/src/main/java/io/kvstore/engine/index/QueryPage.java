package io.kvstore.engine.index;

import io.kvstore.engine.KvEntry;
import java.util.List;

/**
 * One page of an {@link IndexQuery}'s results.
 *
 * @param entries the matching records (key and value), in the query's order
 * @param cursor  pass to {@link IndexQuery#after(String)} for the next page; {@code null} when
 *                there is nothing more. Paging neither repeats nor skips a record that stays
 *                unchanged meanwhile, whatever else is written.
 */
public record QueryPage(List<KvEntry> entries, String cursor) {

    public QueryPage {
        entries = List.copyOf(entries);
    }

    public boolean hasMore() {
        return cursor != null;
    }
}
