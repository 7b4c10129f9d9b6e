package io.kvstore.data.mapping;

import io.kvstore.data.annotation.Indexed;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** An immutable class bound through its constructor; a missing id is generated. */
@KeySpace("badges")
public final class Badge {
    @Id
    private final String id;
    @Indexed
    private final String holder;
    private final int level;

    public Badge(String id, String holder, int level) {
        this.id = id;
        this.holder = holder;
        this.level = level;
    }

    public Badge withId(String id) {
        return new Badge(id, holder, level);
    }

    public String id() {
        return id;
    }

    public String holder() {
        return holder;
    }

    public int level() {
        return level;
    }
}
