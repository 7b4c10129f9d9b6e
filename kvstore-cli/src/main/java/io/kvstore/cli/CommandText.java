package io.kvstore.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text commands of {@code batch} files and the shell: words separated by blanks,
 * {@code "double quoted"} words with {@code \"} and {@code \\} escapes. A value is the rest of the
 * line after its key, taken as it is ({@code SET user:1 {"name": "Ada"}}) unless it is one quoted word.
 */
final class CommandText {

    private CommandText() {
    }

    /** The first {@code max} words of {@code line} and, as the last element, the rest of the line (trimmed). */
    static List<String> split(String line, int max) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (words.size() < max) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            if (line.charAt(i) == '"') {
                i = quoted(line, i, word);
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i))) {
                    word.append(line.charAt(i++));
                }
            }
            words.add(word.toString());
        }
        String rest = line.substring(Math.min(i, n)).strip();
        if (!rest.isEmpty()) {
            words.add(value(rest));
        }
        return words;
    }

    /** A value as written: unquoted when it is exactly one quoted word. */
    static String value(String rest) {
        if (rest.startsWith("\"")) {
            StringBuilder word = new StringBuilder();
            int end = quoted(rest, 0, word);
            if (end == rest.length()) {
                return word.toString();
            }
        }
        return rest;
    }

    /** Reads the quoted word starting at {@code start} into {@code word}; returns the index after its closing quote. */
    private static int quoted(String s, int start, StringBuilder word) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\' && i < s.length()) {
                word.append(s.charAt(i++));
            } else if (c == '"') {
                return i;
            } else {
                word.append(c);
            }
        }
        throw new IllegalArgumentException("unclosed quote in: " + s);
    }
}
