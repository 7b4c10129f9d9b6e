package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM ({@link CrashWorkload}) with SIGKILL, several times on one directory,
 * and checks after each kill that the reopened store holds every acknowledged write, no half
 * batch, and exactly a per-thread prefix of what was written: the contract that a process crash
 * loses nothing acknowledged in every {@link SyncMode}. (PERIODIC and NONE only promise this for
 * a process crash, not a power cut; a process crash is exactly what this test does.)
 *
 * <p>{@code -Dkvstore.crash.seed=<seed printed by the test>} repeats a run's ack targets and
 * operation mix; where exactly the kill lands stays up to the scheduler.
 */
class KvStoreCrashTest {

    private static final int CYCLES = 6;
    private static final int MIN_ACKS = 2_000;
    private static final int MAX_ACKS = 30_000;
    /** Generous bound for reaching the ack target; only a stalled or dead child hits it. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
    private static final int THREADS = CrashWorkload.THREADS;
    private static final int MAX_EXAMPLES = 10;

    @TempDir
    Path dir;

    /** Private copies of the class directories on the test classpath; see {@link #snapshotClasspath()}. */
    @TempDir
    static Path classpathCopy;
    private static String childClasspath;

    /** Every child this test started; {@link #killChildren()} makes sure none outlives the test. */
    private final List<Child> children = new ArrayList<>();

