package io.kvstore.engine.version;

import java.nio.file.Path;

/**
 * Names of the files in a store directory. Numbers come from one counter recorded in the manifest,
 * so a number names at most one file over the store's life.
 *
 * <pre>
 * LOCK               held by the open instance
 * CURRENT            names the live manifest ("MANIFEST-000007\n")
 * MANIFEST-NNNNNN    log of version edits
 * NNNNNN.log         write-ahead log
 * NNNNNN.sst         table file
 * NNNNNN.tmp         a file being written that becomes another by rename
 * </pre>
 */
public final class FileNames {

    public static final String LOCK = "LOCK";
    public static final String CURRENT = "CURRENT";
    private static final String MANIFEST_PREFIX = "MANIFEST-";

    public enum Kind { LOG, TABLE, MANIFEST, TEMP, CURRENT, LOCK }

    /** A parsed file name: its kind and number (0 for CURRENT and LOCK). */
    public record Parsed(Kind kind, long number) {
    }

    private FileNames() {
    }

    public static Path log(Path dir, long number) {
        return dir.resolve(String.format("%06d.log", number));
    }

    public static Path table(Path dir, long number) {
        return dir.resolve(String.format("%06d.sst", number));
    }

    public static Path manifest(Path dir, long number) {
        return dir.resolve(String.format(MANIFEST_PREFIX + "%06d", number));
    }

    public static Path temp(Path dir, long number) {
        return dir.resolve(String.format("%06d.tmp", number));
    }

    public static String manifestName(long number) {
        return String.format(MANIFEST_PREFIX + "%06d", number);
    }

    /** Parses a name in a store directory, or {@code null} for a name the engine does not own. */
    public static Parsed parse(String name) {
        if (name.equals(CURRENT)) {
            return new Parsed(Kind.CURRENT, 0);
        }
        if (name.equals(LOCK)) {
            return new Parsed(Kind.LOCK, 0);
        }
        if (name.startsWith(MANIFEST_PREFIX)) {
            long n = number(name.substring(MANIFEST_PREFIX.length()));
            return n < 0 ? null : new Parsed(Kind.MANIFEST, n);
        }
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        long n = number(name.substring(0, dot));
        if (n < 0) {
            return null;
        }
        return switch (name.substring(dot + 1)) {
            case "log" -> new Parsed(Kind.LOG, n);
            case "sst" -> new Parsed(Kind.TABLE, n);
            case "tmp" -> new Parsed(Kind.TEMP, n);
            default -> null;
        };
    }

    private static long number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}
