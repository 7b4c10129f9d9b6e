package io.kvstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every peer through every workload with a thousand keys: the harness runs end to end and each
 * store answers what it was given. Not a benchmark (no numbers are checked); a peer that cannot load
 * on this machine is skipped by the harness with its reason printed, and does not fail the build.
 */
class BenchSmokeTest {

    @Test
    void everyPeerRunsEveryWorkloadWithAThousandKeys(@TempDir Path tmp) throws Exception {
        BenchOptions options = new BenchOptions(1000, 1000, 20, 2, 100, 10, Set.of(), Set.of(),
                EnumSet.allOf(Durability.class), tmp.resolve("out"), tmp.resolve("data"), false);

        List<Result> results = BenchMain.run(options);

        List<Result> kvstore = results.stream().filter(r -> r.peer().equals("kvstore")).toList();
        assertEquals(17, kvstore.size(), "kvstore rows: " + kvstore);
        for (Result r : results) {
            assertFalse(r.note().contains("bug?"), () -> "wrong answers: " + r);
            assertTrue(r.ops() > 0, () -> "no operations: " + r);
        }
        assertTrue(Files.exists(tmp.resolve("out/results.md")));
        assertTrue(Files.exists(tmp.resolve("out/results.csv")));
        assertTrue(Files.exists(tmp.resolve("out/fill.png")));
    }
}
