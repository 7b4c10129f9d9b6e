package io.kvstore.engine.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.engine.io.FaultInjectingFileSystem.Operation;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectingFileSystemTest {

    private static final Path DIR = Path.of("/db");
    private static final Path FILE = DIR.resolve("000001.log");

    private FaultInjectingFileSystem fs;

    @BeforeEach
    void setUp() throws IOException {
        fs = new FaultInjectingFileSystem();
        fs.createDirectories(DIR);
    }

    // ------------------------------------------------------------ power cut: content

    @Test
    void syncedAppendsSurvivePowerCut() throws IOException {
        try (WritableFile out = fs.create(FILE)) {
            out.append(bytes("hello"));
            out.sync();
        }
        fs.syncDirectory(DIR);

        fs.powerCut();

        assertThat(contents(FILE)).isEqualTo("hello");
    }

    @Test
    void unsyncedAppendsAreLostOnPowerCut() throws IOException {
        WritableFile out = fs.create(FILE);
        fs.syncDirectory(DIR);
        out.append(bytes("durable"));
        out.sync();
        out.append(bytes("-lost"));
        assertThat(contents(FILE)).isEqualTo("durable-lost");

        fs.powerCut();

        assertThat(contents(FILE)).isEqualTo("durable");
        assertThat(fs.fileSize(FILE)).isEqualTo(7);
    }

    @Test
    void neverSyncedFileIsEmptyAfterPowerCutEvenThoughItsNameSurvives() throws IOException {
        WritableFile out = fs.create(FILE);
        out.append(bytes("never synced"));
        fs.syncDirectory(DIR);

        fs.powerCut();

        assertThat(fs.exists(FILE)).isTrue();
        assertThat(fs.size(FILE)).isZero();
    }

    @Test
    void recreatingAFileBringsBackItsOldContentIfThePowerIsCutBeforeTheNextSync() throws IOException {
        write(FILE, "old");
        fs.syncDirectory(DIR);
        WritableFile out = fs.create(FILE);
        out.append(bytes("new"));
        assertThat(contents(FILE)).isEqualTo("new");

        fs.powerCut();
        assertThat(contents(FILE)).isEqualTo("old");

        WritableFile again = fs.create(FILE);
        again.append(bytes("newer"));
        again.sync();
        fs.powerCut();
        assertThat(contents(FILE)).isEqualTo("newer");
    }

    // ------------------------------------------------------------ power cut: names

    @Test
    void createdFileWithoutDirectorySyncVanishesOnPowerCut() throws IOException {
        write(FILE, "synced content, unsynced name");
        assertThat(fs.list(DIR)).containsExactly("000001.log");

        fs.powerCut();

        assertThat(fs.exists(FILE)).isFalse();
        assertThat(fs.list(DIR)).isEmpty();
        assertThatThrownBy(() -> fs.openForRead(FILE)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void deleteIsRevertedUnlessDirectorySynced() throws IOException {
        Path other = DIR.resolve("other");
        write(FILE, "a");
        write(other, "b");
        fs.syncDirectory(DIR);

        fs.delete(FILE);
        assertThat(fs.exists(FILE)).isFalse();
        fs.powerCut();
        assertThat(contents(FILE)).isEqualTo("a");

        fs.delete(other);
        fs.syncDirectory(DIR);
        fs.powerCut();
        assertThat(fs.exists(other)).isFalse();
        assertThat(fs.list(DIR)).containsExactly("000001.log");
    }

    @Test
    void renameIsRevertedUnlessDirectorySynced() throws IOException {
        Path tmp = DIR.resolve("CURRENT.tmp");
        Path current = DIR.resolve("CURRENT");
        write(current, "MANIFEST-1");
        fs.syncDirectory(DIR);
        write(tmp, "MANIFEST-2");
        fs.rename(tmp, current);
        assertThat(contents(current)).isEqualTo("MANIFEST-2");
        assertThat(fs.exists(tmp)).isFalse();

        fs.powerCut();

        assertThat(contents(current)).isEqualTo("MANIFEST-1");
        assertThat(fs.list(DIR)).containsExactly("CURRENT");
    }

    @Test
    void renameSurvivesPowerCutOnceDirectorySynced() throws IOException {
        Path tmp = DIR.resolve("CURRENT.tmp");
        Path current = DIR.resolve("CURRENT");
        write(current, "MANIFEST-1");
        fs.syncDirectory(DIR);
        write(tmp, "MANIFEST-2");
        fs.rename(tmp, current);
        fs.syncDirectory(DIR);

        fs.powerCut();

        assertThat(contents(current)).isEqualTo("MANIFEST-2");
        assertThat(fs.list(DIR)).containsExactly("CURRENT");
    }

    @Test
    void directoriesAreDurableAtOnce() throws IOException {
        Path sub = DIR.resolve("a/b");
        fs.createDirectories(sub);

        fs.powerCut();

        assertThat(fs.exists(sub)).isTrue();
        assertThat(fs.list(DIR)).containsExactly("a");
        assertThat(fs.list(sub)).isEmpty();
    }

    // ------------------------------------------------------------ torn power cut

    @Test
    void tornPowerCutKeepsAPrefixOfUnsyncedBytes() throws IOException {
        String durable = "durable|";
        String unsynced = "0123456789abcdefghij";
        Set<Integer> keptLengths = new HashSet<>();
        for (int seed = 0; seed < 200; seed++) {
            FaultInjectingFileSystem torn = new FaultInjectingFileSystem();
            torn.createDirectories(DIR);
            WritableFile out = torn.create(FILE);
            torn.syncDirectory(DIR);
            out.append(bytes(durable));
            out.sync();
            out.append(bytes(unsynced));

            torn.powerCut(new Random(seed));

            String after = contents(torn, FILE);
            assertThat(after).startsWith(durable);
            assertThat(durable + unsynced).startsWith(after);
            keptLengths.add(after.length() - durable.length());
        }
        assertThat(keptLengths).contains(0, unsynced.length()).hasSizeGreaterThan(10);
    }

    @Test
    void tornPowerCutIsReproducibleForTheSameSeed() throws IOException {
        List<String> first = tornWorkload(42);
        List<String> second = tornWorkload(42);

        assertThat(first).isEqualTo(second);
    }

    @Test
    void tornPowerCutStillDropsUnsyncedNames() throws IOException {
        write(FILE, "synced content");

        fs.powerCut(new Random(7));

        assertThat(fs.exists(FILE)).isFalse();
    }

    private List<String> tornWorkload(long seed) throws IOException {
        FaultInjectingFileSystem torn = new FaultInjectingFileSystem();
        torn.createDirectories(DIR);
        List<WritableFile> outs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WritableFile out = torn.create(DIR.resolve("f" + i));
            out.append(bytes("synced-" + i));
            out.sync();
            out.append(bytes("-unsynced-bytes-" + i));
            outs.add(out);
        }
        torn.syncDirectory(DIR);
        torn.powerCut(new Random(seed));
        List<String> result = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            result.add(contents(torn, DIR.resolve("f" + i)));
        }
        return result;
    }

    // ------------------------------------------------------------ after the cut

    @Test
    void handlesOpenedBeforeCutFail() throws IOException {
        write(FILE, "abc");
        fs.syncDirectory(DIR);
        WritableFile writer = fs.create(DIR.resolve("w"));
        ReadableFile reader = fs.openForRead(FILE);

        fs.powerCut();

        assertThatThrownBy(() -> writer.append(bytes("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("predates a power cut");
        assertThatThrownBy(writer::sync).isInstanceOf(IOException.class).hasMessageContaining("power cut");
        assertThatThrownBy(writer::size).isInstanceOf(UncheckedIOException.class).hasMessageContaining("power cut");
        assertThatThrownBy(() -> reader.readFully(0, new byte[1], 0, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("predates a power cut");
        assertThatThrownBy(reader::size).isInstanceOf(IOException.class).hasMessageContaining("power cut");
        assertThatCode(() -> {
            writer.close();
            reader.close();
        }).doesNotThrowAnyException();
        assertThat(fs.count(Operation.APPEND)).isEqualTo(1); // the stale append was not counted

        try (ReadableFile fresh = fs.openForRead(FILE)) {
            byte[] dst = new byte[3];
            fresh.readFully(0, dst, 0, 3);
            assertThat(new String(dst, UTF_8)).isEqualTo("abc");
        }
    }

    @Test
    void fileSystemIsUsableAfterPowerCut() throws IOException {
        write(FILE, "before");
        fs.syncDirectory(DIR);
        fs.powerCut();

        Path next = DIR.resolve("000002.log");
        write(next, "after");
        fs.syncDirectory(DIR);
        fs.powerCut();

        assertThat(fs.list(DIR)).containsExactlyInAnyOrder("000001.log", "000002.log");
        assertThat(contents(FILE)).isEqualTo("before");
        assertThat(contents(next)).isEqualTo("after");
    }

    // ------------------------------------------------------------ locks

    @Test
    void secondLockOfTheSamePathFailsUntilTheFirstIsClosed() throws Exception {
        Path lockFile = DIR.resolve("LOCK");
        AutoCloseable lock = fs.lock(lockFile);
        assertThat(fs.exists(lockFile)).isTrue();

        assertThatThrownBy(() -> fs.lock(lockFile))
                .isInstanceOf(FileLockedException.class)
                .satisfies(e -> assertThat(((FileLockedException) e).lockFile()).isEqualTo(lockFile));

        lock.close();
        AutoCloseable again = fs.lock(lockFile);
        again.close();
    }

    @Test
    void powerCutReleasesLocksAndAStaleHandleCannotReleaseTheNewHolder() throws Exception {
        Path lockFile = DIR.resolve("LOCK");
        AutoCloseable beforeCut = fs.lock(lockFile);

        fs.powerCut();

        AutoCloseable afterCut = fs.lock(lockFile);
        beforeCut.close();
        assertThatThrownBy(() -> fs.lock(lockFile)).isInstanceOf(FileLockedException.class);
        afterCut.close();
    }

    // ------------------------------------------------------------ injected failures

    @Test
    void nthSyncFails() throws IOException {
        WritableFile out = fs.create(FILE);
        fs.syncDirectory(DIR);
        fs.failNth(Operation.SYNC, 2);

        out.append(bytes("one"));
        out.sync();
        out.append(bytes("two"));
        assertThatThrownBy(out::sync)
                .isInstanceOf(IOException.class)
                .hasMessage("injected failure: SYNC #2 on " + FILE);
        out.append(bytes("three"));
        fs.powerCut();

        assertThat(contents(FILE)).isEqualTo("one"); // the failed sync made nothing durable
        assertThat(fs.count(Operation.SYNC)).isEqualTo(2);
    }

    @Test
    void nthCountsFromNowNotFromConstruction() throws IOException {
        WritableFile out = fs.create(FILE);
        out.sync();
        out.sync();

        fs.failNth(Operation.SYNC, 1);

        assertThatThrownBy(out::sync).hasMessage("injected failure: SYNC #3 on " + FILE);
        assertThatCode(out::sync).doesNotThrowAnyException();
    }

    @Test
    void failedAppendAppendsNothing() throws IOException {
        WritableFile out = fs.create(FILE);
        out.append(bytes("ab"));
        fs.failNth(Operation.APPEND, 1);

        assertThatThrownBy(() -> out.append(bytes("cd"))).hasMessageStartingWith("injected failure: APPEND #2");
        assertThat(out.size()).isEqualTo(2);
        out.append(bytes("ef"));
        assertThat(contents(FILE)).isEqualTo("abef");
    }

    @Test
    void failedRenameRenamesNothing() throws IOException {
        Path target = DIR.resolve("target");
        write(FILE, "x");
        fs.failNth(Operation.RENAME, 1);

        assertThatThrownBy(() -> fs.rename(FILE, target)).hasMessageStartingWith("injected failure: RENAME #1 on");

        assertThat(fs.exists(FILE)).isTrue();
        assertThat(fs.exists(target)).isFalse();
    }

    @Test
    void failedCreateAndDeleteHaveNoEffect() throws IOException {
        write(FILE, "keep");
        fs.failNth(Operation.CREATE, 1);
        fs.failNth(Operation.DELETE, 1);

        assertThatThrownBy(() -> fs.create(FILE)).hasMessage("injected failure: CREATE #2 on " + FILE);
        assertThatThrownBy(() -> fs.delete(FILE)).hasMessage("injected failure: DELETE #1 on " + FILE);

        assertThat(contents(FILE)).isEqualTo("keep");
    }

    @Test
    void failAlwaysFailsUntilFaultsAreCleared() throws IOException {
        fs.failAlways(Operation.SYNC_DIRECTORY);

        for (int i = 1; i <= 3; i++) {
            assertThatThrownBy(() -> fs.syncDirectory(DIR))
                    .hasMessage("injected failure: SYNC_DIRECTORY #" + i + " on " + DIR);
        }
        fs.clearFaults();

        assertThatCode(() -> fs.syncDirectory(DIR)).doesNotThrowAnyException();
        assertThat(fs.count(Operation.SYNC_DIRECTORY)).isEqualTo(4);
    }

    @Test
    void countLetsATestEnumerateEveryCrashPointOfAWorkload() throws IOException {
        FaultInjectingFileSystem counting = new FaultInjectingFileSystem();
        runWorkload(counting);
        long appends = counting.count(Operation.APPEND);
        assertThat(appends).isEqualTo(3);

        for (int n = 1; n <= appends; n++) {
            FaultInjectingFileSystem failing = new FaultInjectingFileSystem();
            failing.failNth(Operation.APPEND, n);
            assertThatThrownBy(() -> runWorkload(failing)).hasMessageContaining("APPEND #" + n);
            failing.powerCut();
            String survived = failing.exists(FILE) ? contents(failing, FILE) : "";
            assertThat("abc").startsWith(survived);
            assertThat(survived.length()).isLessThan(n);
        }
    }

    private static void runWorkload(FaultInjectingFileSystem target) throws IOException {
        target.createDirectories(DIR);
        try (WritableFile out = target.create(FILE)) {
            target.syncDirectory(DIR);
            for (String s : List.of("a", "b", "c")) {
                out.append(bytes(s));
                out.sync();
            }
        }
    }

    // ------------------------------------------------------------ flipped bytes

    @Test
    void flipByteChangesExactlyOneByte() throws IOException {
        byte[] original = bytes("0123456789");
        try (WritableFile out = fs.create(FILE)) {
            out.append(original);
            out.sync();
        }
        fs.syncDirectory(DIR);

        fs.flipByte(FILE, 4);

        byte[] expected = original.clone();
        expected[4] ^= (byte) 0xFF;
        assertThat(readAll(fs, FILE)).isEqualTo(expected);
        fs.powerCut(); // the durable copy is flipped too
        assertThat(readAll(fs, FILE)).isEqualTo(expected);
    }

    @Test
    void flipByteOutsideTheFileIsRejected() throws IOException {
        write(FILE, "abc");

        assertThatThrownBy(() -> fs.flipByte(FILE, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FILE.toString())
                .hasMessageContaining("3")
                .hasMessageContaining("size of 3");
        assertThatThrownBy(() -> fs.flipByte(FILE, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fs.flipByte(DIR.resolve("missing"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    }

    // ------------------------------------------------------------ ordinary file-system behaviour

    @Test
    void readingPastTheEndThrowsEofWithOffsets() throws IOException {
        write(FILE, "abc");
        try (ReadableFile in = fs.openForRead(FILE)) {
            assertThatThrownBy(() -> in.readFully(2, new byte[2], 0, 2))
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("offset 2")
                    .hasMessageContaining("offset 3");
            byte[] dst = new byte[4];
            in.readFully(1, dst, 2, 2);
            assertThat(new String(dst, 2, 2, UTF_8)).isEqualTo("bc");
        }
    }

    @Test
    void readerKeepsItsFileAcrossRenameAndDeleteAndSeesLaterAppends() throws IOException {
        WritableFile out = fs.create(FILE);
        out.append(bytes("abc"));
        ReadableFile in = fs.openForRead(FILE);
        Path renamed = DIR.resolve("renamed");

        fs.rename(FILE, renamed);
        fs.delete(renamed);
        out.append(bytes("def"));

        assertThat(fs.exists(renamed)).isFalse();
        assertThat(in.size()).isEqualTo(6);
        byte[] dst = new byte[6];
        in.readFully(0, dst, 0, 6);
        assertThat(new String(dst, UTF_8)).isEqualTo("abcdef");
    }

    @Test
    void renameReplacesAnExistingTarget() throws IOException {
        Path target = DIR.resolve("target");
        write(FILE, "new");
        write(target, "old");

        fs.rename(FILE, target);

        assertThat(fs.list(DIR)).containsExactly("target");
        assertThat(contents(target)).isEqualTo("new");
    }

    @Test
    void missingFilesAndDirectoriesAreReportedAsNoSuchFile() {
        Path missing = DIR.resolve("missing");

        assertThatThrownBy(() -> fs.create(Path.of("/nowhere/file"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> fs.openForRead(missing)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> fs.size(missing)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> fs.rename(missing, DIR.resolve("x"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> fs.list(Path.of("/nowhere"))).isInstanceOf(NoSuchFileException.class);
        assertThatCode(() -> fs.delete(missing)).doesNotThrowAnyException();
    }

    @Test
    void pathsAreNormalized() throws IOException {
        write(Path.of("/db/./sub/../000001.log"), "x");

        assertThat(fs.exists(FILE)).isTrue();
        assertThat(fs.list(Path.of("/db/"))).containsExactly("000001.log");
    }

    @Test
    void concurrentWritersAndReadersDoNotCorruptEachOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Path file = DIR.resolve("t" + t);
                futures.add(pool.submit(() -> {
                    try (WritableFile out = fs.create(file)) {
                        for (int i = 0; i < 2_000; i++) {
                            out.append(new byte[] {(byte) i});
                            if (i % 100 == 0) {
                                out.sync();
                                fs.syncDirectory(DIR);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int t = 0; t < 4; t++) {
            byte[] content = readAll(fs, DIR.resolve("t" + t));
            assertThat(content).hasSize(2_000);
            for (int i = 0; i < content.length; i++) {
                assertThat(content[i]).isEqualTo((byte) i);
            }
        }
        assertThat(fs.count(Operation.APPEND)).isEqualTo(8_000);
    }

    // ------------------------------------------------------------ helpers

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    /** Creates {@code file} with {@code content} and syncs it (but not its directory). */
    private void write(Path file, String content) throws IOException {
        try (WritableFile out = fs.create(file)) {
            out.append(bytes(content));
            out.sync();
        }
    }

    private String contents(Path file) throws IOException {
        return contents(fs, file);
    }

    private static String contents(FileSystem target, Path file) throws IOException {
        return new String(readAll(target, file), UTF_8);
    }

    private static byte[] readAll(FileSystem target, Path file) throws IOException {
        try (ReadableFile in = target.openForRead(file)) {
            byte[] dst = new byte[(int) in.size()];
            in.readFully(0, dst, 0, dst.length);
            return dst;
        }
    }
}
