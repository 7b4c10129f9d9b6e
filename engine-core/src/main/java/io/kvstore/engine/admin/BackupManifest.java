package io.kvstore.engine.admin;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The manifest of a backup archive, stored as its first entry {@value #ENTRY_NAME}:
 *
 * <pre>{@code
 * {
 *   "format": "kvstore-backup",
 *   "formatVersion": 1,
 *   "createdAt": "2026-12-05T14:30:00Z",
 *   "lastSequence": 4711,
 *   "files": [ {"name": "000012.sst", "size": 65536, "crc32c": "1a2b3c4d"}, ... ]
 * }
 * }</pre>
 *
 * {@code crc32c} is the CRC32C of the whole file as 8 lower-case hex digits. Unknown fields are
 * ignored; a newer {@code formatVersion} is refused.
 *
 * @param formatVersion the archive format version
 * @param createdAt     when the checkpoint behind the archive was taken
 * @param lastSequence  the last sequence number the backup holds
 * @param files         every store file in the archive
 */
public record BackupManifest(int formatVersion, Instant createdAt, long lastSequence, List<FileEntry> files) {

    public static final String ENTRY_NAME = "kvstore-backup.json";
    public static final String FORMAT = "kvstore-backup";
    public static final int FORMAT_VERSION = 1;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** One file of the backup. */
    public record FileEntry(String name, long size, int crc32c) {
    }

    public BackupManifest {
        files = List.copyOf(files);
    }

    /** Total bytes of the store files. */
    public long totalBytes() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("format", FORMAT);
            g.writeNumberProperty("formatVersion", formatVersion);
            g.writeStringProperty("createdAt", createdAt.toString());
            g.writeNumberProperty("lastSequence", lastSequence);
            g.writeArrayPropertyStart("files");
            for (FileEntry f : files) {
                g.writeStartObject();
                g.writeStringProperty("name", f.name());
                g.writeNumberProperty("size", f.size());
                g.writeStringProperty("crc32c", String.format("%08x", f.crc32c()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Parses a manifest; {@link IllegalArgumentException} names what is missing or malformed. */
    static BackupManifest parse(byte[] json) {
        String format = null;
        int version = -1;
        Instant createdAt = null;
        long lastSequence = -1;
        List<FileEntry> files = null;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the manifest");
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "format" -> format = p.getValueAsString();
                    case "formatVersion" -> version = p.getIntValue();
                    case "createdAt" -> createdAt = Instant.parse(p.getValueAsString());
                    case "lastSequence" -> lastSequence = p.getLongValue();
                    case "files" -> {
                        expect(value, JsonToken.START_ARRAY, "files");
                        files = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            files.add(parseFile(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (tools.jackson.core.JacksonException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("malformed " + ENTRY_NAME + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(ENTRY_NAME + " is not a KvStore backup manifest (format '" + format + "')");
        }
        if (version < 1) {
            throw new IllegalArgumentException(ENTRY_NAME + " lacks its formatVersion");
        }
        if (version > FORMAT_VERSION) {
            throw new IllegalArgumentException("backup format version " + version + " is newer than this build reads ("
                    + FORMAT_VERSION + ")");
        }
        if (createdAt == null || lastSequence < 0 || files == null) {
            throw new IllegalArgumentException(ENTRY_NAME + " lacks createdAt, lastSequence or files");
        }
        return new BackupManifest(version, createdAt, lastSequence, files);
    }

    private static FileEntry parseFile(JsonParser p) {
        String name = null;
        long size = -1;
        String crc = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = p.getValueAsString();
                case "size" -> size = p.getLongValue();
                case "crc32c" -> crc = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        if (name == null || size < 0 || crc == null || !crc.matches("[0-9a-f]{8}")) {
            throw new IllegalArgumentException(ENTRY_NAME + " has a file entry without a name, size or 8-digit"
                    + " crc32c (name " + name + ")");
        }
        return new FileEntry(name, size, Integer.parseUnsignedInt(crc, 16));
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException(ENTRY_NAME + ": " + what + " must start with " + expected
                    + ", found " + actual);
        }
    }
}
