package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input fails at once, with the exception type the contract names and a message naming the
 * argument or the limit, and without changing the store; so does any use of a closed store; and one
 * directory is open in one {@link KvStore} at a time, across processes too.
 */
class KvStoreArgumentsTest {

    @TempDir
    Path dir;

    @TempDir
    Path otherDir;

    /** Where the child processes' stderr goes. */
    @TempDir
    Path scratch;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void destroyChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(1, TimeUnit.MINUTES);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static KvStoreOptions small() {
        return KvStoreOptions.defaults().withSyncMode(SyncMode.NONE);
    }

    /** Every listed call fails with {@code type}, with a message containing each of {@code parts}. */
    private static void assertEachFails(Class<? extends Throwable> type, List<ThrowingCallable> calls,
            String... parts) {
        for (int i = 0; i < calls.size(); i++) {
            assertThatThrownBy(calls.get(i)).as("call #%d", i).isExactlyInstanceOf(type).message().contains(parts);
        }
    }

    // ---------------------------------------------------------------- keys and values

    @Test
    void nullKeyIsRefusedWithKeyMustNotBeNull() {
        try (KvStore db = KvStore.open(dir, small()); Snapshot s = db.snapshot()) {
            assertEachFails(NullPointerException.class, List.of(
                    () -> db.put((byte[]) null, b("v")),
                    () -> db.put((String) null, b("v")),
                    () -> db.put((String) null, "v"),
                    () -> db.get((byte[]) null),
                    () -> db.get((String) null),
                    () -> db.get((byte[]) null, s),
                    () -> db.get((String) null, s),
                    () -> db.delete((byte[]) null),
                    () -> db.delete((String) null),
                    () -> new WriteBatch().put((byte[]) null, b("v")),
                    () -> new WriteBatch().put((String) null, "v"),
                    () -> new WriteBatch().delete((byte[]) null),
                    () -> new WriteBatch().delete((String) null)),
                    "key must not be null");
            assertThat(db.stats().lastSequence()).as("nothing was written").isZero();
        }
    }

    @Test
    void emptyKeyIsRefusedAsByteArrayAndAsString() {
        try (KvStore db = KvStore.open(dir, small()); Snapshot s = db.snapshot()) {
            assertEachFails(IllegalArgumentException.class, List.of(
                    () -> db.put(new byte[0], b("v")),
                    () -> db.put("", b("v")),
                    () -> db.put("", "v"),
                    () -> db.get(new byte[0]),
                    () -> db.get(""),
                    () -> db.get(new byte[0], s),
                    () -> db.get("", s),
                    () -> db.delete(new byte[0]),
                    () -> db.delete(""),
                    () -> new WriteBatch().put(new byte[0], b("v")),
                    () -> new WriteBatch().put("", "v"),
                    () -> new WriteBatch().delete(new byte[0]),
                    () -> new WriteBatch().delete("")),
                    "key must not be empty");
            assertThat(db.stats().lastSequence()).as("nothing was written").isZero();
        }
    }

    @Test
    void nullValueIsRefusedButAnEmptyValueIsStored() {
        try (KvStore db = KvStore.open(dir, small())) {
            assertEachFails(NullPointerException.class, List.of(
                    () -> db.put(b("k"), null),
                    () -> db.put("k", (byte[]) null),
                    () -> db.put("k", (String) null),
                    () -> new WriteBatch().put(b("k"), null),
                    () -> new WriteBatch().put("k", (String) null)),
                    "value must not be null");
            assertThat(db.get("k")).isNull();

            db.put("k", new byte[0]);
            assertThat(db.get("k")).isEmpty();
        }
    }

    @Test
    void keyOverMaxKeySizeIsRefusedNamingItsSizeAndTheLimit() {
        KvStoreOptions options = small().withMaxKeySize(8);
        try (KvStore db = KvStore.open(dir, options)) {
            byte[] nine = b("123456789");
            assertEachFails(IllegalArgumentException.class, List.of(
                    () -> db.put(nine, b("v")),
                    () -> db.put("123456789", "v"),
                    () -> db.delete(nine),
                    () -> db.write(new WriteBatch().put("ok", "v").put(nine, b("v"))),
                    () -> db.write(new WriteBatch().put("ok", "v").delete(nine))),
                    "key is 9 bytes", "maxKeySize is 8");
            assertThat(db.get("ok")).as("no part of a refused batch is applied").isNull();
            assertThat(db.stats().lastSequence()).as("nothing was written").isZero();

            db.put("12345678", "at the limit");
            assertThat(db.get("12345678")).isEqualTo(b("at the limit"));
        }
    }

