package io.kvstore.engine.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path to values inside a {@link Document}: {@code $} followed by steps. The grammar is in the
 * {@linkplain io.kvstore.engine.codec package documentation}; in short {@code $.address.city},
 * {@code $.tags[*]}, {@code $.items[*].sku}, {@code $.a[2]}, {@code $['odd key']}.
 *
 * <p>{@link #toString()} gives the normalized text: a name is written {@code .name} when it consists
 * of letters, digits, {@code _} and {@code -} only, else {@code ['name']} with {@code '} and {@code \}
 * escaped by {@code \}; {@code parse(p.toString()).equals(p)} holds for every path. Two paths are
 * equal when their steps are, whatever text they were parsed from ({@code $["a"]} equals
 * {@code $.a}). Immutable.
 */
public final class FieldPath {

    /** One step of a path. */
    sealed interface Step permits Name, Index, Wildcard {
    }

    /** {@code .name} or {@code ['name']}: the member of an object. */
    record Name(String name) implements Step {
    }

    /** {@code [n]}: the element of an array at a zero-based index. */
    record Index(int index) implements Step {
    }

    /** {@code [*]}: every element of an array. */
    enum Wildcard implements Step {
        INSTANCE
    }

    private static final FieldPath ROOT = new FieldPath(List.of());

    private final List<Step> steps;

    private FieldPath(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException naming the path and the zero-based position of the first
     *     character that does not fit the grammar
     */
    public static FieldPath parse(String path) {
        Objects.requireNonNull(path, "path must not be null");
        return new Parser(path).parse();
    }

    /** The steps after {@code $}, in order; empty for {@code $} itself. */
    List<Step> steps() {
        return steps;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("$");
        for (Step step : steps) {
            if (step instanceof Name name) {
                appendName(text, name.name());
            } else if (step instanceof Index index) {
                text.append('[').append(index.index()).append(']');
            } else {
                text.append("[*]");
            }
        }
        return text.toString();
    }

    private static void appendName(StringBuilder text, String name) {
        if (isPlainName(name)) {
            text.append('.').append(name);
            return;
        }
        text.append("['");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\'' || c == '\\') {
                text.append('\\');
            }
            text.append(c);
        }
        text.append("']");
    }

    private static boolean isPlainName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!isNameChar(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean isNameChar(int c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath other && steps.equals(other.steps);
    }

    @Override
    public int hashCode() {
        return steps.hashCode();
    }

    /** A recursive-descent parser over the text, one step at a time. */
    private static final class Parser {

        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        FieldPath parse() {
            if (text.isEmpty() || text.charAt(0) != '$') {
                throw error("a path starts with '$'");
            }
            pos = 1;
            List<Step> steps = new ArrayList<>();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '.') {
                    pos++;
                    steps.add(new Name(plainName()));
                } else if (c == '[') {
                    pos++;
                    steps.add(bracketStep());
                } else {
                    throw error("expected '.' or '[' but found " + describe(c));
                }
            }
            return steps.isEmpty() ? ROOT : new FieldPath(List.copyOf(steps));
        }

        private String plainName() {
            int start = pos;
            while (pos < text.length()) {
                int c = text.codePointAt(pos);
                if (!isNameChar(c)) {
                    break;
                }
                pos += Character.charCount(c);
            }
            if (pos == start) {
                throw error(pos < text.length()
                        ? "expected a field name (letters, digits, '_', '-'; else use ['...']) but found "
                                + describe(text.charAt(pos))
                        : "expected a field name after '.' but the path ends");
            }
            return text.substring(start, pos);
        }

        private Step bracketStep() {
            if (pos >= text.length()) {
                throw error("expected '*', an index or a quoted name after '[' but the path ends");
            }
            char c = text.charAt(pos);
            Step step;
            if (c == '*') {
                pos++;
                step = Wildcard.INSTANCE;
            } else if (c >= '0' && c <= '9') {
                step = new Index(index());
            } else if (c == '\'' || c == '"') {
                step = new Name(quotedName(c));
            } else {
                throw error("expected '*', an index or a quoted name after '[' but found " + describe(c));
            }
            expect(']');
            return step;
        }

        private int index() {
            int start = pos;
            long value = 0;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                value = value * 10 + (text.charAt(pos) - '0');
                if (value > Integer.MAX_VALUE) {
                    pos = start;
                    throw error("array index is larger than " + Integer.MAX_VALUE);
                }
                pos++;
            }
            if (pos - start > 1 && text.charAt(start) == '0') {
                pos = start;
                throw error("array index has a leading zero");
            }
            return (int) value;
        }

        private String quotedName(char quote) {
            pos++;
            StringBuilder name = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated quoted name: expected " + quote);
                }
                char c = text.charAt(pos);
                if (c == quote) {
                    pos++;
                    return name.toString();
                }
                if (c == '\\') {
                    pos++;
                    if (pos >= text.length()) {
                        throw error("unterminated quoted name: expected " + quote);
                    }
                    char escaped = text.charAt(pos);
                    if (escaped != '\\' && escaped != '\'' && escaped != '"') {
                        pos--;
                        throw error("unknown escape \\" + escaped + " (only \\\\, \\' and \\\" are escapes)");
                    }
                    name.append(escaped);
                } else {
                    name.append(c);
                }
                pos++;
            }
        }

        private void expect(char c) {
            if (pos >= text.length()) {
                throw error("expected '" + c + "' but the path ends");
            }
            if (text.charAt(pos) != c) {
                throw error("expected '" + c + "' but found " + describe(text.charAt(pos)));
            }
            pos++;
        }

        private static String describe(char c) {
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(
                    "invalid field path '" + text + "' at position " + pos + ": " + problem);
        }
    }
}
