package io.kvstore.data.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.data.support.Stores;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.auditing.IsNewAwareAuditingHandler;
import org.springframework.data.keyvalue.core.mapping.context.KeyValueMappingContext;

/** {@code @CreatedDate}/{@code @LastModifiedDate} (and by) from an injectable clock and auditor. */
class AuditingTest {

    @TempDir
    Path dir;
    Stores stores;
    AccountRepository accounts;
    NoteRepository notes;
    final AtomicReference<String> auditor = new AtomicReference<>("ada");

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON);
        IsNewAwareAuditingHandler handler = IsNewAwareAuditingHandler.from(new KeyValueMappingContext<>());
        handler.setDateTimeProvider(() -> Optional.of(stores.clock.instant()));
        handler.setAuditorAware(() -> Optional.of(auditor.get()));
        stores.template.setAuditingHandler(handler);
        accounts = stores.repository(AccountRepository.class);
        notes = stores.repository(NoteRepository.class);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void creationAndModificationAreStampedFromTheClockAndTheAuditor() {
        Instant t0 = stores.clock.instant();
        Account a = accounts.save(new Account("a1", "ada", 1));
        assertThat(a.created).isEqualTo(t0);
        assertThat(a.modified).isEqualTo(t0);
        assertThat(a.createdBy).isEqualTo("ada");

        stores.clock.advance(Duration.ofMinutes(5));
        auditor.set("bob");
        Account loaded = accounts.findById("a1").orElseThrow();
        loaded.balance = 2;
        Account saved = accounts.save(loaded);
        assertThat(saved.created).isEqualTo(t0);
        assertThat(saved.createdBy).isEqualTo("ada");
        assertThat(saved.modified).isEqualTo(t0.plus(Duration.ofMinutes(5)));
        assertThat(saved.modifiedBy).isEqualTo("bob");
        Account stored = accounts.findById("a1").orElseThrow();
        assertThat(stored.created).isEqualTo(t0);
        assertThat(stored.modified).isEqualTo(t0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void anEntityWithAnAssignedIdIsCreatedOnceAndItsCreationDateIsNeverOverwritten() {
        Instant t0 = stores.clock.instant();
        notes.save(new Note("n1", "first"));
        assertThat(notes.findById("n1").orElseThrow().created).isEqualTo(t0);

        stores.clock.advance(Duration.ofHours(1));
        // A fresh copy without the creation date, saved over the stored one.
        Note copy = notes.save(new Note("n1", "second"));
        assertThat(copy.created).isEqualTo(t0);
        Note stored = notes.findById("n1").orElseThrow();
        assertThat(stored.text).isEqualTo("second");
        assertThat(stored.created).isEqualTo(t0);
        assertThat(stored.modified).isEqualTo(t0.plus(Duration.ofHours(1)));

        stores.clock.advance(Duration.ofHours(1));
        Note forged = notes.findById("n1").orElseThrow();
        forged.created = Instant.EPOCH;
        notes.save(forged);
        assertThat(notes.findById("n1").orElseThrow().created).isEqualTo(t0);
    }
}
