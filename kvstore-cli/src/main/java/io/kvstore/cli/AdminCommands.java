package io.kvstore.cli;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.KvStoreStats;
import io.kvstore.engine.VerifyReport;
import io.kvstore.engine.admin.BackupManifest;
import io.kvstore.engine.admin.DataFormat;
import io.kvstore.engine.admin.ExportOptions;
import io.kvstore.engine.admin.Exporter;
import io.kvstore.engine.admin.ImportOptions;
import io.kvstore.engine.admin.Importer;
import io.kvstore.engine.admin.TransferReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Commands that look after the store as a whole. */
final class AdminCommands {

    private AdminCommands() {
    }

    static Map<String, Object> stats(KvStoreStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lastSequence", s.lastSequence());
        m.put("entriesWritten", s.entriesWritten());
        m.put("memtableBytes", s.memtableBytes() + s.immutableMemtableBytes()); // as the REST API counts it
        m.put("tableFilesPerLevel", s.tableFilesPerLevel());
        m.put("tableBytesPerLevel", s.tableBytesPerLevel());
        m.put("tableFiles", s.tableFiles());
        m.put("tableBytes", s.tableBytes());
        m.put("walBytes", s.walBytes());
        m.put("bytesOnDisk", s.bytesOnDisk());
        m.put("flushes", s.flushes());
        m.put("compactions", s.compactions());
        m.put("pendingCompactionBytes", s.pendingCompactionBytes());
        m.put("writeAmplification", Math.round(s.writeAmplification() * 100) / 100.0);
        m.put("openSnapshots", s.openSnapshots());
        return m;
    }

    static void printStats(Map<String, Object> s, boolean json, PrintWriter out) {
        if (json) {
            out.println(Output.toJson(s));
            return;
        }
        out.printf("last sequence      %d%n", number(s, "lastSequence"));
        out.printf("table files        %d (%s) per level %s%n", number(s, "tableFiles"),
                Output.bytes(number(s, "tableBytes")), s.get("tableFilesPerLevel"));
        out.printf("memtable           %s%n", Output.bytes(number(s, "memtableBytes")));
        out.printf("write-ahead log    %s%n", Output.bytes(number(s, "walBytes")));
        out.printf("on disk            %s%n", Output.bytes(number(s, "bytesOnDisk")));
        out.printf("pending compaction %s%n", Output.bytes(number(s, "pendingCompactionBytes")));
    }

    private static long number(Map<String, Object> stats, String name) {
        return ((Number) stats.get(name)).longValue();
    }

    @Command(name = "stats", description = "Print the store's counters and file layout.")
    static final class Stats extends DataCommands.StoreCommand {
        @Override
        int run(StoreAccess db, PrintWriter out) {
            printStats(db.stats(), root.json, out);
            return KvStoreCli.OK;
        }
    }

    @Command(name = "compact", description = "Flush and compact every table file.")
    static final class Compact extends DataCommands.StoreCommand {
        @Override
        int run(StoreAccess db, PrintWriter out) throws Exception {
            Map<String, Object> before = db.stats();
            Progress.during("compacting", root.json, () -> {
                db.compact();
                return null;
            });
            Map<String, Object> after = db.stats();
            if (root.json) {
                out.println(Output.toJson(Map.of("before", before, "after", after)));
            } else {
                out.printf("compacted: %d files (%s) -> %d files (%s)%n", number(before, "tableFiles"),
                        Output.bytes(number(before, "tableBytes")), number(after, "tableFiles"),
                        Output.bytes(number(after, "tableBytes")));
            }
            return KvStoreCli.OK;
        }
    }

    @Command(name = "verify", description = "Read and check every live file (exit 3 when anything is damaged).")
    static final class Verify extends DataCommands.StoreCommand {
        @Override
        int run(StoreAccess db, PrintWriter out) throws Exception {
            VerifyReport report = Progress.during("verifying", root.json, db::verify);
            if (root.json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", report.ok());
                m.put("tablesChecked", report.tablesChecked());
                m.put("walRecordsChecked", report.walRecordsChecked());
                m.put("problems", report.problems().stream().map(p -> Map.of("file", p.file().toString(),
                        "offset", p.offset(), "description", p.description())).toList());
                out.println(Output.toJson(m));
            } else {
                out.printf("checked %d tables and %d WAL records: %s%n", report.tablesChecked(),
                        report.walRecordsChecked(), report.ok() ? "OK" : report.problems().size() + " problem(s)");
            }
            if (!report.ok()) {
                PrintWriter err = root.spec.commandLine().getErr();
                report.problems().forEach(p -> err.println("kvstore: corruption: " + p));
                return KvStoreCli.CORRUPTION;
            }
            return KvStoreCli.OK;
        }
    }

    @Command(name = "backup", description = "Write a .tar.gz backup of a consistent checkpoint while writes go on"
            + " (remote mode: into the server's kvstore.backup.directory, no ARCHIVE).")
    static final class Backup extends DataCommands.StoreCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ARCHIVE", description = "e.g. backups/app-2026-12-05.tar.gz")
        Path archive;

