package io.kvstore.data.core;

import io.kvstore.data.core.EntityIndexes.IndexedProperty;
import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.index.IndexQuery;
import io.kvstore.engine.index.IndexType;
import io.kvstore.engine.index.QueryPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.repository.query.parser.Part;

/**
 * Turns criteria and a sort into what the engine runs: an {@link IndexQuery} (never a scan), or,
 * for a query without criteria (findAll), a scan of the keyspace's key range, which holds only
 * that keyspace's records.
 */
public final class QueryPlanner {

    private final KvStore db;
    private final EntityMapper mapper;

    public QueryPlanner(KvStore db, EntityMapper mapper) {
        this.db = db;
        this.mapper = mapper;
    }

    /** Why {@code type} on {@code path} cannot be served, or {@code null} if it can. */
    public static String check(EntityIndexes indexes, String path, Part.Type type, Class<?> entity) {
        IndexedProperty p = indexes.get(path).orElse(null);
        String annotate = "annotate it with @Indexed";
        if (p == null) {
            return "property '" + path + "' of " + entity.getSimpleName() + " has no index; " + annotate
                    + (needsRange(type) ? "(type = IndexType.RANGE)" : "");
        }
        IndexType t = p.type();
        switch (type) {
            case SIMPLE_PROPERTY, IN, TRUE, FALSE, IS_NULL:
                return t == IndexType.TEXT ? "property '" + path + "' has a TEXT index, which answers Containing only; "
                        + "use @Indexed (EQUALITY) for " + type : null;
            case BETWEEN, GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN, LESS_THAN_EQUAL, AFTER, BEFORE:
                return t == IndexType.RANGE ? null : "property '" + path + "' has a " + t + " index; " + type
                        + " needs @Indexed(type = IndexType.RANGE)";
            case STARTING_WITH:
                return t == IndexType.RANGE || t == IndexType.PREFIX ? null : "property '" + path + "' has a " + t
                        + " index; StartingWith needs @Indexed(type = IndexType.PREFIX) or RANGE";
            case CONTAINING:
                return t == IndexType.TEXT || p.multiValued() ? null : "property '" + path + "' is neither a collection "
                        + "nor TEXT-indexed; Containing needs a collection with @Indexed or @Indexed(type = IndexType.TEXT)";
            case LIKE, NOT_LIKE, ENDING_WITH, NOT_CONTAINING, REGEX:
                return type + " on '" + path + "' cannot be served by an index: a pattern can match anywhere in "
                        + "the value, and KvStore never scans; use StartingWith with @Indexed(type = IndexType.PREFIX) "
                        + "or Containing (words) with @Indexed(type = IndexType.TEXT)";
            case NEGATING_SIMPLE_PROPERTY, NOT_IN, IS_NOT_NULL:
                return type + " on '" + path + "' cannot be served by an index: postings list what a record "
                        + "has, not what it lacks, and KvStore never scans; ask for the values you want with In, "
                        + "or with a range on @Indexed(type = IndexType.RANGE)";
            default:
                return type + " on '" + path + "' cannot be served by an index (no index answers " + type
                        + "); KvStore never scans, so express it with Is, In, Between, GreaterThan, LessThan, "
                        + "StartingWith, True, False, IsNull or Containing";
        }
    }

    private static boolean needsRange(Part.Type type) {
        return switch (type) {
            case BETWEEN, GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN, LESS_THAN_EQUAL, AFTER, BEFORE -> true;
            default -> false;
        };
    }

    /** Why sorting by {@code order} cannot be served, or {@code null}. */
    public static String checkSort(EntityIndexes indexes, Sort.Order order, String idProperty, Class<?> entity) {
        if (order.getProperty().equals(idProperty)) {
            return null;
        }
        IndexedProperty p = indexes.get(order.getProperty()).orElse(null);
        if (p == null || p.type() != IndexType.RANGE) {
            return "sorting by '" + order.getProperty() + "' of " + entity.getSimpleName()
                    + " needs @Indexed(type = IndexType.RANGE) on it (or sort by the id)";
        }
        return null;
    }