    @Test
    void valueOverMaxValueSizeIsRefusedNamingItsSizeAndTheLimit() {
        KvStoreOptions options = small().withMaxValueSize(16);
        try (KvStore db = KvStore.open(dir, options)) {
            byte[] seventeen = new byte[17];
            assertEachFails(IllegalArgumentException.class, List.of(
                    () -> db.put(b("k"), seventeen),
                    () -> db.put("k", "x".repeat(17)),
                    () -> db.write(new WriteBatch().put("ok", "v").put(b("k"), seventeen).delete("ok"))),
                    "value is 17 bytes", "maxValueSize is 16");
            assertThat(db.get("ok")).as("no part of a refused batch is applied").isNull();
            assertThat(db.stats().lastSequence()).as("nothing was written").isZero();

            db.put(b("k"), new byte[16]);
            assertThat(db.get("k")).hasSize(16);
        }
    }

    @Test
    void nullBatchRangeAndSnapshotAreRefusedByName() {
        try (KvStore db = KvStore.open(dir, small()); Snapshot s = db.snapshot()) {
            assertThatNullPointerException().isThrownBy(() -> db.write(null)).withMessageContaining("batch");
            assertThatNullPointerException().isThrownBy(() -> db.scan(null)).withMessageContaining("range");
            assertThatNullPointerException().isThrownBy(() -> db.scan(null, s)).withMessageContaining("range");
            assertEachFails(NullPointerException.class, List.of(
                    () -> db.get(b("k"), null),
                    () -> db.get("k", null),
                    () -> db.scan(KeyRange.all(), null)),
                    "snapshot must not be null");
        }
    }

    @Test
    void emptyBatchIsANoOp() {
        try (KvStore db = KvStore.open(dir, small())) {
            db.write(new WriteBatch());
            db.write(new WriteBatch().put("a", "1").clear());
            assertThat(db.stats().lastSequence()).isZero();
            assertThat(db.get("a")).isNull();
        }
    }

    // ---------------------------------------------------------------- snapshots

    @Test
    void snapshotOfAnotherStoreIsRefused() {
        try (KvStore db = KvStore.open(dir, small());
                KvStore other = KvStore.open(otherDir, small());
                Snapshot foreign = other.snapshot()) {
            assertEachFails(IllegalArgumentException.class, List.of(
                    () -> db.get("k", foreign),
                    () -> db.get(b("k"), foreign),
                    () -> db.scan(KeyRange.all(), foreign)),
                    "snapshot", "not taken from KvStore");
            Snapshot alien = new Snapshot() {
                @Override
                public long sequence() {
                    return 0;
                }

                @Override
                public void close() {
                }
            };
            assertThatThrownBy(() -> db.get("k", alien)).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not taken from KvStore");
        }
    }

    @Test
    void closedSnapshotIsRefusedAndClosingItTwiceIsHarmless() {
        try (KvStore db = KvStore.open(dir, small())) {
            db.put("k", "v");
            Snapshot s = db.snapshot();
            s.close();
            s.close();
            assertThat(db.stats().openSnapshots()).isZero();
            assertEachFails(IllegalStateException.class, List.of(
                    () -> db.get("k", s),
                    () -> db.scan(KeyRange.all(), s)),
                    "snapshot", "is closed");
        }
    }

    // ---------------------------------------------------------------- key ranges

