package io.kvstore.data.repository;

import io.kvstore.data.core.KvCriteria;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.keyvalue.core.query.KeyValueQuery;
import org.springframework.data.repository.query.ParameterAccessor;
import org.springframework.data.repository.query.parser.AbstractQueryCreator;
import org.springframework.data.repository.query.parser.Part;
import org.springframework.data.repository.query.parser.PartTree;

/** Turns a derived query method's parts into {@link KvCriteria}; {@link io.kvstore.data.core.QueryPlanner} maps them onto indexes. */
public class KvStoreQueryCreator extends AbstractQueryCreator<KeyValueQuery<KvCriteria>, KvCriteria> {

    public KvStoreQueryCreator(PartTree tree) {
        super(tree);
    }

    public KvStoreQueryCreator(PartTree tree, ParameterAccessor parameters) {
        super(tree, parameters);
    }

    @Override
    protected KvCriteria create(Part part, Iterator<Object> arguments) {
        List<Object> args = new ArrayList<>();
        for (int i = 0; i < part.getNumberOfArguments(); i++) {
            args.add(arguments.next());
        }
        return new KvCriteria.Condition(part.getProperty().toDotPath(), part.getType(), args);
    }

    @Override
    protected KvCriteria and(Part part, KvCriteria base, Iterator<Object> arguments) {
        List<KvCriteria> parts = new ArrayList<>(base instanceof KvCriteria.And a ? a.parts() : List.of(base));
        parts.add(create(part, arguments));
        return new KvCriteria.And(List.copyOf(parts));
    }

    @Override
    protected KvCriteria or(KvCriteria base, KvCriteria criteria) {
        List<KvCriteria> parts = new ArrayList<>(base instanceof KvCriteria.Or o ? o.parts() : List.of(base));
        parts.add(criteria);
        return new KvCriteria.Or(List.copyOf(parts));
    }

    @Override
    protected KeyValueQuery<KvCriteria> complete(KvCriteria criteria, Sort sort) {
        return new KeyValueQuery<>(criteria, sort);
    }
}
