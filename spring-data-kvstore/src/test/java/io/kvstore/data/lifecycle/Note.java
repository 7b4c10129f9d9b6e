package io.kvstore.data.lifecycle;

import java.time.Instant;
import org.springframework.data.annotation.CreatedDate;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.LastModifiedDate;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** Audited, not versioned, with an id the application assigns. */
@KeySpace("notes")
public class Note {
    @Id
    public String id;
    public String text;
    @CreatedDate
    public Instant created;
    @LastModifiedDate
    public Instant modified;

    public Note() {
    }

    public Note(String id, String text) {
        this.id = id;
        this.text = text;
    }
}
