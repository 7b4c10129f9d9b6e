package io.kvstore.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvStoreListTest {

    @TempDir
    Path dir;

    private static final List<String> KEYS = List.of("users/alice/profile", "users/alice/orders/1",
            "users/alice/orders/2", "users/bob/profile", "users/bob/orders/9", "users/readme", "users/.index",
            "other/x", "usersX", "top");

    private KvStore db;

    @BeforeEach
    void open() {
        db = KvStore.open(dir, KvStoreOptions.defaults().withSyncMode(SyncMode.NONE));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        db.close();
    }

    private void fill() {
        for (String k : KEYS) {
            db.put(k, "v:" + k);
        }
    }

    private static List<String> keys(Listing l) {
        return l.entries().stream().map(KvEntry::keyAsString).toList();
    }

    @Test
    void immediateChildrenAreDirectoriesAndEntriesAndDotIndexIsTheDefaultValue() {
        fill();
        Listing l = db.list("users", ListOptions.defaults());
        assertThat(l.directory()).isEqualTo("users/");
        assertThat(l.directories()).containsExactly("users/alice/", "users/bob/");
        assertThat(keys(l)).containsExactly("users/readme");
        assertThat(new String(l.defaultValue(), StandardCharsets.UTF_8)).isEqualTo("v:users/.index");
        assertThat(l.hasMore()).isFalse();
        assertThat(db.list("users/", ListOptions.defaults())).usingRecursiveComparison().isEqualTo(l);

        Listing root = db.list("", ListOptions.defaults());
        assertThat(root.directories()).containsExactly("other/", "users/");
        assertThat(keys(root)).containsExactly("top", "usersX");
        assertThat(root.defaultValue()).isNull();
    }

    @Test
    void depthTwoReturnsGrandchildrenAndDepthZeroEveryKey() {
        fill();
        Listing two = db.list("users", ListOptions.defaults().withDepth(2));
        assertThat(two.directories()).containsExactly("users/alice/orders/", "users/bob/orders/");
        assertThat(keys(two)).containsExactly("users/alice/profile", "users/bob/profile", "users/readme");

        Listing all = db.list("users", ListOptions.defaults().withDepth(0));
        assertThat(all.directories()).isEmpty();
        assertThat(keys(all)).containsExactly("users/alice/orders/1", "users/alice/orders/2", "users/alice/profile",
                "users/bob/orders/9", "users/bob/profile", "users/readme");
    }

    @Test
    void globFiltersKeysAndPrunesDirectoriesThatCannotMatch() {
        fill();
        ListOptions orders = ListOptions.defaults().withGlob("users/*/orders/**");
        assertThat(keys(db.list("", orders.withDepth(0))))
                .containsExactly("users/alice/orders/1", "users/alice/orders/2", "users/bob/orders/9");
        Listing root = db.list("", orders);
        assertThat(root.directories()).containsExactly("users/");
        assertThat(root.entries()).isEmpty();
        assertThat(db.list("users", orders).directories()).containsExactly("users/alice/", "users/bob/");
        assertThat(keys(db.list("users", ListOptions.defaults().withDepth(0).withGlob("users/b?b/*"))))
                .containsExactly("users/bob/profile");
        assertThat(keys(db.list("", ListOptions.defaults().withGlob("*"))))
                .containsExactly("top", "usersX");
    }

    @Test
    void pagesResumeAfterTheirTokenWithoutDuplicatesOrGaps() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = String.format("p/%02d", i);
            if (i % 3 == 0) {
                db.put(name + "/a", "x");
                db.put(name + "/b", "x");
                expected.add(name + "/");
            } else {
                db.put(name, "x");
                expected.add(name);
            }
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Listing page = db.list("p", ListOptions.defaults().withLimit(7).withStartAfter(token));
            List<String> names = new ArrayList<>(page.directories());
            names.addAll(keys(page));
            names.sort(null);
            assertThat(names.size()).isLessThanOrEqualTo(7);
            seen.addAll(names);
            token = page.nextPageToken();
            pages++;
        } while (token != null);
        assertThat(seen).isEqualTo(expected);
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void otherDelimitersWork() {
        db.put("app:user:1", "a");
        db.put("app:user:2", "b");
        db.put("app:config", "c");
        Listing l = db.list("app", ListOptions.defaults().withDelimiter(":"));
        assertThat(l.directories()).containsExactly("app:user:");
        assertThat(keys(l)).containsExactly("app:config");
    }

    @Test
    void aChildDirectoryWithManyKeysCostsOneSeekAndOneEntryNotAWalkOverItsKeys() {
        int big = 100_000;
        for (int i = 0; i < big; i++) {
            db.put(String.format("big/%07d", i), "value-" + i);
        }
        db.put("a/1", "x");
        db.put("c/1", "x");
        db.put("d.txt", "x");
        db.compact();
        db.close();
        db = KvStore.open(dir, KvStoreOptions.defaults().withSyncMode(SyncMode.NONE)); // a cold block cache

        long blocksBefore = db.stats().blockReads();
        Listing l = db.list("", ListOptions.defaults());
        long listingBlocks = db.stats().blockReads() - blocksBefore;

        assertThat(l.directories()).containsExactly("a/", "big/", "c/");
        assertThat(keys(l)).containsExactly("d.txt");
        assertThat(l.seeks()).isEqualTo(3);
        assertThat(l.entriesRead()).isEqualTo(4);

        long scanBefore = db.stats().blockReads();
        long counted = 0;
        try (KvIterator it = db.scan(KeyRange.prefix("big/"))) {
            while (it.hasNext()) {
                it.next();
                counted++;
            }
        }
        long scanBlocks = db.stats().blockReads() - scanBefore;
        assertThat(counted).isEqualTo(big);
        // Walking the big directory reads hundreds of blocks; listing around it reads a handful.
        assertThat(scanBlocks).isGreaterThan(100);
        assertThat(listingBlocks).isLessThanOrEqualTo(8);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> ListOptions.defaults().withDelimiter("")).hasMessageContaining("delimiter");
        assertThatThrownBy(() -> ListOptions.defaults().withLimit(0)).hasMessageContaining("limit");
        assertThatThrownBy(() -> ListOptions.defaults().withDepth(-1)).hasMessageContaining("depth");
        assertThatThrownBy(() -> db.list("users", ListOptions.defaults().withStartAfter("other/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page token 'other/x'");
        assertThatThrownBy(() -> db.list("", ListOptions.defaults().withGlob("")))
                .hasMessageContaining("glob");
    }
}
