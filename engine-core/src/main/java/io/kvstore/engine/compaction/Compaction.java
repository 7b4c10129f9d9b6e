package io.kvstore.engine.compaction;

import io.kvstore.engine.version.FileMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * One compaction chosen by a picker: input files (with their levels), the level the outputs go
 * to, and the files outside the inputs that may hold older data for the inputs' keys (a delete
 * can only be dropped when none of them contains its key).
 *
 * @param inputs      the files to merge, each with its level
 * @param outputLevel level of the new files
 * @param olderFiles  files, not among the inputs, that may hold older versions of input keys
 */
public record Compaction(List<Input> inputs, int outputLevel, List<FileMetadata> olderFiles) {

    /** An input file and its level. */
    public record Input(int level, FileMetadata file) {
    }

    /** Whether no file outside the inputs may hold an older version of {@code userKey}. */
    public boolean noOlderDataOutside(byte[] userKey) {
        for (FileMetadata f : olderFiles) {
            if (f.mayContain(userKey)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A single input file that nothing at the output level overlaps can move there by a manifest
     * edit alone, without being rewritten.
     */
    public boolean isTrivialMove() {
        return inputs.size() == 1 && inputs.get(0).level() != outputLevel;
    }

    public List<FileMetadata> inputFiles() {
        List<FileMetadata> files = new ArrayList<>(inputs.size());
        for (Input i : inputs) {
            files.add(i.file());
        }
        return files;
    }

    public long inputBytes() {
        long total = 0;
        for (Input i : inputs) {
            total += i.file().size();
        }
        return total;
    }
}
