package io.kvstore.data.repository;

import io.kvstore.data.core.EntityRegistry.EntityInfo;
import io.kvstore.data.core.KeyLayout;
import io.kvstore.data.core.KvCriteria;
import io.kvstore.data.core.KvStoreExceptionTranslator;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.data.core.QueryPlanner;
import io.kvstore.engine.KvEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.data.domain.Example;
import org.springframework.data.domain.ExampleMatcher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.keyvalue.repository.support.SimpleKeyValueRepository;
import org.springframework.data.repository.core.EntityInformation;
import org.springframework.data.repository.query.FluentQuery;
import org.springframework.data.repository.query.parser.Part;
import org.springframework.data.support.PageableExecutionUtils;
import tools.jackson.databind.JsonNode;

/**
 * The base of every KvStore repository: Spring Data's key-value CRUD, plus {@code findAllById}
 * as one multi-get at one point in time, and query by example as exact matches on indexed
 * properties ({@code ExampleMatcher} any or all; set properties that have no index must be
 * ignored with {@code withIgnorePaths}, since nothing is ever scanned).
 */
public class SimpleKvStoreRepository<T, ID> extends SimpleKeyValueRepository<T, ID> implements KvStoreRepository<T, ID> {

    private final KvStoreTemplate template;
    private final EntityInformation<T, ID> entityInformation;

    public SimpleKvStoreRepository(EntityInformation<T, ID> metadata, KvStoreTemplate template) {
        super(metadata, template);
        this.template = template;
        this.entityInformation = metadata;
    }

    private EntityInfo info() {
        return template.adapter().registry().of(entityInformation.getJavaType());
    }

    @Override
    public List<T> findAllById(Iterable<ID> ids) {
        EntityInfo info = info();
        List<byte[]> keys = new ArrayList<>();
        ids.forEach(id -> keys.add(KeyLayout.key(info.keyspace(), id)));
        List<T> found = new ArrayList<>();
        try {
            for (byte[] value : template.adapter().store().getAll(keys)) {
                if (value != null) {
                    found.add(template.adapter().mapper().read(value, entityInformation.getJavaType()));
                }
            }
        } catch (RuntimeException e) {
            throw KvStoreExceptionTranslator.INSTANCE.translate(e);
        }
        return found;
    }

    // ---------------------------------------------------------------- query by example

    private <S extends T> QueryPlanner.Source source(Example<S> example, Sort sort) {
        EntityInfo info = info();
        ExampleMatcher matcher = example.getMatcher();
        JsonNode probe = template.adapter().mapper().tree(template.adapter().mapper().write(example.getProbe()));
        List<KvCriteria> conditions = new ArrayList<>();
        collect(probe, "", matcher, info, conditions);
        if (conditions.isEmpty()) {
            throw new org.springframework.dao.InvalidDataAccessApiUsageException("query by example needs at least one "
                    + "set, indexed property in the probe; KvStore never scans");
        }
        KvCriteria criteria = conditions.size() == 1 ? conditions.get(0)
                : matcher.isAllMatching() ? new KvCriteria.And(conditions) : new KvCriteria.Or(conditions);
        try {
            return template.adapter().planner().source(criteria, sort, info.indexes(), info.idProperty(), info.type());
        } catch (RuntimeException e) {
            throw KvStoreExceptionTranslator.INSTANCE.translate(e);
        }
    }

