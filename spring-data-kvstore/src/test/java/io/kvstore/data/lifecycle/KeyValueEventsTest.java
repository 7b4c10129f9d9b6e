package io.kvstore.data.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.data.support.Stores;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.keyvalue.core.event.KeyValueEvent;

/** The template and repositories publish Spring Data's key-value events around writes. */
class KeyValueEventsTest {

    @TempDir
    Path dir;
    Stores stores;
    AccountRepository accounts;
    NoteRepository notes;
    final List<KeyValueEvent<?>> events = new ArrayList<>();

    @BeforeEach
    void open() {
        stores = Stores.open(dir, Codec.JSON);
        stores.template.setApplicationEventPublisher(e -> events.add((KeyValueEvent<?>) e));
        accounts = stores.repository(AccountRepository.class);
        notes = stores.repository(NoteRepository.class);
    }

    @AfterEach
    void close() {
        stores.close();
    }

    private List<String> kinds() {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void saveUpdateAndDeletePublishBeforeAndAfterEvents() {
        Account a = accounts.save(new Account("a1", "ada", 1));
        a.balance = 2;
        accounts.save(a);
        accounts.delete(a);
        notes.save(new Note("n1", "x"));
        notes.save(new Note("n1", "y"));
        notes.deleteById("n1");
        assertThat(kinds()).containsExactly("BeforeInsertEvent", "AfterInsertEvent", "BeforeUpdateEvent",
                "AfterUpdateEvent", "BeforeDeleteEvent", "AfterDeleteEvent",
                "BeforeUpdateEvent", "AfterUpdateEvent", "BeforeUpdateEvent", "AfterUpdateEvent",
                "BeforeDeleteEvent", "AfterDeleteEvent");
        assertThat(events.get(0).getKeyspace()).isEqualTo("accounts");
        KeyValueEvent.AfterInsertEvent<?> inserted = (KeyValueEvent.AfterInsertEvent<?>) events.get(1);
        assertThat(inserted.getKey()).isEqualTo("a1");
        assertThat(((Account) inserted.getPayload()).owner).isEqualTo("ada");
        KeyValueEvent.AfterUpdateEvent<?> updated = (KeyValueEvent.AfterUpdateEvent<?>) events.get(9);
        assertThat(((Note) updated.before()).text).isEqualTo("x");
        assertThat(((Note) updated.after()).text).isEqualTo("y");
        KeyValueEvent.AfterDeleteEvent<?> deleted = (KeyValueEvent.AfterDeleteEvent<?>) events.get(11);
        assertThat(((Note) deleted.getPayload()).text).isEqualTo("y");
    }

    @Test
    void onlyTheChosenEventTypesArePublishedWhenAChoiceIsMade() {
        stores.template.setEventTypesToPublish(Set.of(KeyValueEvent.AfterInsertEvent.class));
        Account a = accounts.save(new Account("a1", "ada", 1));
        accounts.save(a);
        assertThat(kinds()).containsExactly("AfterInsertEvent");
    }
}
