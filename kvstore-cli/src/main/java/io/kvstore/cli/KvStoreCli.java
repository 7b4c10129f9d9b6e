package io.kvstore.cli;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.KvStoreException;
import io.kvstore.engine.KvStoreOptions;
import io.kvstore.engine.StoreLockedException;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.version.FileNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code kvstore} command: one store, many subcommands. The store is a directory opened in
 * this process ({@code --data-dir}), or an instance of a running application reached over its
 * REST API ({@code --url http://host:8080 --instance app}, HTTP Basic with {@code --user}); the
 * commands print the same either way (see {@link StoreAccess}). A few commands only make sense
 * on the store's own files ({@link LocalOnly}) and refuse remote mode.
 *
 * <pre>
 * Exit codes (script friendly; errors go to stderr):
 *   0 ok   1 not found   2 usage   3 corruption found   4 I/O error (or any other failure)
 * Remote mode: HTTP 404 -> 1, other 4xx -> 2, 500 "the store is damaged" -> 3,
 *              other 5xx or no connection -> 4; the server's problem detail goes to stderr.
 * </pre>
 *
 * Commands open the store, do their work and close it; {@code shell} keeps it open for a session.
 */
@Command(name = "kvstore", mixinStandardHelpOptions = true, versionProvider = KvStoreCli.Version.class,
        description = "Look into, change, back up and move data in and out of a KvStore directory (--data-dir) or an"
                + " instance of a running application (--url, --instance).",
        subcommands = {
            DataCommands.Get.class, DataCommands.Set.class, DataCommands.Del.class, DataCommands.Scan.class,
            DataCommands.Keys.class, DataCommands.Count.class, DataCommands.ListDir.class, DataCommands.Find.class,
            DataCommands.Batch.class, DataCommands.Dump.class, AdminCommands.Stats.class, AdminCommands.Compact.class,
            AdminCommands.Verify.class, AdminCommands.Backup.class, AdminCommands.Restore.class,
            AdminCommands.Import.class, AdminCommands.Export.class, IndexCommands.class, Shell.class,
            CommandLine.HelpCommand.class})
public final class KvStoreCli implements Runnable {

    public static final int OK = 0;
    public static final int NOT_FOUND = 1;
    public static final int USAGE = 2;
    public static final int CORRUPTION = 3;
    public static final int IO_ERROR = 4;

    @Spec
    CommandSpec spec;

    @Option(names = {"-d", "--data-dir"}, scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:KVSTORE_DATA_DIR}",
            description = "The store directory (default: $KVSTORE_DATA_DIR).")
    Path dataDir;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Remote mode: the application serving the REST API, e.g. http://localhost:8080"
                    + " (base path /db unless the URL has a path).")
    String url;

    @Option(names = "--instance", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The instance name in remote mode.")
    String instance;

    @Option(names = {"-u", "--user"}, scope = ScopeType.INHERIT, paramLabel = "NAME:PASSWORD",
            defaultValue = "${env:KVSTORE_USER}",
            description = "HTTP Basic credentials in remote mode (default: $KVSTORE_USER).")
    String user;

    @Option(names = "--codec", scope = ScopeType.INHERIT, paramLabel = "raw|json|bson", defaultValue = "raw",
            converter = CodecConverter.class, description = "The store's value codec (default: ${DEFAULT-VALUE}).")
    Codec codec = Codec.RAW;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print results as JSON.")
    boolean json;

    /** Standard input for commands that read it (batch, shell); tests substitute their own. */
    InputStream stdin = System.in;

    public static void main(String[] args) {
        System.exit(newCommandLine(new KvStoreCli()).execute(args));
    }

    /** A command line with the exit-code mapping and the remote-mode check in place. */
    public static CommandLine newCommandLine(KvStoreCli cli) {
        CommandLine cl = new CommandLine(cli);
        // An instance or directory may be called like a command (--instance shell, --data-dir list).
        cl.setAllowSubcommandsAsOptionParameters(true);
        cl.setExecutionStrategy(parseResult -> {
            cli.checkMode(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            int code = exitCode(e);
            err.println("kvstore: " + message(e));
            err.flush();
            return code;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command (kvstore help lists them)");
    }

    private void checkMode(CommandLine.ParseResult parseResult) {
        boolean dataDirGiven = false;
        CommandLine.ParseResult leaf = parseResult;
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            dataDirGiven |= r.hasMatchedOption("--data-dir");
            leaf = r;
        }
        if (url == null && instance != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--instance names an instance of a remote"
                    + " application: give its --url too (or use --data-dir for a local store)");
        }
        if (url != null && dataDirGiven) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --url (remote mode) or --data-dir"
                    + " (a local store), not both");
        }
        if (parseResult.subcommand() == null || parseResult.isUsageHelpRequested()
                || parseResult.isVersionHelpRequested()) {
            return;
        }
        if (leaf.isUsageHelpRequested() || leaf.commandSpec().name().equals("help")) {
            return;
        }
        if (url != null) {
            if (instance == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "remote mode needs --instance NAME"
                        + " (GET " + url + "/db lists the instances)");
            }
            if (leaf.commandSpec().userObject() instanceof LocalOnly local) {
                throw new CommandLine.ParameterException(leaf.commandSpec().commandLine(), leaf.commandSpec().name()
                        + " does not work in remote mode (--url): " + local.whyLocal());
            }
            return;
        }
        if (dataDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "name the store directory with --data-dir DIR (or set KVSTORE_DATA_DIR)");
        }
    }

    /**
     * The store the command acts on: the remote instance with {@code --url}, else the directory
     * opened here ({@code mustExist} refuses to create an empty store where none is).
     */
    StoreAccess access(boolean mustExist) {
        if (url != null) {
            return new RemoteAccess(url, instance, user);
        }
        return new EmbeddedAccess(open(mustExist));
    }

    /** Opens the store; {@code mustExist} refuses to create an empty store where none is. */
    KvStore open(boolean mustExist) {
        if (mustExist && !Files.exists(dataDir.resolve(FileNames.CURRENT))) {
            throw new NoStoreException(dataDir);
        }
        return KvStore.open(dataDir, KvStoreOptions.defaults().withCodec(codec));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    static int exitCode(Throwable e) {
        if (e instanceof RemoteAccess.RemoteException remote) {
            return remote.exitCode();
        }
        if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) {
            return USAGE;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CorruptionException) {
                return CORRUPTION;
            }
        }
        return IO_ERROR;
    }

    static String message(Throwable e) {
        if (e instanceof StoreLockedException || e instanceof KvStoreException || e instanceof IllegalArgumentException
                || e instanceof NoStoreException || e instanceof RemoteAccess.RemoteException) {
            return e.getMessage();
        }
        if (e instanceof UncheckedIOException || e instanceof IOException) {
            return "I/O error: " + (e.getCause() != null ? e.getCause() : e).toString();
        }
        return e.toString();
    }

    /** A command that works on the store's own files only, refused in remote mode with the reason. */
    interface LocalOnly {
        String whyLocal();
    }

    /** There is no store in the directory a read-only command was pointed at. */
    static final class NoStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoStoreException(Path dir) {
            super("no KvStore in " + dir.toAbsolutePath() + " (it has no CURRENT file); check --data-dir");
        }
    }

    static final class CodecConverter implements CommandLine.ITypeConverter<Codec> {
        @Override
        public Codec convert(String value) {
            return Codec.named(value);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KvStoreCli.class.getPackage().getImplementationVersion();
            return new String[] {"kvstore " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
