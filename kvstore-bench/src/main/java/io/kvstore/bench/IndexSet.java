package io.kvstore.bench;

/**
 * Which secondary indexes an indexed store maintains ({@code indexedfill-0}, {@code -1}, {@code -3}).
 * Every peer builds the same ones over {@link IndexedDocs} records.
 */
enum IndexSet {
    /** No index: the JSON documents alone. */
    NONE(0),
    /** An equality index on {@code $.email} (unique values). */
    EMAIL(1),
    /** Equality on {@code $.email} and {@code $.city}, range on {@code $.ts}. */
    EMAIL_CITY_TS(3);

    private final int count;

    IndexSet(int count) {
        this.count = count;
    }

    int count() {
        return count;
    }

    boolean email() {
        return count >= 1;
    }

    boolean cityAndTs() {
        return count >= 3;
    }

    /** The workload that fills a store with this set: {@code indexedfill-0}, {@code -1} or {@code -3}. */
    String fillWorkload() {
        return "indexedfill-" + count;
    }
}
