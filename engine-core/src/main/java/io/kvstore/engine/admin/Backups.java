package io.kvstore.engine.admin;

import io.kvstore.engine.Checkpoint;
import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreException;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.version.FileNames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Backup archives ({@code .tar.gz}) of a store and their restore.
 *
 * <pre>
 * archive := gzip( tar( kvstore-backup.json, file* ) )     see {@link Tar} and {@link BackupManifest}
 * file    := every file of a {@link KvStore#checkpoint checkpoint}: tables, one WAL, MANIFEST-M, CURRENT
 * </pre>
 *
 * Backup takes a checkpoint into a directory beside the store ({@code .<name>.backup-<n>}, so the
 * store's parent directory must be writable; tables are hard-linked, so it costs no copy), checksums each file, writes the archive to a temporary name and renames it into place,
 * then removes the checkpoint. Restore trusts nothing: entries must be regular files with plain
 * names the engine owns, listed in the manifest with the size and CRC32C they have; everything is
 * extracted and checked in a staging directory beside the target, opened once as a store, and
 * only then moved into the (absent or empty) target.
 */
public final class Backups {

    private Backups() {
    }

    /** Writes a backup of {@code store} to {@code archive} while writes go on; returns its manifest. */
    public static BackupManifest backup(KvStore store, Path archive) {
        if (!(store.options().fileSystem() instanceof io.kvstore.engine.io.NioFileSystem)) {
            // The archive is written with java.nio from the checkpoint's files, which must be real files.
            throw new IllegalArgumentException("backup needs a store on the real file system; " + store
                    + " uses " + store.options().fileSystem().getClass().getSimpleName() + " (use checkpoint instead)");
        }
        Path target = archive.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("backup archive " + target + " is a directory; name a file such as "
                    + target.resolve("backup.tar.gz"));
        }
        Path parent = store.directory().getParent();
        Path staging = parent.resolve("." + store.directory().getFileName() + ".backup-" + System.nanoTime());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Checkpoint checkpoint = store.checkpoint(staging);
            Instant createdAt = Instant.now();
            List<BackupManifest.FileEntry> files = new ArrayList<>();
            for (Path file : sortedFiles(staging)) {
                files.add(new BackupManifest.FileEntry(file.getFileName().toString(), Files.size(file), crc32c(file)));
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, createdAt,
                    checkpoint.sequence(), files);
            Files.createDirectories(target.getParent());
            long mtime = createdAt.getEpochSecond();
            try (OutputStream raw = Files.newOutputStream(temp);
                    GZIPOutputStream gzip = new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 16), 1 << 16)) {
                Tar.Writer tar = new Tar.Writer(gzip);
                byte[] json = manifest.toJson();
                tar.header(BackupManifest.ENTRY_NAME, json.length, mtime);
                gzip.write(json);
                tar.pad(json.length);
                for (BackupManifest.FileEntry f : files) {
                    tar.header(f.name(), f.size(), mtime);
                    try (InputStream in = Files.newInputStream(staging.resolve(f.name()))) {
                        long copied = in.transferTo(gzip);
                        if (copied != f.size()) {
                            throw new IOException(f.name() + " changed size while being archived");
                        }
                    }
                    tar.pad(f.size());
                }
                tar.finish();
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } catch (IOException e) {
            throw new KvStoreException("backup of " + store.directory() + " to " + target + " failed: " + e, e);
        } finally {
            deleteQuietly(temp);
            deleteTree(staging);
        }
    }

    /**
     * Restores the backup {@code archive} into {@code dataDir}, which must not exist or be empty.
     * Every entry is checked against the archive's manifest before anything is placed in
     * {@code dataDir}; on any failure {@code dataDir} is left as it was.
     *
     * @throws CorruptionException      naming the archive entry whose size or checksum is wrong, or an
     *                                  entry that is not a plain regular file (absolute path, {@code ..}, link)
     * @throws IllegalArgumentException if {@code dataDir} is not empty
     */
    public static BackupManifest restore(Path archive, Path dataDir, KvStoreOptions options) {
        Path source = archive.toAbsolutePath().normalize();
        Path target = dataDir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            throw new IllegalArgumentException("backup archive " + source + " does not exist or is not a file");
        }
        checkEmptyTarget(target);
        Path parent = target.getParent();
        Path staging = parent.resolve("." + target.getFileName() + ".restore-" + System.nanoTime());
        try {
            Files.createDirectories(parent);
            Files.createDirectory(staging);
            BackupManifest manifest = extract(source, staging);
            // The files are what the manifest says; opening proves they form a store.
            try (KvStore restored = KvStore.open(staging, options)) {
                if (restored.stats().lastSequence() < manifest.lastSequence()) {
                    throw new CorruptionException(source, -1, "the restored store ends at sequence "
                            + restored.stats().lastSequence() + ", the manifest promises " + manifest.lastSequence());
                }
            }
            place(staging, target);
            return manifest;
        } catch (IOException e) {
            throw new KvStoreException("restore of " + source + " into " + target + " failed: " + e, e);
        } finally {
            deleteTree(staging);
        }
    }

    private static void checkEmptyTarget(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException("restore target " + target + " is a file, not a directory");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("restore target " + target
                        + " is not empty; restore only into a new or empty directory");
            }
        } catch (IOException e) {
            throw new KvStoreException("cannot read restore target " + target + ": " + e, e);
        }
    }

    private static BackupManifest extract(Path archive, Path staging) throws IOException {
        try (InputStream raw = Files.newInputStream(archive);
                InputStream gzip = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
            Tar.Reader tar = new Tar.Reader(gzip);
            Tar.Header first = tar.next();
            if (first == null || !first.name().equals(BackupManifest.ENTRY_NAME) || !first.isRegularFile()) {
                throw new CorruptionException(archive, 0, "the archive does not start with "
                        + BackupManifest.ENTRY_NAME + (first == null ? "" : " (found '" + first.name() + "')"));
            }
            if (first.size() > 64 << 20) {
                throw new CorruptionException(archive, first.offset(), BackupManifest.ENTRY_NAME + " is "
                        + first.size() + " bytes; too large to be a manifest");
            }
            BackupManifest manifest;
            try {
                manifest = BackupManifest.parse(tar.data().readAllBytes());
            } catch (IllegalArgumentException e) {
                throw new CorruptionException(archive, first.offset(), e.getMessage(), e);
            }
            Map<String, BackupManifest.FileEntry> expected = new HashMap<>();
            for (BackupManifest.FileEntry f : manifest.files()) {
                checkName(archive, 0, f.name());
                if (expected.put(f.name(), f) != null) {
                    throw new CorruptionException(archive, 0, "the manifest lists " + f.name() + " twice");
                }
            }
            for (Tar.Header h; (h = tar.next()) != null; ) {
                checkName(archive, h.offset(), h.name());
                if (!h.isRegularFile()) {
                    throw new CorruptionException(archive, h.offset(), "entry '" + h.name() + "' is "
                            + describeType(h) + "; a backup holds regular files only");
                }
                BackupManifest.FileEntry f = expected.remove(h.name());
                if (f == null) {
                    throw new CorruptionException(archive, h.offset(), "entry '" + h.name()
                            + "' is not listed in the manifest (or appears twice)");
                }
                if (h.size() != f.size()) {
                    throw new CorruptionException(archive, h.offset(), "entry '" + h.name() + "' has " + h.size()
                            + " bytes; the manifest says " + f.size());
                }
                CRC32C crc = new CRC32C();
                try (InputStream in = tar.data();
                        OutputStream out = Files.newOutputStream(staging.resolve(h.name()),
                                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        crc.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                    }
                }
                if ((int) crc.getValue() != f.crc32c()) {
                    throw new CorruptionException(archive, h.offset(), String.format(
                            "entry '%s' has CRC32C %08x; the manifest says %08x: the backup is damaged",
                            h.name(), (int) crc.getValue(), f.crc32c()));
                }
                try (FileChannel channel = FileChannel.open(staging.resolve(h.name()), StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            if (!expected.isEmpty()) {
                throw new CorruptionException(archive, -1, "the archive lacks files its manifest lists: "
                        + expected.keySet());
            }
            return manifest;
        } catch (java.util.zip.ZipException e) {
            throw new CorruptionException(archive, -1, "not a gzip archive or a damaged one: " + e.getMessage(), e);
        } catch (java.io.EOFException e) { // the gzip stream or the tar inside it ends early
            throw new CorruptionException(archive, -1, "the archive is truncated: " + e.getMessage(), e);
        }
    }

    /** Accepts only a plain file name the engine owns (or the manifest): no directories, no way out. */
    private static void checkName(Path archive, long offset, String name) {
        if (name.isEmpty()) {
            throw new CorruptionException(archive, offset, "an entry has an empty name");
        }
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':')) {
            throw new CorruptionException(archive, offset, "entry '" + name + "' has an absolute path");
        }
        for (String part : name.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw new CorruptionException(archive, offset, "entry '" + name
                        + "' contains '..' and would escape the restore directory");
            }
        }
        if (name.contains("/") || name.contains("\\")) {
            throw new CorruptionException(archive, offset, "entry '" + name
                    + "' is in a subdirectory; a backup holds the store's files only");
        }
        FileNames.Parsed parsed = FileNames.parse(name);
        if (!name.equals(BackupManifest.ENTRY_NAME) && (parsed == null || parsed.kind() == FileNames.Kind.LOCK
                || parsed.kind() == FileNames.Kind.TEMP)) {
            throw new CorruptionException(archive, offset, "entry '" + name + "' is not a store file");
        }
    }

    private static String describeType(Tar.Header h) {
        return switch (h.type()) {
            case '1' -> "a hard link to '" + h.linkName() + "'";
            case '2' -> "a symbolic link to '" + h.linkName() + "'";
            case '5' -> "a directory";
            case 'x', 'g' -> "a pax extended header";
            default -> "of tar type '" + (char) h.type() + "'";
        };
    }

    /** Moves the checked files into {@code target}: one rename when it does not exist, file by file otherwise. */
    private static void place(Path staging, Path target) throws IOException {
        if (!Files.exists(target)) {
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileAlreadyExistsException e) {
                checkEmptyTarget(target); // created meanwhile: go on only if it is still empty
            }
        }
        List<Path> files = sortedFiles(staging);
        // CURRENT last: until it is there, the target is no store.
        files.sort(Comparator.comparing(p -> p.getFileName().toString().equals(FileNames.CURRENT)));
        for (Path file : files) {
            Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        try (FileChannel dir = FileChannel.open(target, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory for sync; the moves are done
        }
    }

    private static List<Path> sortedFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals(FileNames.LOCK)) {
                    files.add(p);
                }
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return files;
    }

    static int crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return (int) crc.getValue();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(Backups::deleteQuietly);
        } catch (IOException ignored) {
            // as above
        }
    }
}
