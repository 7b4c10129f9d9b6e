package io.kvstore.data.core;

import java.util.List;
import org.springframework.data.repository.query.parser.Part;

/** What a derived query (or a query-by-example probe) asks for, before it is mapped onto indexes. */
public sealed interface KvCriteria {

    /** One condition on a property path, e.g. {@code address.city} {@code SIMPLE_PROPERTY} {@code "Porto"}. */
    record Condition(String path, Part.Type type, List<Object> arguments) implements KvCriteria {
    }

    record And(List<KvCriteria> parts) implements KvCriteria {
    }

    record Or(List<KvCriteria> parts) implements KvCriteria {
    }
}