    /** The engine query for {@code criteria}, or {@code null} when it can match nothing ({@code In} an empty list). */
    public IndexQuery compile(KvCriteria criteria, EntityIndexes indexes, Class<?> entity) {
        if (criteria instanceof KvCriteria.And a) {
            IndexQuery q = null;
            for (KvCriteria p : a.parts()) {
                IndexQuery part = compile(p, indexes, entity);
                if (part == null) {
                    return null;
                }
                q = q == null ? part : q.and(part);
            }
            return q;
        }
        if (criteria instanceof KvCriteria.Or o) {
            IndexQuery q = null;
            for (KvCriteria p : o.parts()) {
                IndexQuery part = compile(p, indexes, entity);
                if (part != null) {
                    q = q == null ? part : q.or(part);
                }
            }
            return q;
        }
        KvCriteria.Condition c = (KvCriteria.Condition) criteria;
        String problem = check(indexes, c.path(), c.type(), entity);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        IndexedProperty p = indexes.get(c.path()).orElseThrow();
        String index = p.indexName();
        List<Object> args = c.arguments();
        return switch (c.type()) {
            case SIMPLE_PROPERTY -> IndexQuery.eq(index, mapper.toTerm(args.get(0)));
            case IN -> {
                List<Object> values = new ArrayList<>();
                Object arg = args.get(0);
                Collection<?> collection = arg instanceof Collection<?> col ? col
                        : arg instanceof Object[] array ? List.of(array) : List.of(arg);
                collection.forEach(v -> values.add(mapper.toTerm(v)));
                yield values.isEmpty() ? null : IndexQuery.in(index, values);
            }
            case BETWEEN -> IndexQuery.range(index, mapper.toTerm(args.get(0)), mapper.toTerm(args.get(1)));
            case GREATER_THAN, AFTER -> IndexQuery.gt(index, mapper.toTerm(args.get(0)));
            case GREATER_THAN_EQUAL -> IndexQuery.gte(index, mapper.toTerm(args.get(0)));
            case LESS_THAN, BEFORE -> IndexQuery.lt(index, mapper.toTerm(args.get(0)));
            case LESS_THAN_EQUAL -> IndexQuery.lte(index, mapper.toTerm(args.get(0)));
            case STARTING_WITH -> IndexQuery.prefix(index, String.valueOf(mapper.toTerm(args.get(0))));
            case TRUE -> IndexQuery.eq(index, true);
            case FALSE -> IndexQuery.eq(index, false);
            case IS_NULL -> IndexQuery.eq(index, null);
            case CONTAINING -> p.type() == IndexType.TEXT ? IndexQuery.text(index, String.valueOf(args.get(0)))
                    : IndexQuery.eq(index, mapper.toTerm(args.get(0)));
            default -> throw new IllegalArgumentException(check(indexes, c.path(), c.type(), entity));
        };
    }

    /**
     * A source of records in the query's order: the criteria's index query, ordered by
     * {@code sort} (a RANGE-indexed property, or the id); without criteria, the keyspace.
     */
    public Source source(KvCriteria criteria, Sort sort, EntityIndexes indexes, String idProperty, Class<?> entity) {
        Sort.Order first = null;
        for (Sort.Order o : sort) {
            String problem = checkSort(indexes, o, idProperty, entity);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (first == null) {
                first = o;
            } else if (!o.getProperty().equals(idProperty) || o.getDirection() != first.getDirection()) {
                // Index order is term then primary key, both one way: nothing else can be served.
                throw new IllegalArgumentException("only one sort property, then the id in the same direction, "
                        + "is supported; got " + sort);
            }
        }
        boolean byId = first == null || first.getProperty().equals(idProperty);
        boolean descending = first != null && first.isDescending();
        if (criteria == null && byId) {
            if (descending) {
                throw new IllegalArgumentException("findAll in descending id order is not supported: "
                        + "scans run forwards; sort by a RANGE-indexed property or use a query");
            }
            return new KeyspaceScan(indexes.keyspace());
        }
        IndexQuery q = criteria == null ? null : compile(criteria, indexes, entity);
        if (criteria != null && q == null) {
            return EMPTY;
        }
        if (!byId) {
            // The sort range goes first: an AND is ordered by its first range part.
            IndexQuery order = IndexQuery.range(indexes.get(first.getProperty()).orElseThrow().indexName(), null, null);
            q = q == null ? order : order.and(q);
        } else if (first != null) {
            // A query with a range part comes in term order; an explicit id sort wants key order.
            q = q.orderByKey();
        }
        return new IndexSource(descending ? q.descending() : q);
    }

    /** Records of a plan, page by page. */
    public interface Source {
        Chunk next(String cursor, int limit);

        long count();
    }

    public record Chunk(List<KvEntry> entries, String cursor) {
    }

    private static final Source EMPTY = new Source() {
        @Override
        public Chunk next(String cursor, int limit) {
            return new Chunk(List.of(), null);
        }

        @Override
        public long count() {
            return 0;
        }
    };

    private final class IndexSource implements Source {
        private final IndexQuery query;

        IndexSource(IndexQuery query) {
            this.query = query;
        }

        @Override
        public Chunk next(String cursor, int limit) {
            QueryPage page = db.query(query.limit(limit).after(cursor));
            return new Chunk(page.entries(), page.cursor());
        }

        @Override
        public long count() {
            return db.count(query);
        }
    }

    private final class KeyspaceScan implements Source {
        private final String keyspace;

        KeyspaceScan(String keyspace) {
            this.keyspace = keyspace;
        }

        @Override
        public Chunk next(String cursor, int limit) {
            KeyRange range = KeyRange.prefix(KeyLayout.prefix(keyspace));
            if (cursor != null) {
                range = range.resumeAfter(Base64.getUrlDecoder().decode(cursor));
            }
            List<KvEntry> entries = new ArrayList<>();
            String next = null;
            try (KvIterator it = db.scan(range)) {
                while (it.hasNext()) {
                    KvEntry e = it.next();
                    if (entries.size() == limit) {
                        next = Base64.getUrlEncoder().withoutPadding().encodeToString(entries.get(limit - 1).key());
                        break;
                    }
                    entries.add(e);
                }
            }
            return new Chunk(entries, next);
        }

        @Override
        public long count() {
            long n = 0;
            try (KvIterator it = db.scan(KeyRange.prefix(KeyLayout.prefix(keyspace).getBytes(StandardCharsets.UTF_8)))) {
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
            }
            return n;
        }
    }
}
