package io.kvstore.engine.version;

import io.kvstore.engine.iterator.ForwardingIterator;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.sstable.TableCache;
import java.util.List;

/** Iterates a level of disjoint, sorted files as one sequence, opening one table at a time. */
final class LevelIterator extends ForwardingIterator {

    private final List<FileMetadata> files;
    private final TableCache tables;
    private int fileIndex;
    private InternalIterator current;

    LevelIterator(List<FileMetadata> files, TableCache tables) {
        this.files = files;
        this.tables = tables;
        this.fileIndex = files.size();
    }

    @Override
    public boolean isValid() {
        return current != null && current.isValid();
    }

    @Override
    public void seekToFirst() {
        open(0);
        if (current != null) {
            current.seekToFirst();
            skipExhausted();
        }
    }

    @Override
    public void seek(byte[] userKey, long trailer) {
        open(Version.findFile(files, userKey));
        if (current != null) {
            current.seek(userKey, trailer);
            skipExhausted();
        }
    }

    @Override
    public void next() {
        current.next();
        skipExhausted();
    }

    private void skipExhausted() {
        while (current != null && !current.isValid()) {
            open(fileIndex + 1);
            if (current != null) {
                current.seekToFirst();
            }
        }
    }

    private void open(int index) {
        if (current != null) {
            current.close();
        }
        fileIndex = index;
        current = index < files.size() ? tables.iterator(files.get(index).number(), files.get(index).size()) : null;
    }

    @Override
    protected InternalIterator current() {
        return current;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
