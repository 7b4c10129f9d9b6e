package io.kvstore.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every peer through every workload with a thousand keys: the harness runs end to end and each
 * store answers what it was given. Not a benchmark (no numbers are checked); a peer that cannot load
 * on this machine is skipped by the harness with its reason printed, and does not fail the build.
 */
class BenchSmokeTest {

    private static final List<String> INDEXED_LABELS = List.of("indexedfill-0", "indexedfill-1", "indexedfill-3",
            "indexedread", "indexedread 2t", "indexedrange", "indexedrange 2t");

    @Test
    void everyPeerRunsEveryWorkloadWithAThousandKeys(@TempDir Path tmp) throws Exception {
        BenchOptions options = new BenchOptions(1000, 1000, 20, 2, 100, 10, Set.of(), Set.of(),
                EnumSet.allOf(Durability.class), tmp.resolve("out"), tmp.resolve("data"), false, 4);

        List<Result> results = BenchMain.run(options);

        List<Result> kvstore = results.stream().filter(r -> r.peer().equals("kvstore")).toList();
        assertEquals(17 + INDEXED_LABELS.size(), kvstore.size(), "kvstore rows: " + kvstore);
        for (String peer : List.of("kvstore", "rocksdb", "sqlite")) {
            List<String> indexed = results.stream().filter(r -> r.peer().equals(peer) && r.family().equals("indexed"))
                    .map(Result::label).toList();
            assertEquals(INDEXED_LABELS, indexed, peer + " indexed rows");
        }
        assertTrue(results.stream().noneMatch(r -> r.peer().equals("kvstore+listener")),
                "kvstore+listener runs only when --peers names it");
        for (Result r : results) {
            assertFalse(r.note().contains("bug?"), () -> "wrong answers: " + r);
            assertTrue(r.ops() > 0, () -> "no operations: " + r);
        }
        assertTrue(Files.exists(tmp.resolve("out/results.md")));
        assertTrue(Files.exists(tmp.resolve("out/results.csv")));
        assertTrue(Files.exists(tmp.resolve("out/fill.png")));
        assertTrue(Files.exists(tmp.resolve("out/indexed.png")));
    }

