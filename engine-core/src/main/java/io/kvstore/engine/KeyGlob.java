package io.kvstore.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A glob over hierarchical keys, matched level by level: {@code *} is any run of characters within
 * one level, {@code ?} one character within a level, a level that is exactly {@code **} any number
 * (zero or more) of whole levels. Besides "does this key match", it answers "can any key under
 * this directory match", which is what lets a listing skip a whole directory with one seek.
 */
final class KeyGlob {

    private static final Pattern ANY_LEVELS = null;
    private final String delimiter;
    /** One compiled pattern per level; {@link #ANY_LEVELS} (null) for {@code **}. */
    private final List<Pattern> levels = new ArrayList<>();
    private final String source;

    KeyGlob(String glob, String delimiter) {
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("glob must not be empty");
        }
        this.source = glob;
        this.delimiter = delimiter;
        for (String level : split(glob, delimiter)) {
            levels.add(level.equals("**") ? ANY_LEVELS : compile(level));
        }
    }

    private static Pattern compile(String level) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : level.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    static List<String> split(String s, String delimiter) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int at; (at = s.indexOf(delimiter, from)) >= 0; from = at + delimiter.length()) {
            parts.add(s.substring(from, at));
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Whether the whole key matches. */
    boolean matches(String key) {
        return matches(0, split(key, delimiter), 0);
    }

    /** Whether some key strictly below directory {@code dir} (ending with the delimiter) can match. */
    boolean mayMatchUnder(String dir) {
        List<String> parts = split(dir, delimiter);
        parts.remove(parts.size() - 1); // the empty part after the trailing delimiter
        return extends_(0, parts, 0);
    }

    private boolean matches(int p, List<String> key, int k) {
        if (p == levels.size()) {
            return k == key.size();
        }
        if (levels.get(p) == ANY_LEVELS) {
            return matches(p + 1, key, k) || (k < key.size() && matches(p, key, k + 1));
        }
        return k < key.size() && levels.get(p).matcher(key.get(k)).matches() && matches(p + 1, key, k + 1);
    }

    /** Whether a key whose first levels are {@code dir[k..]} followed by at least one more level can match from {@code p}. */
    private boolean extends_(int p, List<String> dir, int k) {
        if (k == dir.size()) {
            return p < levels.size();
        }
        if (p == levels.size()) {
            return false;
        }
        if (levels.get(p) == ANY_LEVELS) {
            return extends_(p + 1, dir, k) || extends_(p, dir, k + 1);
        }
        return levels.get(p).matcher(dir.get(k)).matches() && extends_(p + 1, dir, k + 1);
    }

    @Override
    public String toString() {
        return source;
    }
}