    private void collect(JsonNode node, String prefix, ExampleMatcher matcher, EntityInfo info, List<KvCriteria> out) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String path = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (matcher.isIgnoredPath(path) || path.equals(info.idProperty()) || value.isNull() || value.isArray()) {
                continue;
            }
            if (value.isObject()) {
                collect(value, path + ".", matcher, info, out);
                continue;
            }
            ExampleMatcher.StringMatcher strings = matcher.getPropertySpecifiers().hasSpecifierForPath(path)
                    ? matcher.getPropertySpecifiers().getForPath(path).getStringMatcher() : matcher.getDefaultStringMatcher();
            Part.Type type = Part.Type.SIMPLE_PROPERTY;
            if (strings == ExampleMatcher.StringMatcher.STARTING && value.isString()) {
                type = Part.Type.STARTING_WITH;
            } else if (strings != ExampleMatcher.StringMatcher.DEFAULT && strings != ExampleMatcher.StringMatcher.EXACT) {
                throw new org.springframework.dao.InvalidDataAccessApiUsageException("query by example with "
                        + strings + " matching on '" + path + "' cannot be served by an index");
            }
            if (matcher.isIgnoreCaseEnabled()) {
                throw new org.springframework.dao.InvalidDataAccessApiUsageException("query by example ignoring case "
                        + "cannot be served by an index");
            }
            String problem = QueryPlanner.check(info.indexes(), path, type, info.type());
            if (problem != null) {
                throw new org.springframework.dao.InvalidDataAccessApiUsageException("query by example: " + problem
                        + ", or leave it out of the example with ExampleMatcher.withIgnorePaths(\"" + path + "\")");
            }
            Object scalar = value.isBoolean() ? value.booleanValue() : value.isIntegralNumber() ? value.longValue()
                    : value.isNumber() ? value.doubleValue() : value.stringValue();
            out.add(new KvCriteria.Condition(path, type, List.of(scalar)));
        }
    }

    private <S> List<S> read(QueryPlanner.Source source, long offset, int max, Class<S> type) {
        List<S> out = new ArrayList<>();
        String cursor = null;
        long skip = offset;
        do {
            QueryPlanner.Chunk chunk = source.next(cursor, (int) Math.max(1, Math.min(500, skip + (long) max - out.size())));
            for (KvEntry e : chunk.entries()) {
                if (skip > 0) {
                    skip--;
                } else if (out.size() < max) {
                    out.add(template.adapter().mapper().read(e.value(), type));
                }
            }
            cursor = chunk.cursor();
        } while (cursor != null && out.size() < max);
        return out;
    }

    @Override
    public <S extends T> Optional<S> findOne(Example<S> example) {
        List<S> found = read(source(example, Sort.unsorted()), 0, 2, example.getProbeType());
        if (found.size() > 1) {
            throw new IncorrectResultSizeDataAccessException(1, found.size());
        }
        return found.stream().findFirst();
    }

    @Override
    public <S extends T> List<S> findAll(Example<S> example) {
        return read(source(example, Sort.unsorted()), 0, Integer.MAX_VALUE, example.getProbeType());
    }

    @Override
    public <S extends T> List<S> findAll(Example<S> example, Sort sort) {
        return read(source(example, sort), 0, Integer.MAX_VALUE, example.getProbeType());
    }

    @Override
    public <S extends T> Page<S> findAll(Example<S> example, Pageable pageable) {
        QueryPlanner.Source source = source(example, pageable.getSort());
        List<S> content = pageable.isPaged() ? read(source, pageable.getOffset(), pageable.getPageSize(), example.getProbeType())
                : read(source, 0, Integer.MAX_VALUE, example.getProbeType());
        return PageableExecutionUtils.getPage(content, pageable, source::count);
    }

    @Override
    public <S extends T> long count(Example<S> example) {
        return source(example, Sort.unsorted()).count();
    }

    @Override
    public <S extends T> boolean exists(Example<S> example) {
        return !source(example, Sort.unsorted()).next(null, 1).entries().isEmpty();
    }

    @Override
    public <S extends T, R> R findBy(Example<S> example, Function<FluentQuery.FetchableFluentQuery<S>, R> queryFunction) {
        return queryFunction.apply(new Fluent<>(example, Sort.unsorted(), Integer.MAX_VALUE));
    }

    /** The fluent form of query by example, without projections (those fail with a clear message). */
    private final class Fluent<S extends T> implements FluentQuery.FetchableFluentQuery<S> {
        private final Example<S> example;
        private final Sort sort;
        private final int limit;

        Fluent(Example<S> example, Sort sort, int limit) {
            this.example = example;
            this.sort = sort;
            this.limit = limit;
        }

        @Override
        public FetchableFluentQuery<S> sortBy(Sort sort) {
            return new Fluent<>(example, this.sort.and(sort), limit);
        }

        @Override
        public FetchableFluentQuery<S> limit(int limit) {
            return new Fluent<>(example, sort, limit);
        }

        @Override
        public <R> FetchableFluentQuery<R> as(Class<R> resultType) {
            throw new UnsupportedOperationException("query by example with projections is not supported; "
                    + "use a derived query method with a projection return type");
        }

        @Override
        public FetchableFluentQuery<S> project(java.util.Collection<String> properties) {
            throw new UnsupportedOperationException("query by example with projections is not supported");
        }

        @Override
        public S oneValue() {
            List<S> found = read(source(example, sort), 0, 2, example.getProbeType());
            if (found.size() > 1) {
                throw new IncorrectResultSizeDataAccessException(1, found.size());
            }
            return found.isEmpty() ? null : found.get(0);
        }

        @Override
        public S firstValue() {
            List<S> found = read(source(example, sort), 0, 1, example.getProbeType());
            return found.isEmpty() ? null : found.get(0);
        }

        @Override
        public List<S> all() {
            return read(source(example, sort), 0, limit, example.getProbeType());
        }

        @Override
        public Page<S> page(Pageable pageable) {
            return SimpleKvStoreRepository.this.findAll(example, pageable);
        }

        @Override
        public Stream<S> stream() {
            return all().stream();
        }

        @Override
        public long count() {
            return SimpleKvStoreRepository.this.count(example);
        }

        @Override
        public boolean exists() {
            return SimpleKvStoreRepository.this.exists(example);
        }
    }

}
