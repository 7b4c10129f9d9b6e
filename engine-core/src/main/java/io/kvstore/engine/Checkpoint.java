package io.kvstore.engine;

import java.nio.file.Path;

/**
 * What {@link KvStore#checkpoint(Path)} wrote: a directory that opens as a store holding exactly
 * the state as of {@code sequence}.
 *
 * @param directory    the checkpoint directory
 * @param sequence     the last sequence number the checkpoint holds; later writes are not in it
 * @param tableFiles   table files in the checkpoint
 * @param linkedTables table files hard-linked to the store's own (the rest were copied)
 * @param walRecords   entries written to the checkpoint's WAL (the memtables' contents up to {@code sequence})
 */
public record Checkpoint(Path directory, long sequence, int tableFiles, int linkedTables, long walRecords) {
}
