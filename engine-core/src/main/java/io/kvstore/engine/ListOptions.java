package io.kvstore.engine;

import java.util.Objects;

/**
 * How {@link KvStore#list(String, ListOptions)} reads a "directory" of hierarchical keys
 * ({@code users/42/orders/7}). Immutable; start from {@link #defaults()}.
 *
 * @param delimiter  separates the levels of a key; not empty (default {@code "/"})
 * @param depth      how many levels below the directory are returned as entries: 1 (the default)
 *                   returns immediate children, deeper keys rolled up into child directories;
 *                   0 returns every key below the directory as an entry and no directories
 * @param glob       keeps only keys (and directories that can hold such keys) matching this
 *                   pattern over the whole key: {@code *} is any run within one level, {@code ?}
 *                   one character within a level, {@code **} any number of whole levels
 *                   ({@code users/*}{@code /orders/**}); {@code null} keeps everything
 * @param limit      the most names (directories plus entries) in one page (default 1000)
 * @param startAfter a page's {@link Listing#nextPageToken()}: the listing resumes after it; {@code null} starts at the beginning
 */
public record ListOptions(String delimiter, int depth, String glob, int limit, String startAfter) {

    public static final int MAX_LIMIT = 100_000;

    public ListOptions {
        Objects.requireNonNull(delimiter, "delimiter must not be null");
        if (delimiter.isEmpty()) {
            throw new IllegalArgumentException("delimiter must not be empty");
        }
        if (depth < 0) {
            throw new IllegalArgumentException("depth must be 0 (unlimited) or positive, was " + depth);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Delimiter {@code "/"}, depth 1, no glob, limit 1000, from the beginning. */
    public static ListOptions defaults() {
        return new ListOptions("/", 1, null, 1000, null);
    }

    public ListOptions withDelimiter(String delimiter) {
        return new ListOptions(delimiter, depth, glob, limit, startAfter);
    }

    public ListOptions withDepth(int depth) {
        return new ListOptions(delimiter, depth, glob, limit, startAfter);
    }

    public ListOptions withGlob(String glob) {
        return new ListOptions(delimiter, depth, glob, limit, startAfter);
    }

    public ListOptions withLimit(int limit) {
        return new ListOptions(delimiter, depth, glob, limit, startAfter);
    }

    public ListOptions withStartAfter(String pageToken) {
        return new ListOptions(delimiter, depth, glob, limit, pageToken);
    }
}
