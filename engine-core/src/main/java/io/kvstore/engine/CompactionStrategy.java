package io.kvstore.engine;

/** How table files are merged in the background. */
public enum CompactionStrategy {
    /**
     * Leveled (the default): L0 is merged into L1 once it holds {@code level0FileTrigger} files;
     * each deeper level has a size target ten times the one above; below L0 no two files of a
     * level overlap. Low read and space amplification.
     */
    LEVELED,
    /**
     * Size-tiered: runs of similar size are merged into one larger run. Less rewriting for
     * write-heavy data (logs, counters), at the cost of more files per read.
     */
    TIERED
}
