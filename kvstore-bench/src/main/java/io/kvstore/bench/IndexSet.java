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

    /** Fails, naming the index, unless this set has {@code index} ("email", "city" or "ts"): the bench never scans. */
    void require(String index) {
        boolean present = index.equals("email") ? email() : cityAndTs();
        if (!present) {
            throw new IllegalStateException("no index '" + index + "' in this store (opened with " + this
                    + "); the bench never falls back to a scan");
        }
    }

    /** The workload that fills a store with this set: {@code indexedfill-0}, {@code -1} or {@code -3}. */
    String fillWorkload() {
        return "indexedfill-" + count;
    }
}