    @Test
    void rangeWithFromAfterToIsRefusedNamingBothBounds() {
        assertThatThrownBy(() -> KeyRange.between(b("b"), b("a"))).isExactlyInstanceOf(IllegalArgumentException.class)
                .message().contains("fromInclusive", "toExclusive", "0x62", "0x61");
        assertThatThrownBy(() -> KeyRange.between("b", "a")).isExactlyInstanceOf(IllegalArgumentException.class)
                .message().contains("fromInclusive", "toExclusive");
        // Unsigned order: 0x80 is after 0x7f.
        assertThatThrownBy(() -> KeyRange.between(new byte[] {(byte) 0x80}, new byte[] {0x7f}))
                .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> KeyRange.between(b("a"), b("a"))).as("an empty range").doesNotThrowAnyException();
    }

    @Test
    void nullRangeBoundsAreRefusedByName() {
        assertThatNullPointerException().isThrownBy(() -> KeyRange.between(null, b("a")))
                .withMessageContaining("fromInclusive");
        assertThatNullPointerException().isThrownBy(() -> KeyRange.between(b("a"), null))
                .withMessageContaining("toExclusive");
        assertThatNullPointerException().isThrownBy(() -> KeyRange.atLeast(null))
                .withMessageContaining("fromInclusive");
        assertThatNullPointerException().isThrownBy(() -> KeyRange.lessThan(null))
                .withMessageContaining("toExclusive");
        assertThatNullPointerException().isThrownBy(() -> KeyRange.prefix((byte[]) null))
                .withMessageContaining("prefix");
        assertThatNullPointerException().isThrownBy(() -> KeyRange.prefix((String) null))
                .withMessageContaining("prefix");
        assertThatNullPointerException().isThrownBy(() -> KeyRange.all().resumeAfter(null))
                .withMessageContaining("lastKey");
    }

    // ---------------------------------------------------------------- options

    @Test
    void optionOutOfRangeIsRefusedNamingTheOptionAndItsRange() {
        KvStoreOptions o = KvStoreOptions.defaults();
        assertOptionRefused(() -> o.withMemtableSize(1), "memtableSize", "65536", "was 1");
        assertOptionRefused(() -> o.withMemtableSize((64 << 10) - 1), "memtableSize");
        assertOptionRefused(() -> o.withMemtableSize((1L << 30) + 1), "memtableSize");
        assertOptionRefused(() -> o.withBlockSize(0), "blockSize", "256", "was 0");
        assertOptionRefused(() -> o.withBlockSize(255), "blockSize");
        assertOptionRefused(() -> o.withBlockSize((1 << 20) + 1), "blockSize");
        assertOptionRefused(() -> o.withBloomBitsPerKey(-1), "bloomBitsPerKey", "was -1");
        assertOptionRefused(() -> o.withBloomBitsPerKey(31), "bloomBitsPerKey");
        assertOptionRefused(() -> o.withMaxKeySize(0), "maxKeySize", "was 0");
        assertOptionRefused(() -> o.withMaxKeySize((1 << 20) + 1), "maxKeySize");
        assertOptionRefused(() -> o.withMaxValueSize(-1), "maxValueSize", "was -1");
        assertOptionRefused(() -> o.withMaxValueSize((256 << 20) + 1), "maxValueSize");
        assertOptionRefused(() -> o.withSyncInterval(Duration.ZERO), "syncInterval");
        assertOptionRefused(() -> o.withSyncInterval(Duration.ofHours(2)), "syncInterval");
        assertThatNullPointerException().isThrownBy(() -> o.withSyncInterval(null)).withMessageContaining("syncInterval");
        assertThatNullPointerException().isThrownBy(() -> o.withSyncMode(null)).withMessageContaining("syncMode");
        assertThatNullPointerException().isThrownBy(() -> o.withFileSystem(null)).withMessageContaining("fileSystem");
        assertThat(o).as("a refused setter leaves the options as they were").hasToString(
                KvStoreOptions.defaults().toString());
    }

    @Test
    void optionsAtTheEdgesOfTheirRangesAreAccepted() {
        KvStoreOptions o = KvStoreOptions.defaults()
                .withMemtableSize(64 << 10)
                .withBlockSize(256)
                .withBloomBitsPerKey(0)
                .withMaxKeySize(1)
                .withMaxValueSize(0)
                .withSyncInterval(Duration.ofMillis(1));
        assertThat(o.memtableSize()).isEqualTo(64 << 10);
        assertThat(o.blockSize()).isEqualTo(256);
        assertThat(o.bloomBitsPerKey()).isZero();
        assertThat(o.maxKeySize()).isEqualTo(1);
        assertThat(o.maxValueSize()).isZero();
        KvStoreOptions high = KvStoreOptions.defaults().withMemtableSize(1L << 30).withBlockSize(1 << 20)
                .withBloomBitsPerKey(30).withMaxKeySize(1 << 20).withMaxValueSize(256 << 20)
                .withSyncInterval(Duration.ofHours(1));
        assertThat(high.bloomBitsPerKey()).isEqualTo(30);
        try (KvStore db = KvStore.open(dir, o.withSyncMode(SyncMode.NONE))) {
            db.put("k", new byte[0]);
            assertThat(db.get("k")).isEmpty();
            assertThatThrownBy(() -> db.put("kk", new byte[0])).isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxKeySize is 1");
        }
    }

    private static void assertOptionRefused(ThrowingCallable call, String... parts) {
        assertThatThrownBy(call).isExactlyInstanceOf(IllegalArgumentException.class).message().contains(parts);
    }

    @Test
    void openRefusesNullDirectoryAndOptions() {
        assertThatNullPointerException().isThrownBy(() -> KvStore.open(null)).withMessageContaining("directory");
        assertThatNullPointerException().isThrownBy(() -> KvStore.open(null, small()))
                .withMessageContaining("directory");
        assertThatNullPointerException().isThrownBy(() -> KvStore.open(dir, null)).withMessageContaining("options");
    }

    // ---------------------------------------------------------------- closed store

    @Test
    void everyCallOnAClosedStoreThrowsStoreClosedException() {
        KvStore db = KvStore.open(dir, small());
        db.put("k", "v");
        Snapshot s = db.snapshot();
        db.close();
        assertEachFails(StoreClosedException.class, List.of(
                () -> db.put("k", "v"),
                () -> db.put(b("k"), b("v")),
                () -> db.delete("k"),
                () -> db.write(new WriteBatch().put("k", "v")),
                () -> db.write(new WriteBatch()),
                () -> db.get("k"),
                () -> db.get(b("k")),
                () -> db.get("k", s),
                () -> db.scan(KeyRange.all()),
                () -> db.scan(KeyRange.all(), s),
                () -> db.snapshot(),
                () -> db.flush(),
                () -> db.stats()),
                "closed", dir.getFileName().toString());
        assertThatCode(s::close).as("closing a snapshot after its store").doesNotThrowAnyException();
    }

    @Test
    void aScanOpenWhenTheStoreClosesThrowsStoreClosedException() {
        KvStore db = KvStore.open(dir, small());
        db.put("a", "1");
        db.put("b", "2");
        KvIterator it = db.scan(KeyRange.all());
        assertThat(it.next().keyAsString()).isEqualTo("a");
        db.close();
        assertThatThrownBy(it::hasNext).isExactlyInstanceOf(StoreClosedException.class).hasMessageContaining("closed");
        assertThatCode(it::close).doesNotThrowAnyException();
    }

    @Test
    void closeIsIdempotent() {
        KvStore db = KvStore.open(dir, small());
        db.put("k", "v");
        db.close();
        assertThatCode(db::close).doesNotThrowAnyException();
        assertThatCode(db::close).doesNotThrowAnyException();
        try (KvStore reopened = KvStore.open(dir, small())) {
            assertThat(reopened.get("k")).isEqualTo(b("v"));
        }
    }

    // ---------------------------------------------------------------- directory lock

    @Test
    void secondOpenOfAnOpenDirectoryInThisProcessFailsWithStoreLockedExceptionUntilTheFirstCloses() {
        KvStore first = KvStore.open(dir, small());
        try {
            first.put("k", "v");
            assertThatThrownBy(() -> KvStore.open(dir, small())).isExactlyInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("locked").hasMessageContaining(dir.getFileName().toString());
            assertThatThrownBy(() -> KvStore.open(dir.resolve(".").resolve("x").resolve(".."), small()))
                    .as("the same directory by another path").isExactlyInstanceOf(StoreLockedException.class);
            // The failed attempts changed nothing for the instance that holds the directory.
            first.put("k2", "v2");
            assertThat(first.get("k")).isEqualTo(b("v"));
        } finally {
            first.close();
        }
        try (KvStore second = KvStore.open(dir, small())) {
            assertThat(second.get("k")).isEqualTo(b("v"));
            assertThat(second.get("k2")).isEqualTo(b("v2"));
        }
    }

    @Test
    void openFailsWithStoreLockedExceptionWhileAnotherProcessHoldsTheDirectory() throws Exception {
        Process child = startChild(LockHolder.HOLD);
        assertThat(firstLine(child)).as("the child's first line").isEqualTo("OPEN");

        assertThatThrownBy(() -> KvStore.open(dir, small())).isExactlyInstanceOf(StoreLockedException.class)
                .hasMessageContaining("locked");

        child.getOutputStream().close(); // EOF: the child closes its store and exits
        assertThat(child.waitFor(1, TimeUnit.MINUTES)).as("child exited after EOF on stdin").isTrue();
        assertThat(child.exitValue()).as("child exit code; stderr: %s", stderr(child)).isZero();
        try (KvStore db = KvStore.open(dir, small())) {
            assertThat(db.get("written-by")).as("what the child wrote").isEqualTo(b("child"));
        }
    }

    @Test
    void anotherProcessCannotOpenTheDirectoryWhileThisOneHoldsIt() throws Exception {
        try (KvStore db = KvStore.open(dir, small())) {
            db.put("k", "v");
            Process child = startChild(LockHolder.TRY);
            assertThat(firstLine(child)).as("the child's attempt to open; stderr: %s", stderr(child))
                    .isEqualTo("LOCKED");
        }
    }

    @Test
    void aFailedSecondOpenInThisProcessDoesNotReleaseTheLockAgainstOtherProcesses() throws Exception {
        try (KvStore db = KvStore.open(dir, small())) {
            assertThatThrownBy(() -> KvStore.open(dir, small())).isExactlyInstanceOf(StoreLockedException.class);
            Process child = startChild(LockHolder.TRY);
            assertThat(firstLine(child)).as("another process's attempt to open a directory this process holds"
                    + " (after a refused second open here); stderr: %s", stderr(child)).isEqualTo("LOCKED");
            db.put("still", "writable");
        }
    }

    // ---------------------------------------------------------------- child process

    private Path stderrFile;

    private Process startChild(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        stderrFile = Files.createTempFile(scratch, "child-" + mode, ".err");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", childClassPath(),
                LockHolder.class.getName(), dir.toString(), mode)
                .redirectError(stderrFile.toFile());
        Process child = pb.start();
        children.add(child);
        return child;
    }

    /**
     * The test JVM's class path. Surefire sets {@code java.class.path} to the full test class path
     * even when it boots the test JVM from a manifest-only jar ({@code surefire.real.class.path});
     * that jar's manifest Class-Path lists the same entries, so either is a valid {@code -cp}.
     */
    private static String childClassPath() {
        return System.getProperty("java.class.path");
    }

    /** The child's first stdout line, waiting at most a minute (a slow, busy machine starting a JVM). */
    private String firstLine(Process child) throws Exception {
        InputStream out = child.getInputStream();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return "read failed: " + e;
            }
        });
        try {
            return line.get(1, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            child.destroyForcibly();
            throw new AssertionError("child printed nothing within a minute; stderr: " + stderr(child));
        } catch (ExecutionException e) {
            throw new AssertionError("reading the child's stdout failed; stderr: " + stderr(child), e.getCause());
        }
    }

    private String stderr(Process child) {
        try {
            return Files.readString(stderrFile);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Run in a child JVM: {@code HOLD} opens the store until stdin ends; {@code TRY} reports whether it could open it. */
    public static final class LockHolder {
        static final String HOLD = "HOLD";
        static final String TRY = "TRY";

        public static void main(String[] args) throws IOException {
            Path directory = Path.of(args[0]);
            KvStoreOptions options = KvStoreOptions.defaults().withSyncMode(SyncMode.NONE);
            if (TRY.equals(args[1])) {
                try (KvStore db = KvStore.open(directory, options)) {
                    System.out.println("OPEN");
                } catch (StoreLockedException e) {
                    System.out.println("LOCKED");
                }
                System.out.flush();
                return;
            }
            try (KvStore db = KvStore.open(directory, options)) {
                db.put("written-by", "child");
                System.out.println("OPEN");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // hold the store until the parent closes our stdin
                }
            }
        }
    }
}
