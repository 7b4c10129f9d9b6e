package io.kvstore.engine.admin;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What an import or export did.
 *
 * @param format     the format read or written
 * @param records    records read (import: good and bad rows) or written (export)
 * @param written    records stored (import) or written (export)
 * @param failed     bad rows (import with skip-errors; they are in {@code errorsFile})
 * @param batches    write batches committed (import)
 * @param elapsed    wall-clock time taken
 * @param errorsFile the sidecar holding the bad rows, or {@code null} when there were none
 */
public record TransferReport(DataFormat format, long records, long written, long failed, long batches,
        Duration elapsed, Path errorsFile) {

    /** Records per second over the whole run. */
    public double recordsPerSecond() {
        long nanos = Math.max(1, elapsed.toNanos());
        return records * 1e9 / nanos;
    }
}