    @Test
    void indexedWorkloadsAloneSkipTheKeyValueFillAndCheckEveryAnswer(@TempDir Path tmp) throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"--n", "500", "--threads", "2", "--peers",
                "kvstore,rocksdb,sqlite", "--workloads", "indexedfill,indexedread,indexedrange", "--durability", "none",
                "--ceilings", "false", "--out", tmp.resolve("out").toString(), "--data", tmp.resolve("data").toString()});

        List<Result> results = BenchMain.run(options);

        assertEquals(3 * INDEXED_LABELS.size(), results.size(), "rows: " + results);
        for (Result r : results) {
            assertEquals("indexed", r.family(), () -> "only indexed rows: " + r);
            assertFalse(r.note().contains("bug?"), () -> "wrong answers: " + r);
        }
        String md = Files.readString(tmp.resolve("out/results.md"));
        assertTrue(md.contains("| NONE | indexedread | "), "ratio table row for indexedread:\n" + md);
    }

    /**
     * Each indexed peer against a brute-force filter of the records it was given, including
     * overwrites that move a record to another city: equality on a unique field, equality on a
     * shared field in key order with a limit, and ts ranges in ts order.
     */
    @Test
    void everyIndexedPeerAnswersLikeABruteForceFilterAfterOverwrites(@TempDir Path tmp) throws Exception {
        for (Peer peer : BenchMain.allPeers()) {
            if (peer.indexed().isEmpty()) {
                continue;
            }
            int n = 400;
            int[] order = Keys.permutation(n, 3);
            TreeMap<Long, IndexedDocs.Doc> model = new TreeMap<>(); // by id = key order
            try (IndexedStore store = peer.indexed().get().open(tmp.resolve(peer.name()), Durability.NONE,
                    IndexSet.EMAIL_CITY_TS)) {
                for (int p = 0; p < n; p++) {
                    IndexedDocs.Doc doc = IndexedDocs.doc(order[p], p);
                    store.put(doc);
                    model.put(doc.id(), doc);
                }
                SplittableRandom random = new SplittableRandom(5);
                for (int p = n; p < n + 100; p++) { // overwrites: new ts and a city from a small set
                    long id = order[random.nextInt(n)];
                    IndexedDocs.Doc doc = IndexedDocs.doc(id, p, "moved-" + random.nextInt(3));
                    store.put(doc);
                    model.put(id, doc);
                }

                for (long id = 0; id < n; id++) {
                    List<IndexedStore.Found> found = store.byEmail(IndexedDocs.email(id));
                    assertEquals(1, found.size(), peer.name() + " byEmail " + id);
                    assertArrayEquals(model.get(id).json(), found.get(0).value(), peer.name() + " record " + id);
                }
                assertEquals(List.of(), store.byEmail("nobody@example.com"), peer.name());

                List<String> cities = new ArrayList<>(List.of("moved-0", "moved-1", "moved-2", "no-such-city"));
                cities.add(IndexedDocs.city(order[0]));
                cities.add(model.firstEntry().getValue().city());
                for (String city : cities) {
                    List<Long> expected = model.values().stream().filter(d -> d.city().equals(city))
                            .map(IndexedDocs.Doc::id).toList();
                    assertEquals(expected, ids(store.byCity(city, 1000)), peer.name() + " byCity " + city);
                    assertEquals(expected.stream().limit(3).toList(), ids(store.byCity(city, 3)),
                            peer.name() + " byCity " + city + " limit 3");
                }

                for (int from : new int[] {0, 17, 350, 480}) {
                    long lo = IndexedDocs.ts(from);
                    long hi = IndexedDocs.ts(from + 99);
                    List<Long> expected = model.values().stream().filter(d -> d.ts() >= lo && d.ts() <= hi)
                            .sorted(Comparator.comparingLong(IndexedDocs.Doc::ts)).map(IndexedDocs.Doc::id).toList();
                    assertEquals(expected, ids(store.byTs(lo, hi, 100)), peer.name() + " byTs from " + from);
                    assertEquals(expected.stream().limit(10).toList(), ids(store.byTs(lo, hi, 10)),
                            peer.name() + " byTs from " + from + " limit 10");
                }
            }
        }
    }

    @Test
    void aPeerRefusesAQueryOnAnIndexItWasNotOpenedWith(@TempDir Path tmp) throws Exception {
        for (Peer peer : BenchMain.allPeers()) {
            if (peer.indexed().isEmpty()) {
                continue;
            }
            try (IndexedStore store = peer.indexed().get().open(tmp.resolve(peer.name()), Durability.NONE,
                    IndexSet.EMAIL)) {
                store.put(IndexedDocs.doc(1, 0));
                assertEquals(1, store.byEmail(IndexedDocs.email(1)).size(), peer.name());
                RuntimeException e = assertThrows(RuntimeException.class, () -> store.byTs(0, Long.MAX_VALUE, 10),
                        peer.name() + " must not scan for a missing ts index");
                assertTrue(e.getMessage().contains("ts"), () -> peer.name() + " names the index: " + e.getMessage());
            }
        }
    }

    @Test
    void kvstoreWithANoOpListenerRunsBesideKvstoreAndGetsItsOwnTable(@TempDir Path tmp) throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"--n", "1000", "--threads", "2", "--peers",
                "kvstore,kvstore+listener", "--workloads", "fillrandom,readrandom", "--durability", "none",
                "--ceilings", "false", "--out", tmp.resolve("out").toString(), "--data", tmp.resolve("data").toString()});

        List<Result> results = BenchMain.run(options);

        assertEquals(List.of("kvstore fillrandom", "kvstore readrandom", "kvstore readrandom 2t",
                "kvstore+listener fillrandom", "kvstore+listener readrandom", "kvstore+listener readrandom 2t"),
                results.stream().map(r -> r.peer() + " " + r.label()).toList());
        String md = Files.readString(tmp.resolve("out/results.md"));
        assertTrue(md.contains("## Listener overhead") && md.contains("| NONE | readrandom 2t | "), md);
    }

    @Test
    void unknownPeersAndWorkloadsAreRefusedByName() {
        IllegalArgumentException workload = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--workloads", "indexedreads"}));
        assertTrue(workload.getMessage().contains("'indexedreads'"), workload.getMessage());
        BenchOptions options = BenchOptions.parse(new String[] {"--peers", "kvstore,rocks"});
        IllegalArgumentException peer = assertThrows(IllegalArgumentException.class, () -> BenchMain.run(options));
        assertTrue(peer.getMessage().contains("'rocks'"), peer.getMessage());
    }

    private static List<Long> ids(List<IndexedStore.Found> found) {
        List<Long> ids = new ArrayList<>();
        for (IndexedStore.Found f : found) {
            ids.add(Long.parseLong(new String(f.key(), java.nio.charset.StandardCharsets.US_ASCII)) / 2);
        }
        return ids;
    }
}
