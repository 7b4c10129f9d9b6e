package io.kvstore.engine;

import java.util.List;

/**
 * One page of a directory listing, like an object store's: the child directories (each the full
 * prefix ending with the delimiter, e.g. {@code users/42/}) and the entries (full keys with their
 * values), each list in key order. Names sort together: a page holds the first {@code limit}
 * names of the merged order.
 *
 * @param directory     the listed directory's prefix ({@code ""} for the root, else ending with the delimiter)
 * @param directories   child directories, each listed once however many keys it holds
 * @param entries       keys directly in the directory (or within the depth asked for)
 * @param defaultValue  the value of the directory's {@code .index} entry ({@code users/.index}), or {@code null}
 * @param nextPageToken pass to {@link ListOptions#withStartAfter(String)} for the next page; {@code null} on the last page
 * @param seeks         repositionings of the underlying scan: one per child directory skipped
 * @param entriesRead   entries the scan produced, including those rolled up or filtered out
 */
public record Listing(String directory, List<String> directories, List<KvEntry> entries, byte[] defaultValue,
        String nextPageToken, long seeks, long entriesRead) {

    public Listing {
        directories = List.copyOf(directories);
        entries = List.copyOf(entries);
    }

    /** Whether more names follow this page. */
    public boolean hasMore() {
        return nextPageToken != null;
    }
}
