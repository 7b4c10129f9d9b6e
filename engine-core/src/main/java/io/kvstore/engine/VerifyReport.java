package io.kvstore.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link KvStore#verify()} found: every problem with the file and byte offset it concerns.
 *
 * @param problems          what is wrong, empty when the store is sound
 * @param tablesChecked     live table files whose every block was read and checked
 * @param walRecordsChecked write-ahead log records read and checked
 */
public record VerifyReport(List<Problem> problems, int tablesChecked, long walRecordsChecked) {

    /**
     * One problem.
     *
     * @param file        the damaged or inconsistent file
     * @param offset      byte offset in {@code file}, or -1 when the problem is not at one place
     * @param description what is wrong
     */
    public record Problem(Path file, long offset, String description) {
        @Override
        public String toString() {
            return file + (offset >= 0 ? " at offset " + offset : "") + ": " + description;
        }
    }

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** Whether no problem was found. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
