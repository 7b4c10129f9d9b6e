package io.kvstore.data.lifecycle;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.data.annotation.TimeToLive;
import io.kvstore.engine.index.IndexType;
import java.util.concurrent.TimeUnit;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** Lives one minute after each save, unless {@link #ttl} says otherwise. */
@KeySpace("sessions")
@TimeToLive(value = 1, unit = TimeUnit.MINUTES)
public class Session {
    @Id
    public String id;
    @Indexed
    public String user;
    @Indexed(type = IndexType.RANGE)
    public Integer hits;
    /** Seconds; when set, this session's own time to live. */
    @TimeToLive
    public Long ttl;

    public Session() {
    }

    public Session(String id, String user, int hits, Long ttl) {
        this.id = id;
        this.user = user;
        this.hits = hits;
        this.ttl = ttl;
    }
}
