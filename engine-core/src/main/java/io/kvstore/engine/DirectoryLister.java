package io.kvstore.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lists a "directory" of hierarchical keys ({@code users/42/orders/7}) the way object stores do.
 *
 * <pre>
 * Cost:
 *   One scan of the directory's key range. A key below the depth asked for names a child
 *   directory; after reporting it the scan seeks to the first key after that child's prefix
 *   (the prefix with its last byte incremented), so a child holding a million keys costs one
 *   entry read and one seek, never a walk over its keys.
 * Consistency:
 *   The scan and the .index lookup read one pinned view at one sequence.
 * Paging:
 *   The token is the last name returned: a key resumes at the key after it, a directory (ending
 *   with the delimiter) past everything under it.
 * </pre>
 */
final class DirectoryLister {

    private static final String INDEX = ".index";

    private final KvStore store;

    DirectoryLister(KvStore store) {
        this.store = store;
    }

    Listing list(String dir, ListOptions options) {
        String delimiter = options.delimiter();
        String prefix = dir.isEmpty() || dir.endsWith(delimiter) ? dir : dir + delimiter;
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] delimiterBytes = delimiter.getBytes(StandardCharsets.UTF_8);
        KeyGlob glob = options.glob() == null ? null : new KeyGlob(options.glob(), delimiter);
        byte[] from = prefix.isEmpty() ? null : StorageKeys.user(prefixBytes);
        byte[] to = from == null ? StorageKeys.SYSTEM_START : KeyRange.prefixSuccessor(from);
        if (to == null) {
            to = StorageKeys.SYSTEM_START;
        }
        List<String> directories = new ArrayList<>();
        List<KvEntry> entries = new ArrayList<>();
        String last = null;
        String next = null;
        long seeks = 0;
        long read = 0;
        try (KvStore.PinnedRead pinned = store.pin(null)) {
            byte[] defaultValue = store.lookupIn(pinned, StorageKeys.user(
                    (prefix + INDEX).getBytes(StandardCharsets.UTF_8)));
            StoreIterator it = store.scanIn(pinned, from, to, "list of '" + prefix + "'", () -> {
            });
            try {
                if (options.startAfter() != null) {
                    String token = options.startAfter();
                    if (!token.startsWith(prefix) || token.equals(prefix)) {
                        throw new IllegalArgumentException("page token '" + token + "' does not belong to a listing of '"
                                + prefix + "'");
                    }
                    byte[] target = token.endsWith(delimiter)
                            ? KeyRange.prefixSuccessor(StorageKeys.user(token.getBytes(StandardCharsets.UTF_8)))
                            : afterKey(StorageKeys.user(token.getBytes(StandardCharsets.UTF_8)));
                    if (target == null) {
                        return new Listing(prefix, directories, entries, defaultValue, null, seeks, read);
                    }
                    it.seek(target);
                    seeks++;
                }
                int count = 0;
                while (it.hasNext()) {
                    KvEntry e = it.next();
                    read++;
                    byte[] key = e.key();
                    int cut = options.depth() == 0 ? -1 : nthDelimiter(key, prefixBytes.length, delimiterBytes,
                            options.depth());
                    String name;
                    boolean isDirectory = cut >= 0;
                    if (isDirectory) {
                        name = new String(key, 0, cut, StandardCharsets.UTF_8);
                        if (glob != null && !glob.mayMatchUnder(name)) {
                            name = null;
                        }
                    } else {
                        String k = new String(key, StandardCharsets.UTF_8);
                        boolean own = k.length() == prefix.length() + INDEX.length() && k.endsWith(INDEX)
                                && k.startsWith(prefix);
                        name = own || (glob != null && !glob.matches(k)) ? null : k;
                    }
                    if (name != null) {
                        if (count == options.limit()) {
                            next = last;
                            break;
                        }
                        count++;
                        last = name;
                        if (isDirectory) {
                            directories.add(name);
                        } else {
                            entries.add(e);
                        }
                    }
                    if (isDirectory) {
                        byte[] past = KeyRange.prefixSuccessor(StorageKeys.user(Arrays.copyOf(key, cut)));
                        if (past == null) {
                            break;
                        }
                        it.seek(past);
                        seeks++;
                    }
                }
            } finally {
                it.close();
            }
            return new Listing(prefix, directories, entries, defaultValue, next, seeks, read);
        }
    }

    /** The end of the {@code n}-th delimiter after {@code start}, or -1 when the key has fewer. */
    private static int nthDelimiter(byte[] key, int start, byte[] delimiter, int n) {
        int found = 0;
        for (int i = start; i + delimiter.length <= key.length; i++) {
            if (Arrays.equals(key, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                if (++found == n) {
                    return i + delimiter.length;
                }
                i += delimiter.length - 1;
            }
        }
        return -1;
    }

    /** The smallest key greater than {@code key}. */
    private static byte[] afterKey(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }
}
