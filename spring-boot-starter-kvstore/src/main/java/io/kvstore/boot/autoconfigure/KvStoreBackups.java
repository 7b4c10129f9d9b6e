package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.admin.BackupManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backup action shared by the actuator endpoint and the REST API: a {@link KvStore#backup}
 * archive written into the instance's configured directory ({@code kvstore.instances.<name>.backup-directory},
 * else {@code kvstore.backup.directory}) as {@code <instance>-<yyyyMMdd'T'HHmmss.SSS'Z'>-<last sequence>.tar.gz}.
 * An existing archive is never replaced: the name gets a {@code -2}, {@code -3}, … suffix instead.
 */
public final class KvStoreBackups {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final KvStoreProperties properties;

    public KvStoreBackups(KvStoreProperties properties) {
        this.properties = properties;
    }

    /** Backups with no directory configured: every backup is refused, naming the property. */
    public static KvStoreBackups unconfigured() {
        return new KvStoreBackups(new KvStoreProperties());
    }

    /** The directory the instance's archives go into, or {@code null} when none is configured. */
    public Path directory(String instance) {
        KvStoreProperties.Instance own = properties.getInstances().get(instance);
        if (own != null && own.getBackupDirectory() != null) {
            return own.getBackupDirectory();
        }
        return properties.getBackup().getDirectory();
    }

    /**
     * Writes a backup of {@code store} (while writes go on) into the instance's directory.
     *
     * @throws BackupNotConfiguredException when no directory is configured for the instance
     */
    public Result backup(String instance, KvStore store) {
        Path dir = directory(instance);
        if (dir == null) {
            throw new BackupNotConfiguredException(instance);
        }
        Path directory = dir.toAbsolutePath().normalize();
        // Written under a hidden name first: the final name carries the archive's last sequence.
        Path partial = directory.resolve("." + instance + "-" + System.nanoTime() + ".partial.tar.gz");
        BackupManifest manifest = store.backup(partial);
        String base = instance + "-" + STAMP.format(manifest.createdAt()) + "-" + manifest.lastSequence();
        try {
            for (int n = 1; ; n++) {
                Path target = directory.resolve(base + (n == 1 ? "" : "-" + n) + ".tar.gz");
                try {
                    // Without REPLACE_EXISTING a move refuses an existing target: no archive is overwritten.
                    Files.move(partial, target);
                    return new Result(target, manifest);
                } catch (FileAlreadyExistsException e) {
                    // taken by an earlier backup in the same millisecond: try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot name the backup archive in " + directory + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // left behind under its hidden name; the next backup is not affected
            }
        }
    }

    /** A written archive and its manifest. */
    public record Result(Path archive, BackupManifest manifest) {

        /** The answer of the backup action: archive path, last sequence, file count, bytes, creation time. */
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("archive", archive.toString());
            m.put("lastSequence", manifest.lastSequence());
            m.put("files", manifest.files().size());
            m.put("bytes", manifest.totalBytes());
            m.put("createdAt", manifest.createdAt().toString());
            return m;
        }
    }

    /** A backup was asked for an instance with no backup directory configured. */
    public static final class BackupNotConfiguredException extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        BackupNotConfiguredException(String instance) {
            super("no backup directory is configured for instance '" + instance + "'; set kvstore.backup.directory"
                    + " (or kvstore.instances." + instance + ".backup-directory)");
        }
    }
}