    /**
     * The child runs with this JVM's {@code java.class.path} (under surefire the real test classpath;
     * were it a manifest-only jar, that jar is used as it is). Its class directories are copied
     * first, so a concurrent rebuild of {@code target/} cannot take classes away from a child
     * started later in the run.
     */
    @BeforeAll
    static void snapshotClasspath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path source = Path.of(entry);
            if (!Files.isDirectory(source)) {
                entries.add(entry);
                continue;
            }
            Path copy = classpathCopy.resolve("dir" + entries.size());
            try (Stream<Path> tree = Files.walk(source)) {
                for (Path p : (Iterable<Path>) tree::iterator) {
                    Path target = copy.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            entries.add(copy.toString());
        }
        childClasspath = String.join(File.pathSeparator, entries);
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Child child : children) {
            child.destroy();
        }
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void sigkillLosesNoAcknowledgedWriteAndLeavesNoHalfBatch(SyncMode mode) throws Exception {
        long seed = Long.getLong("kvstore.crash.seed", System.nanoTime());
        Random random = new Random(seed * 3 + mode.ordinal());
        System.out.println("crash-test mode=" + mode + " seed=" + seed + " dir=" + dir);
        Model model = new Model();
        int cyclesWithAcks = 0;

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            int target = MIN_ACKS + random.nextInt(MAX_ACKS - MIN_ACKS + 1);
            long start = System.nanoTime();
            Child child = Child.start(dir, mode, cycle, random.nextLong(), target);
            children.add(child);

            if (!child.awaitTarget(ACK_TIMEOUT)) {
                boolean exited = child.process.waitFor(1, TimeUnit.SECONDS);
                fail("child of cycle %d (%s) did not reach %d acks (timeout %s): it acked %d and %s%n%s", cycle,
                        mode, target, ACK_TIMEOUT, child.acks.get(),
                        exited ? "exited with status " + child.process.exitValue() : "stalled",
                        child.describe());
            }
            if (!child.process.isAlive()) {
                fail("child of cycle %d (%s) exited by itself before the kill (acks=%d)%n%s", cycle, mode,
                        child.acks.get(), child.describe());
            }
            child.kill();
            assertThat(child.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("child of cycle %d ended after SIGKILL", cycle).isTrue();
            // 128 + 9: killed by SIGKILL, not exited on its own.
            assertThat(child.process.exitValue()).as("exit status of the killed child%n%s", child.describe())
                    .isEqualTo(137);
            // Acks still in the pipe were printed before the kill: they count as acknowledged.
            assertThat(child.awaitEndOfOutput(EXIT_TIMEOUT)).as("child's stdout and stderr reach EOF").isTrue();
            assertThat(child.protocolErrors).as("ack protocol problems%n%s", child.describe()).isEmpty();
            assertThat(child.writeErrors).as("writes that failed in the child%n%s", child.describe()).isEmpty();
            assertThat(child.ready).as("child opened the store").isTrue();

            String filesAtKill = describeFiles(dir);
            CycleResult result;
            try (KvStore db = KvStore.open(dir, CrashWorkload.options(mode))) {
                result = model.verify(db, cycle, child.ackList());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("crash-test mode=%s cycle=%d target=%d acks=%d (puts=%d batches=%d counters=%d) "
                            + "inFlightFound=%d keysVerified=%d batchesChecked=%d filesAtKill[%s] %d ms%n",
                    mode, cycle, target, result.acks, result.putAcks, result.batchAcks, result.counterAcks,
                    result.inFlightFound, result.keysVerified, result.batchesChecked, filesAtKill, millis);
            assertThat(result.problems)
                    .as("after SIGKILL in cycle %d (%s, seed %d, %d acks): %s", cycle, mode, seed, result.acks,
                            result.summary())
                    .isEmpty();
            if (result.acks >= MIN_ACKS) {
                cyclesWithAcks++;
            }
        }
        assertThat(cyclesWithAcks).as("cycles that were killed after at least %d acks", MIN_ACKS)
                .isEqualTo(CYCLES);
    }

    private static String describeFiles(Path dir) throws IOException {
        int logs = 0;
        int tables = 0;
        int other = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".log")) {
                    logs++;
                } else if (name.endsWith(".sst")) {
                    tables++;
                } else {
                    other++;
                }
            }
        }
        return "wal=" + logs + " sst=" + tables + " other=" + other;
    }

    // ------------------------------------------------------------------ acks

    enum AckType { PUT, BATCH, COUNTER }

    /** One acknowledged operation: thread {@code thread}'s operation {@code n}. */
    record Ack(AckType type, int thread, long n, int members) {
    }

    // ------------------------------------------------------------------ the child process

    /** A running {@link CrashWorkload} and the threads that read its stdout (acks) and stderr. */
    static final class Child {
        final Process process;
        final List<String> command;
        final int target;
        final AtomicInteger acks = new AtomicInteger();
        final Queue<Ack> ackQueue = new ConcurrentLinkedQueue<>();
        final Queue<String> protocolErrors = new ConcurrentLinkedQueue<>();
        final Queue<String> writeErrors = new ConcurrentLinkedQueue<>();
        final StringBuffer stderr = new StringBuffer();
        final CountDownLatch targetOrEof = new CountDownLatch(1);
        volatile boolean ready;
        private final Thread stdoutReader;
        private final Thread stderrReader;

        private Child(Process process, List<String> command, int target) {
            this.process = process;
            this.command = command;
            this.target = target;
            this.stdoutReader = new Thread(this::readAcks, "crash-test-stdout-" + process.pid());
            this.stderrReader = new Thread(this::readStderr, "crash-test-stderr-" + process.pid());
            stdoutReader.setDaemon(true);
            stderrReader.setDaemon(true);
            stdoutReader.start();
            stderrReader.start();
        }

        static Child start(Path dir, SyncMode mode, int cycle, long seed, int target) throws IOException {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", childClasspath,
                    CrashWorkload.class.getName(),
                    dir.toString(), mode.name(), Integer.toString(cycle), Long.toString(seed));
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            return new Child(process, command, target);
        }

        private void readAcks() {
            long[] nextN = new long[THREADS];
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    parse(line, nextN);
                }
            } catch (IOException | RuntimeException e) {
                protocolErrors.add("reading the child's stdout failed: " + e);
            } finally {
                targetOrEof.countDown();
            }
        }

        private void parse(String line, long[] nextN) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "READY" -> ready = true;
                case "ERROR" -> writeErrors.add(line);
                case "DONE" -> protocolErrors.add("child finished all its operations without being killed");
                case "P", "B", "C" -> {
                    int thread = Integer.parseInt(f[1]);
                    long n = Long.parseLong(f[2]);
                    if (thread < 0 || thread >= THREADS || n != nextN[thread]) {
                        protocolErrors.add("out-of-order ack '" + line + "', expected n="
                                + (thread >= 0 && thread < THREADS ? nextN[thread] : -1));
                        return;
                    }
                    nextN[thread]++;
                    AckType type = f[0].equals("P") ? AckType.PUT : f[0].equals("B") ? AckType.BATCH
                            : AckType.COUNTER;
                    ackQueue.add(new Ack(type, thread, n, type == AckType.BATCH ? Integer.parseInt(f[3]) : 0));
                    if (acks.incrementAndGet() >= target) {
                        targetOrEof.countDown();
                    }
                }
                default -> protocolErrors.add("unexpected line from child: " + line);
            }
        }

        private void readStderr() {
            try (InputStream err = process.getErrorStream()) {
                byte[] buf = new byte[4096];
                int n;
                while ((n = err.read(buf)) >= 0) {
                    if (stderr.length() < 64 << 10) {
                        stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                stderr.append("\n[reading stderr failed: ").append(e).append(']');
            }
        }

        /** Waits until the child acknowledged {@code target} writes (true) or its stdout ended. */
        boolean awaitTarget(Duration timeout) throws InterruptedException {
            return targetOrEof.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && acks.get() >= target;
        }

        boolean awaitEndOfOutput(Duration timeout) throws InterruptedException {
            stdoutReader.join(timeout.toMillis());
            stderrReader.join(timeout.toMillis());
            return !stdoutReader.isAlive() && !stderrReader.isAlive();
        }

        List<Ack> ackList() {
            return new ArrayList<>(ackQueue);
        }

        String describe() {
            return "command: " + String.join(" ", command) + "\nprotocol errors: " + protocolErrors
                    + "\nwrite errors: " + writeErrors + "\nstderr:\n" + stderr;
        }

        /**
         * Sends SIGKILL. Through the {@link ProcessHandle}, not {@link Process#destroyForcibly()}: both
         * send SIGKILL on Linux, but the latter also closes our end of the child's stdout, and the acks
         * still buffered in the pipe (printed, hence acknowledged, before the kill) must be read.
         */
        void kill() {
            process.toHandle().destroyForcibly();
        }

        void destroy() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            stdoutReader.join(EXIT_TIMEOUT.toMillis());
            stderrReader.join(EXIT_TIMEOUT.toMillis());
        }
    }

    // ------------------------------------------------------------------ what the store must hold

    static final class CycleResult {
        int acks;
        int putAcks;
        int batchAcks;
        int counterAcks;
        int inFlightFound;
        int keysVerified;
        int batchesChecked;
        final Map<String, Integer> counts = new TreeMap<>();
        final List<String> problems = new ArrayList<>();

        void problem(String category, String detail) {
            int seen = counts.merge(category, 1, Integer::sum);
            if (seen <= MAX_EXAMPLES) {
                problems.add(category + ": " + detail);
            }
        }

        String summary() {
            return "problem counts " + counts;
        }
    }

    /**
     * The test's knowledge of the store across cycles: every key that must be present with its
     * value (acknowledged writes, and unacknowledged ones a previous recovery already showed), and
     * each counter's floor.
     */
    static final class Model {
        private final Map<String, String> mustExist = new HashMap<>();
        private final long[] counterFloor = new long[THREADS];

        Model() {
            Arrays.fill(counterFloor, -1);
        }

        CycleResult verify(KvStore db, int cycle, List<Ack> acks) {
            CycleResult r = new CycleResult();
            r.acks = acks.size();
            long[] ackedOps = new long[THREADS]; // thread t acked its operations 0 .. ackedOps[t]-1
            long[] lastAckedCounter = counterFloor.clone();
            for (Ack a : acks) {
                int t = a.thread();
                switch (a.type()) {
                    case PUT -> {
                        r.putAcks++;
                        mustExist.put(CrashWorkload.putKey(cycle, t, a.n()), CrashWorkload.putValue(cycle, t, a.n()));
                    }
                    case BATCH -> {
                        r.batchAcks++;
                        String value = CrashWorkload.batchValue(cycle, t, a.n(), a.members());
                        for (int i = 0; i < a.members(); i++) {
                            mustExist.put(CrashWorkload.batchKey(cycle, t, a.n(), i), value);
                        }
                        mustExist.put(CrashWorkload.batchMarker(cycle, t, a.n()), value);
                    }
                    case COUNTER -> {
                        r.counterAcks++;
                        lastAckedCounter[t] = Math.max(lastAckedCounter[t], CrashWorkload.counterValue(cycle, a.n()));
                    }
                }
                ackedOps[t] = Math.max(ackedOps[t], a.n() + 1);
            }

            Map<String, String> found = new HashMap<>();
            try (KvIterator it = db.scan(KeyRange.all())) {
                it.forEachRemaining(e -> found.put(e.keyAsString(), e.valueAsString()));
            }

            // 1. Nothing acknowledged (or seen after an earlier recovery) is lost or changed.
            for (Map.Entry<String, String> e : mustExist.entrySet()) {
                String v = found.get(e.getKey());
                if (v == null) {
                    r.problem("acknowledged key missing", e.getKey());
                } else if (!v.equals(e.getValue())) {
                    r.problem("acknowledged key has a wrong value", e.getKey() + " = '" + v + "', expected '"
                            + e.getValue() + "'");
                } else {
                    r.keysVerified++;
                }
            }
            // Point reads must agree with the scan.
            int probe = 0;
            for (Map.Entry<String, String> e : mustExist.entrySet()) {
                if (probe++ % 7 != 0) {
                    continue;
                }
                byte[] v = db.get(e.getKey());
                if (v == null || !new String(v, StandardCharsets.UTF_8).equals(e.getValue())) {
                    r.problem("get() disagrees", e.getKey() + " -> "
                            + (v == null ? "null" : new String(v, StandardCharsets.UTF_8)));
                }
            }

            // 2. Every batch present is whole; 3. nothing beyond each thread's in-flight operation.
            Map<String, Map<String, String>> batches = new HashMap<>();
            List<String> inFlight = new ArrayList<>();
            for (Map.Entry<String, String> e : found.entrySet()) {
                String key = e.getKey();
                if (key.startsWith("c:")) {
                    continue;
                }
                if (!key.startsWith("s:") && !key.startsWith("b:")) {
                    r.problem("unknown key", key);
                    continue;
                }
                if (key.startsWith("b:")) {
                    int cut = key.lastIndexOf(':');
                    batches.computeIfAbsent(key.substring(2, cut), id -> new HashMap<>())
                            .put(key.substring(cut + 1), e.getValue());
                }
                if (mustExist.containsKey(key)) {
                    continue;
                }
                // Not acknowledged: allowed only as the one operation each thread had in flight at the kill.
                String[] f = key.split(":");
                int keyCycle;
                int t;
                long n;
                try {
                    keyCycle = Integer.parseInt(f[1]);
                    t = Integer.parseInt(f[2]);
                    n = Long.parseLong(f[3]);
                } catch (RuntimeException ex) {
                    r.problem("unknown key", key);
                    continue;
                }
                if (keyCycle != cycle || t < 0 || t >= THREADS || n != ackedOps[t]) {
                    r.problem("unacknowledged key beyond the in-flight operation", key + " (thread " + t
                            + " acked operations < " + (t >= 0 && t < THREADS ? ackedOps[t] : -1) + ")");
                    continue;
                }
                if (key.startsWith("s:") && !e.getValue().equals(CrashWorkload.putValue(cycle, t, n))) {
                    r.problem("in-flight put has a wrong value", key + " = '" + e.getValue() + "'");
                }
                inFlight.add(key);
            }
            for (Map.Entry<String, Map<String, String>> b : batches.entrySet()) {
                r.batchesChecked++;
                checkBatch(b.getKey(), b.getValue(), r);
            }

            // 4. Counters: at least the last acknowledged value, at most the in-flight one.
            Set<Integer> inFlightCounters = new HashSet<>();
            for (int t = 0; t < THREADS; t++) {
                String v = found.get(CrashWorkload.counterKey(t));
                if (v == null) {
                    if (lastAckedCounter[t] >= 0) {
                        r.problem("counter missing", CrashWorkload.counterKey(t) + ", last acked "
                                + lastAckedCounter[t]);
                    }
                    continue;
                }
                long value = Long.parseLong(v);
                r.keysVerified++;
                if (value < lastAckedCounter[t]) {
                    r.problem("counter went back", CrashWorkload.counterKey(t) + " = " + value + " < last acked "
                            + lastAckedCounter[t]);
                } else if (value > lastAckedCounter[t]) {
                    if (value != CrashWorkload.counterValue(cycle, ackedOps[t])) {
                        r.problem("counter ahead of the in-flight operation", CrashWorkload.counterKey(t) + " = "
                                + value + ", last acked " + lastAckedCounter[t] + ", in flight "
                                + CrashWorkload.counterValue(cycle, ackedOps[t]));
                    } else {
                        inFlightCounters.add(t);
                    }
                }
                counterFloor[t] = Math.max(lastAckedCounter[t], value);
            }

            // What this recovery showed must survive every later crash too.
            for (String key : inFlight) {
                mustExist.put(key, found.get(key));
            }
            Set<String> inFlightOps = new HashSet<>();
            for (String key : inFlight) {
                String[] f = key.split(":");
                inFlightOps.add(f[2] + ":" + f[3]);
            }
            r.inFlightFound = inFlightOps.size() + inFlightCounters.size();
            return r;
        }

        /** {@code members} maps suffix ("0".."k-1", "m") to value for the keys of batch {@code id} present. */
        private static void checkBatch(String id, Map<String, String> members, CycleResult r) {
            String[] f = id.split(":");
            int cycle = Integer.parseInt(f[0]);
            int thread = Integer.parseInt(f[1]);
            long n = Long.parseLong(f[2]);
            String any = members.values().iterator().next();
            int k;
            try {
                String afterK = any.substring(any.indexOf(":k=") + 3);
                k = Integer.parseInt(afterK.substring(0, afterK.indexOf(':')));
            } catch (RuntimeException e) {
                r.problem("batch value unreadable", "b:" + id + " -> '" + any + "'");
                return;
            }
            String expected = CrashWorkload.batchValue(cycle, thread, n, k);
            Set<String> want = new HashSet<>();
            for (int i = 0; i < k; i++) {
                want.add(Integer.toString(i));
            }
            want.add("m");
            if (!members.keySet().equals(want)) {
                Set<String> missing = new HashSet<>(want);
                missing.removeAll(members.keySet());
                r.problem("half batch", "b:" + id + " has " + new TreeMap<>(members).keySet() + " of " + (k + 1)
                        + " keys, missing " + missing);
            }
            for (Map.Entry<String, String> e : members.entrySet()) {
                if (!e.getValue().equals(expected)) {
                    r.problem("batch key has a wrong value", "b:" + id + ":" + e.getKey() + " = '" + e.getValue()
                            + "'");
                }
            }
        }
    }
}
