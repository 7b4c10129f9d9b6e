package io.kvstore.bench;

/** What a write must reach before it is acknowledged; each adapter maps it to its own knobs. */
public enum Durability {
    /** The OS page cache is enough (a process crash may lose nothing, a power cut may). */
    NONE,
    /** Every acknowledged write has been forced to the device (fsync or equivalent). */
    SYNC
}