        @Override
        int run(StoreAccess db, PrintWriter out) throws Exception {
            StoreAccess.BackupResult m = Progress.during("backing up", root.json, () -> db.backup(archive));
            if (root.json) {
                out.println(Output.toJson(Map.of("archive", m.archive(), "lastSequence", m.lastSequence(),
                        "files", m.files(), "bytes", m.bytes(), "createdAt", m.createdAt())));
            } else {
                out.printf("backup %s: %d files, %s, up to sequence %d%n", m.archive(), m.files(),
                        Output.bytes(m.bytes()), m.lastSequence());
            }
            return KvStoreCli.OK;
        }
    }

    @Command(name = "restore", description = "Restore a backup archive into --data-dir (which must be absent or empty).")
    static final class Restore implements Callable<Integer>, KvStoreCli.LocalOnly {
        @ParentCommand
        KvStoreCli root;

        @Parameters(index = "0", paramLabel = "ARCHIVE")
        Path archive;

        @Override
        public String whyLocal() {
            return "restore writes a new store directory on this machine; run it with --data-dir on the server's host"
                    + " (with the application stopped, or into a new directory)";
        }

        @Override
        public Integer call() throws Exception {
            BackupManifest m = Progress.during("restoring", root.json, () -> KvStore.restore(archive, root.dataDir,
                    KvStoreOptions.defaults().withCodec(root.codec)));
            PrintWriter out = root.out();
            if (root.json) {
                out.println(Output.toJson(Map.of("dataDir", root.dataDir.toString(), "lastSequence", m.lastSequence(),
                        "files", m.files().size(), "createdAt", m.createdAt().toString())));
            } else {
                out.printf("restored %s into %s: %d files verified, up to sequence %d (backup of %s)%n", archive,
                        root.dataDir, m.files().size(), m.lastSequence(), m.createdAt());
            }
            return KvStoreCli.OK;
        }
    }

    static void printReport(String what, TransferReport r, boolean json, PrintWriter out) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", r.format().extension());
            m.put("records", r.records());
            m.put("written", r.written());
            m.put("failed", r.failed());
            m.put("batches", r.batches());
            m.put("millis", r.elapsed().toMillis());
            m.put("errorsFile", r.errorsFile() == null ? null : r.errorsFile().toString());
            out.println(Output.toJson(m));
        } else {
            out.printf("%s %d of %d records (%s) in %.2fs, %d failed%s%n", what, r.written(), r.records(),
                    r.format().extension(), r.elapsed().toMillis() / 1000.0, r.failed(),
                    r.errorsFile() == null ? "" : "; bad rows in " + r.errorsFile());
        }
    }

    @Command(name = "import", description = "Import records from NDJSON, JSON, CSV, YAML, BSON or SQLite (streaming,"
            + " batched; remotely through a temporary local store and REST batches).")
    static final class Import extends DataCommands.StoreCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--format", paramLabel = "FORMAT", description = "ndjson, json, csv, yaml or bson (default: detected).")
        String format;

        @Option(names = "--key-field", defaultValue = "_id", description = "Field holding the key (default: ${DEFAULT-VALUE});"
                + " a record without it gets a UUID.")
        String keyField;

        @Option(names = "--key-template", paramLabel = "TEMPLATE", description = "Build keys from fields, e.g. users:{id}.")
        String keyTemplate;

        @Option(names = "--skip-errors", description = "Write bad rows to FILE.errors.jsonl and go on.")
        boolean skipErrors;

        @Option(names = "--batch-size", defaultValue = "1000")
        int batchSize;

        @Option(names = "--delimiter", paramLabel = "CHAR", description = "CSV cell separator (default: , or tab for .tsv).")
        Character delimiter;

        @Option(names = "--sql", paramLabel = "TABLE|QUERY", description = "SQLite: the table or SELECT query to read"
                + " (default: the only table).")
        String sql;

        @Override
        boolean creates() {
            return true;
        }

        @Override
        int run(StoreAccess access, PrintWriter out) {
            ImportOptions o = ImportOptions.defaults().withKeyField(keyField).withKeyTemplate(keyTemplate)
                    .withSkipErrors(skipErrors).withBatchSize(batchSize).withSqlSource(sql)
                    .withFormat(format == null ? null : DataFormat.named(format));
            if (delimiter != null) {
                o = o.withCsvDelimiter(delimiter);
            }
            Progress progress = new Progress("importing", root.json);
            TransferReport r = access instanceof EmbeddedAccess local ? Importer.importFile(local.store(), file, o, progress)
                    : RemoteTransfer.importFile(access, file, o, progress);
            progress.done();
            printReport("imported", r, root.json, out);
            return KvStoreCli.OK;
        }
    }

    @Command(name = "export", description = "Export records to NDJSON, JSON, CSV, YAML, BSON or SQLite (format from the extension).")
    static final class Export extends DataCommands.StoreCommand {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--format", paramLabel = "FORMAT")
        String format;

        @Option(names = "--prefix", paramLabel = "PREFIX")
        String prefix;

        @Option(names = "--key-field", defaultValue = "_id")
        String keyField;

        @Option(names = "--delimiter", paramLabel = "CHAR")
        Character delimiter;

        @Option(names = "--table", paramLabel = "NAME", defaultValue = "kvstore",
                description = "SQLite: the table to create (default: ${DEFAULT-VALUE}).")
        String table;

        @Override
        int run(StoreAccess access, PrintWriter out) {
            ExportOptions o = ExportOptions.defaults().withKeyField(keyField).withSqlTable(table)
                    .withRange(EmbeddedAccess.keyRange(StoreAccess.Range.prefix(prefix)))
                    .withFormat(format == null ? null : DataFormat.named(format));
            if (delimiter != null) {
                o = o.withCsvDelimiter(delimiter);
            }
            Progress progress = new Progress("exporting", root.json);
            TransferReport r = access instanceof EmbeddedAccess local ? Exporter.exportFile(local.store(), file, o, progress)
                    : RemoteTransfer.exportFile(access, prefix, file, o, progress);
            progress.done();
            printReport("exported", r, root.json, out);
            return KvStoreCli.OK;
        }
    }

}
