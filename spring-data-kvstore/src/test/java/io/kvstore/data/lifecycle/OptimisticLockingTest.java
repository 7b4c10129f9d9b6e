package io.kvstore.data.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvstore.data.core.KeyLayout;
import io.kvstore.data.support.Stores;
import io.kvstore.engine.WriteConflictException;
import io.kvstore.engine.codec.Codec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.keyvalue.core.event.KeyValueEvent;

/** {@code @Version}: stale writes fail, and the check and the write are one atomic engine write. */
class OptimisticLockingTest {

    @TempDir
    Path dir;
    Stores stores;
    AccountRepository accounts;

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON);
        accounts = stores.repository(AccountRepository.class);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void versionsStartAtZeroAndCountUpdates() {
        Account a = accounts.save(new Account("a1", "ada", 10));
        assertThat(a.version).isZero();
        a.balance = 20;
        assertThat(accounts.save(a).version).isEqualTo(1);
        assertThat(accounts.findById("a1").orElseThrow().version).isEqualTo(1);
    }

    @Test
    void aStaleUpdateOrDeleteFailsAndChangesNothing() {
        accounts.save(new Account("a1", "ada", 10));
        Account mine = accounts.findById("a1").orElseThrow();
        Account theirs = accounts.findById("a1").orElseThrow();
        theirs.balance = 99;
        accounts.save(theirs);
        mine.balance = 5;
        assertThatThrownBy(() -> accounts.save(mine)).isInstanceOf(OptimisticLockingFailureException.class)
                .hasMessageContaining("Account").hasMessageContaining("'a1'").hasMessageContaining("version 0")
                .hasMessageContaining("version 1");
        assertThatThrownBy(() -> accounts.delete(mine)).isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(accounts.findById("a1").orElseThrow().balance).isEqualTo(99);
        accounts.delete(accounts.findById("a1").orElseThrow());
        assertThat(accounts.existsById("a1")).isFalse();
    }

    @Test
    void updatingADeletedEntityFailsAndDeletingItAgainIsANoOp() {
        Account a = accounts.save(new Account("a1", "ada", 10));
        accounts.deleteById("a1");
        assertThatThrownBy(() -> accounts.save(a)).isInstanceOf(OptimisticLockingFailureException.class)
                .hasMessageContaining("no longer exists");
        accounts.delete(a);
        assertThat(accounts.count()).isZero();
    }

    @Test
    void insertingANewVersionedEntityOverAnExistingIdFails() {
        accounts.save(new Account("a1", "ada", 10));
        assertThatThrownBy(() -> accounts.save(new Account("a1", "bob", 1))).isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining("'a1'");
        assertThat(accounts.findById("a1").orElseThrow().owner).isEqualTo("ada");
    }

    @Test
    void aWriteBetweenTheVersionCheckAndTheWriteMakesTheSaveFail() {
        Account a = accounts.save(new Account("a1", "ada", 10));
        byte[] key = KeyLayout.key("accounts", "a1");
        // Another writer slips in after the version was checked: same version, other content.
        stores.template.setApplicationEventPublisher(event -> {
            if (event instanceof KeyValueEvent.BeforeUpdateEvent<?>) {
                String stored = new String(stores.store.get(key), StandardCharsets.UTF_8);
                stores.store.put(key, stored.replace("\"balance\":10", "\"balance\":77").getBytes(StandardCharsets.UTF_8));
            }
        });
        a.balance = 11;
        assertThatThrownBy(() -> accounts.save(a)).isInstanceOf(OptimisticLockingFailureException.class)
                .hasCauseInstanceOf(WriteConflictException.class).hasMessageContaining("changed concurrently");
        assertThat(accounts.findById("a1").orElseThrow().balance).isEqualTo(77);
    }

    @Test
    void concurrentReadModifyWriteLosesNoUpdate() throws Exception {
        accounts.save(new Account("a1", "ada", 0));
        int threads = 4;
        int increments = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> conflicts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            conflicts.add(pool.submit(() -> {
                int failed = 0;
                for (int done = 0; done < increments; ) {
                    Account a = accounts.findById("a1").orElseThrow();
                    a.balance++;
                    try {
                        accounts.save(a);
                        done++;
                    } catch (OptimisticLockingFailureException e) {
                        failed++;
                    }
                }
                return failed;
            }));
        }
        for (Future<Integer> f : conflicts) {
            f.get();
        }
        pool.shutdown();
        Account end = accounts.findById("a1").orElseThrow();
        assertThat(end.balance).isEqualTo(threads * increments);
        assertThat(end.version).isEqualTo(threads * increments);
    }
}
