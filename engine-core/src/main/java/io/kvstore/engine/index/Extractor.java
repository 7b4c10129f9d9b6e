package io.kvstore.engine.index;

import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.codec.FieldPath;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a record's value into the values an index files it under. A value may yield no values
 * (the record is not in the index), one, or several (a multi-valued index: each is a term).
 *
 * <p>Values are {@code String}, integral numbers ({@code Long}, {@code Integer}, …), floating
 * point numbers, {@code Boolean}, {@code byte[]} or {@code null}; integers and doubles compare
 * numerically with each other.
 *
 * <p>The built-in extractors are stored with the index definition and work after a restart by
 * themselves; a {@link #custom custom} one is stored by name only, and the application supplies
 * the function again after each open by calling {@code indexes().create(definition)}.
 */
public abstract sealed class Extractor {

    private Extractor() {
    }

    /** The whole value: as a string when it is valid UTF-8, else as bytes. */
    public static Extractor raw() {
        return Raw.INSTANCE;
    }

    /** The values at a path in a JSON value, e.g. {@code $.city}, {@code $.address.city}, {@code $.tags[*]}. */
    public static Extractor jsonPath(String path) {
        return new Path(Codec.JSON, FieldPath.parse(Objects.requireNonNull(path, "path must not be null")));
    }

    /** The values at a path in a BSON document, with the syntax of {@link #jsonPath}. */
    public static Extractor bsonPath(String path) {
        return new Path(Codec.BSON, FieldPath.parse(Objects.requireNonNull(path, "path must not be null")));
    }

    /**
     * A Java function of the value bytes to the values to index ({@code null} or empty: none).
     * {@code name} identifies the function in the stored definition.
     */
    public static Extractor custom(String name, Function<byte[], ? extends Collection<?>> function) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(function, "function must not be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("custom extractor name must not be blank");
        }
        return new Custom(name, function);
    }

    /** The values of a record's value to index. */
    abstract Collection<?> extract(ParsedValue v);

    /** Whether one value can yield several values. */
    abstract boolean multiValued();

    /** The stored form: {@code raw}, {@code json:$.city}, {@code bson:$.city}, {@code custom:name}. */
    abstract String spec();

    /** The extractor a stored spec names; a custom one comes back without its function. */
    static Extractor fromSpec(String spec) {
        if (spec.equals("raw")) {
            return raw();
        }
        if (spec.startsWith("json:")) {
            return jsonPath(spec.substring(5));
        }
        if (spec.startsWith("bson:")) {
            return bsonPath(spec.substring(5));
        }
        if (spec.startsWith("custom:")) {
            return new Custom(spec.substring(7), null);
        }
        throw new IllegalArgumentException("unknown extractor '" + spec + "' in a stored index definition");
    }

    @Override
    public final boolean equals(Object o) {
        return o instanceof Extractor other && spec().equals(other.spec());
    }

    @Override
    public final int hashCode() {
        return spec().hashCode();
    }

    @Override
    public String toString() {
        return spec();
    }

    static final class Raw extends Extractor {
        static final Raw INSTANCE = new Raw();
        private static final FieldPath WHOLE = FieldPath.parse("$");

        @Override
        Collection<?> extract(ParsedValue v) {
            return v.document(Codec.RAW).read(WHOLE);
        }

        @Override
        boolean multiValued() {
            return false;
        }

        @Override
        String spec() {
            return "raw";
        }
    }

    static final class Path extends Extractor {
        private final Codec codec;
        private final FieldPath path;

        Path(Codec codec, FieldPath path) {
            this.codec = codec;
            this.path = path;
        }

        @Override
        Collection<?> extract(ParsedValue v) {
            return v.document(codec).read(path);
        }

        @Override
        boolean multiValued() {
            return path.toString().contains("[*]");
        }

        @Override
        String spec() {
            return codec.name() + ":" + path;
        }
    }

    static final class Custom extends Extractor {
        private final String name;
        /** {@code null} after a restart until the application supplies the function again. */
        private final Function<byte[], ? extends Collection<?>> function;

        Custom(String name, Function<byte[], ? extends Collection<?>> function) {
            this.name = name;
            this.function = function;
        }

        boolean resolved() {
            return function != null;
        }

        @Override
        Collection<?> extract(ParsedValue v) {
            Collection<?> values = function.apply(v.value);
            return values == null ? List.of() : values;
        }

        @Override
        boolean multiValued() {
            return true;
        }

        @Override
        String spec() {
            return "custom:" + name;
        }
    }
}
