package io.kvstore.engine.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document parsed into a tree: objects are {@code Map<String, Object>}, arrays
 * {@code List<Object>}, leaves the value-model types (see the package documentation) or
 * {@link #NOT_A_VALUE} for BSON types outside the model. Built by the JSON and BSON codecs, never
 * changed afterwards.
 */
final class TreeDocument implements Document {

    /** A leaf of a type the value model does not cover (BSON regex, JavaScript, MinKey, ...). */
    static final Object NOT_A_VALUE = new Object() {
        @Override
        public String toString() {
            return "NOT_A_VALUE";
        }
    };

    private final Object root;

    TreeDocument(Object root) {
        this.root = root;
    }

    @Override
    public List<Object> read(FieldPath path) {
        Objects.requireNonNull(path, "path must not be null");
        List<Object> values = new ArrayList<>(1);
        collect(root, path.steps(), 0, values);
        return values.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(values);
    }

    private static void collect(Object node, List<FieldPath.Step> steps, int at, List<Object> values) {
        if (at == steps.size()) {
            if (node instanceof byte[] bytes) {
                values.add(bytes.clone());
            } else if (!(node instanceof Map || node instanceof List || node == NOT_A_VALUE)) {
                values.add(node);
            }
            return;
        }
        FieldPath.Step step = steps.get(at);
        if (step instanceof FieldPath.Name name) {
            if (node instanceof Map<?, ?> object) {
                Object member = object.get(name.name());
                if (member != null || object.containsKey(name.name())) {
                    collect(member, steps, at + 1, values);
                }
            }
        } else if (step instanceof FieldPath.Index index) {
            if (node instanceof List<?> array && index.index() < array.size()) {
                collect(array.get(index.index()), steps, at + 1, values);
            }
        } else if (node instanceof List<?> array) {
            for (Object element : array) {
                collect(element, steps, at + 1, values);
            }
        }
    }
}
