package io.kvstore.data.mapping;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.index.IndexType;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** Numeric ids, negative ones too. */
@KeySpace("counters")
public class Counter {
    @Id
    public Long id;
    @Indexed(type = IndexType.RANGE)
    public int n;

    public Counter() {
    }

    public Counter(Long id, int n) {
        this.id = id;
        this.n = n;
    }
}
