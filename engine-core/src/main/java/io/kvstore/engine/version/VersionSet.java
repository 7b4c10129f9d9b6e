package io.kvstore.engine.version;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.wal.LogFormat;
import io.kvstore.engine.wal.LogReader;
import io.kvstore.engine.wal.LogWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The manifest, {@code CURRENT}, and the current {@link Version}.
 *
 * <pre>
 * Manifest:
 *   A log ({@link LogFormat}, magic MANIFEST) of {@link VersionEdit}s. Its first edit is a full
 *   snapshot (numbers and every live file); later edits are deltas. Each open writes a fresh
 *   manifest, so a manifest holds one session's edits.
 * CURRENT:
 *   Names the live manifest. Replaced atomically: write NNNNNN.tmp, fsync it, rename it over
 *   CURRENT, fsync the directory. A crash leaves either the old name or the new one.
 * Recovery:
 *   Replays the manifest CURRENT names. A damaged record followed by nothing intact is the torn
 *   tail of an edit that was never acknowledged and is ignored; damage before intact records is
 *   corruption and is reported.
 * </pre>
 *
 * Requires: mutations ({@link #logAndApply}, {@link #newFileNumber}) under the store's mutex;
 * {@link #current()} from any thread.
 */
public final class VersionSet implements Closeable {

    private final FileSystem fs;
    private final Path dir;
    private final Runnable onVersionDead;
    private final Set<Version> liveVersions = ConcurrentHashMap.newKeySet();
    private volatile Version current;
    private long nextFileNumber = 2;
    private long logNumber;
    private long lastSequence;
    private long manifestNumber;
    private LogWriter manifest;

    private VersionSet(FileSystem fs, Path dir, Runnable onVersionDead) {
        this.fs = fs;
        this.dir = dir;
        this.onVersionDead = onVersionDead;
    }

    /**
     * Reads the store's state from {@code CURRENT} and its manifest, or starts an empty state when
     * the directory has no {@code CURRENT}. Nothing is written until the first {@link #logAndApply}.
     */
    public static VersionSet recover(FileSystem fs, Path dir, Runnable onVersionDead) throws IOException {
        VersionSet set = new VersionSet(fs, dir, onVersionDead);
        Path currentFile = dir.resolve(FileNames.CURRENT);
        if (!fs.exists(currentFile)) {
            // A first open that crashed before writing CURRENT leaves at most an empty WAL and a
            // manifest behind. Table files mean a store whose CURRENT was lost: starting afresh
            // would delete them as obsolete.
            for (String name : fs.list(dir)) {
                FileNames.Parsed parsed = FileNames.parse(name);
                if (parsed != null && parsed.kind() == FileNames.Kind.TABLE) {
                    throw new CorruptionException(currentFile, 0, "CURRENT is missing but the directory holds table"
                            + " files (" + name + "); refusing to start a new store over existing data");
                }
            }
            set.install(Version.emptyLevels());
            return set;
        }
        String manifestName = readCurrent(fs, currentFile);
        FileNames.Parsed parsed = FileNames.parse(manifestName);
        if (parsed == null || parsed.kind() != FileNames.Kind.MANIFEST) {
            throw new CorruptionException(currentFile, 0, "CURRENT does not name a manifest: '" + manifestName + "'");
        }
        Path manifestPath = dir.resolve(manifestName);
        if (!fs.exists(manifestPath)) {
            throw new CorruptionException(currentFile, 0, "CURRENT names " + manifestName + ", which does not exist");
        }
        List<List<FileMetadata>> levels = Version.emptyLevels();
        boolean sawNext = false;
        boolean sawLog = false;
        boolean sawSequence = false;
        try (LogReader reader = new LogReader(fs.openForRead(manifestPath), manifestPath, LogFormat.MANIFEST_MAGIC)) {
            for (byte[] record; (record = reader.nextUpToTornTail(false)) != null; ) {
                VersionEdit edit;
                try {
                    edit = VersionEdit.decode(record);
                } catch (IllegalArgumentException e) {
                    throw new CorruptionException(manifestPath, reader.validEnd() - record.length, e.getMessage(), e);
                }
                levels = Version.apply(levels, edit);
                if (edit.nextFileNumber >= 0) {
                    set.nextFileNumber = edit.nextFileNumber;
                    sawNext = true;
                }
                if (edit.logNumber >= 0) {
                    set.logNumber = edit.logNumber;
                    sawLog = true;
                }
                if (edit.lastSequence >= 0) {
                    set.lastSequence = edit.lastSequence;
                    sawSequence = true;
                }
            }
        }
        if (!sawNext || !sawLog || !sawSequence) {
            throw new CorruptionException(manifestPath, 0, "manifest lacks its snapshot record (next file "
                    + sawNext + ", log number " + sawLog + ", last sequence " + sawSequence + ")");
        }
        set.manifestNumber = parsed.number();
        set.nextFileNumber = Math.max(set.nextFileNumber, parsed.number() + 1);
        set.install(levels);
        return set;
    }

    private static String readCurrent(FileSystem fs, Path currentFile) throws IOException {
        long size = fs.size(currentFile);
        if (size == 0 || size > 256) {
            throw new CorruptionException(currentFile, 0, "CURRENT has " + size + " bytes; expected a manifest name");
        }
        byte[] bytes = new byte[(int) size];
        try (var file = fs.openForRead(currentFile)) {
            file.readFully(0, bytes, 0, bytes.length);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.endsWith("\n")) {
            throw new CorruptionException(currentFile, size, "CURRENT is not newline-terminated (torn write?)");
        }
        return text.substring(0, text.length() - 1);
    }

    /** Whether the directory held a store when recovery ran. */
    public boolean isNew() {
        return manifestNumber == 0;
    }

    public long newFileNumber() {
        return nextFileNumber++;
    }

    /** The oldest WAL number still needed: logs below it are flushed into tables. */
    public long logNumber() {
        return logNumber;
    }

    public long lastSequence() {
        return lastSequence;
    }

    public long manifestNumber() {
        return manifestNumber;
    }

    public Version current() {
        return current;
    }

    /**
     * Records {@code edit} (stamped with the next file number and {@code lastSequence}) durably in
     * the manifest, then makes the resulting version current. The first call of a session starts a
     * new manifest holding a full snapshot and points {@code CURRENT} at it.
     *
     * @throws IOException if the manifest could not be written or synced; the edit's effect on disk
     *         is then unknown and the caller must stop writing
     */
    public void logAndApply(VersionEdit edit, long lastSequence) throws IOException {
        if (edit.logNumber < 0) {
            edit.logNumber = logNumber;
        }
        edit.lastSequence = Math.max(lastSequence, this.lastSequence);
        List<List<FileMetadata>> levels = Version.apply(current.levels(), edit);
        if (manifest == null) {
            startManifest(levels, edit);
        } else {
            edit.nextFileNumber = nextFileNumber;
            byte[] record = edit.encode();
            manifest.addRecord(record, 0, record.length);
            manifest.sync();
        }
        logNumber = edit.logNumber;
        this.lastSequence = edit.lastSequence;
        install(levels);
    }

    private void startManifest(List<List<FileMetadata>> levels, VersionEdit edit) throws IOException {
        long number = newFileNumber();
        VersionEdit snapshot = new VersionEdit();
        snapshot.logNumber = edit.logNumber;
        snapshot.lastSequence = edit.lastSequence;
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            for (FileMetadata f : levels.get(level)) {
                snapshot.addFile(level, f);
            }
        }
        snapshot.nextFileNumber = nextFileNumber;
        Path path = FileNames.manifest(dir, number);
        WritableFile file = fs.create(path);
        LogWriter writer = new LogWriter(file, LogFormat.MANIFEST_MAGIC);
        try {
            byte[] record = snapshot.encode();
            writer.addRecord(record, 0, record.length);
            writer.sync();
            fs.syncDirectory(dir);
            setCurrent(number);
        } catch (IOException e) {
            writer.close();
            if (!currentNames(number)) {
                fs.delete(path); // never named by CURRENT: nothing can need it
            }
            throw e;
        }
        manifest = writer;
        manifestNumber = number;
    }

    private void setCurrent(long manifest) throws IOException {
        Path temp = FileNames.temp(dir, newFileNumber());
        byte[] content = (FileNames.manifestName(manifest) + "\n").getBytes(StandardCharsets.UTF_8);
        try (WritableFile file = fs.create(temp)) {
            file.append(content);
            file.sync();
        }
        fs.rename(temp, dir.resolve(FileNames.CURRENT));
        fs.syncDirectory(dir);
    }

    /** Whether CURRENT (as visible now) names {@code manifest}: then that manifest must be kept. */
    private boolean currentNames(long manifest) {
        try {
            return readCurrent(fs, dir.resolve(FileNames.CURRENT)).equals(FileNames.manifestName(manifest));
        } catch (IOException | RuntimeException e) {
            return true; // cannot tell: keeping an unneeded manifest is harmless, deleting a needed one is not
        }
    }

    private void install(List<List<FileMetadata>> levels) {
        Version next = new Version(levels, this::versionDied);
        liveVersions.add(next);
        Version previous = current;
        current = next;
        if (previous != null) {
            previous.unref();
        }
    }

    private void versionDied() {
        liveVersions.removeIf(v -> !v.isLive());
        onVersionDead.run();
    }

    /** Numbers of the table files some live version (current or pinned by a reader) lists. */
    public Set<Long> liveTableNumbers() {
        Set<Long> live = new HashSet<>();
        for (Version v : liveVersions) {
            for (List<FileMetadata> level : v.levels()) {
                for (FileMetadata f : level) {
                    live.add(f.number());
                }
            }
        }
        for (List<FileMetadata> level : current.levels()) {
            for (FileMetadata f : level) {
                live.add(f.number());
            }
        }
        return live;
    }

    /**
     * Checks that the WAL the manifest names as oldest needed and every table it lists are on
     * disk: the engine deletes them only after a manifest edit retiring them is durable. A missing
     * one means that edit was lost (a damaged manifest record that looked like a torn write), and
     * opening would silently drop data, so it is reported instead.
     *
     * @throws CorruptionException naming the manifest and the missing file
     */
    public void checkFilesPresent() throws IOException {
        if (isNew()) {
            return;
        }
        Set<String> present = new HashSet<>(fs.list(dir));
        Path manifestPath = FileNames.manifest(dir, manifestNumber);
        Path wal = FileNames.log(dir, logNumber);
        if (!present.contains(wal.getFileName().toString())) {
            throw new CorruptionException(manifestPath, 0, "the manifest names " + wal.getFileName()
                    + " as the oldest unflushed WAL but it does not exist: an edit of the manifest was lost");
        }
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            for (FileMetadata f : current.files(level)) {
                Path table = FileNames.table(dir, f.number());
                if (!present.contains(table.getFileName().toString())) {
                    throw new CorruptionException(manifestPath, 0, "the manifest lists table " + table.getFileName()
                            + " at level " + level + " but it does not exist");
                }
            }
        }
    }

    /**
     * Deletes the files nothing needs: WALs older than {@link #logNumber()}, tables no live
     * version lists and no running job is writing ({@code pendingOutputs}), old manifests and
     * leftover temp files. {@code evictTable} closes a table's reader before its file goes.
     */
    public void deleteObsoleteFiles(Set<Long> pendingOutputs, LongConsumer evictTable) throws IOException {
        Set<Long> liveTables = liveTableNumbers();
        liveTables.addAll(pendingOutputs);
        for (String name : fs.list(dir)) {
            FileNames.Parsed parsed = FileNames.parse(name);
            if (parsed == null) {
                continue;
            }
            boolean keep = switch (parsed.kind()) {
                case LOG -> parsed.number() >= logNumber;
                case TABLE -> liveTables.contains(parsed.number());
                case MANIFEST -> parsed.number() == manifestNumber;
                case TEMP -> false;
                case CURRENT, LOCK -> true;
            };
            if (!keep) {
                if (parsed.kind() == FileNames.Kind.TABLE) {
                    evictTable.accept(parsed.number());
                }
                fs.delete(dir.resolve(name));
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (manifest != null) {
            manifest.close();
            manifest = null;
        }
    }
}
