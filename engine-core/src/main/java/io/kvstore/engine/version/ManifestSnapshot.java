package io.kvstore.engine.version;

import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.wal.LogFormat;
import io.kvstore.engine.wal.LogWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a complete manifest for a directory that is not open as a store (a checkpoint): one
 * snapshot record (the same record {@link VersionSet} starts each manifest with) and a
 * {@code CURRENT} naming it. Opening the directory then recovers exactly the given levels, log
 * number and last sequence.
 */
public final class ManifestSnapshot {

    private ManifestSnapshot() {
    }

    /**
     * Requires: {@code manifestNumber}, {@code logNumber} and every listed table number are below
     * {@code nextFileNumber}, so the store opened on the directory never reuses one of them (a reused
     * number would truncate a hard-linked table shared with the source store).
     */
    public static void write(FileSystem fs, Path dir, List<List<FileMetadata>> levels, long logNumber,
            long lastSequence, long manifestNumber, long nextFileNumber) throws IOException {
        VersionEdit snapshot = new VersionEdit();
        snapshot.logNumber = logNumber;
        snapshot.lastSequence = lastSequence;
        snapshot.nextFileNumber = nextFileNumber;
        for (int level = 0; level < levels.size(); level++) {
            for (FileMetadata f : levels.get(level)) {
                if (f.number() >= nextFileNumber) {
                    throw new IllegalArgumentException("table " + f + " is not below the next file number "
                            + nextFileNumber);
                }
                snapshot.addFile(level, f);
            }
        }
        try (LogWriter writer = new LogWriter(fs.create(FileNames.manifest(dir, manifestNumber)),
                LogFormat.MANIFEST_MAGIC)) {
            byte[] record = snapshot.encode();
            writer.addRecord(record, 0, record.length);
            writer.sync();
        }
        Path temp = FileNames.temp(dir, nextFileNumber);
        try (WritableFile file = fs.create(temp)) {
            file.append((FileNames.manifestName(manifestNumber) + "\n").getBytes(StandardCharsets.UTF_8));
            file.sync();
        }
        fs.rename(temp, dir.resolve(FileNames.CURRENT));
        fs.syncDirectory(dir);
    }
}
