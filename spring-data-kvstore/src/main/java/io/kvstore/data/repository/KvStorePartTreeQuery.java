package io.kvstore.data.repository;

import io.kvstore.data.core.EntityRegistry.EntityInfo;
import io.kvstore.data.core.KvCriteria;
import io.kvstore.data.core.KvStoreExceptionTranslator;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.data.core.QueryPlanner;
import io.kvstore.engine.KvEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.OffsetScrollPosition;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.SliceImpl;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.keyvalue.core.KeyValueOperations;
import org.springframework.data.keyvalue.core.query.KeyValueQuery;
import org.springframework.data.repository.query.ParametersParameterAccessor;
import org.springframework.data.repository.query.QueryMethod;
import org.springframework.data.repository.query.RepositoryQuery;
import org.springframework.data.repository.query.ResultProcessor;
import org.springframework.data.repository.query.ValueExpressionDelegate;
import org.springframework.data.repository.query.parser.AbstractQueryCreator;
import org.springframework.data.repository.query.parser.Part;
import org.springframework.data.repository.query.parser.PartTree;
import org.springframework.data.support.PageableExecutionUtils;

/**
 * A derived query method, run on indexes. Checked when the repository is created: a method no
 * index can serve (an unindexed property, a range on an equality index, a sort on a property
 * without a RANGE index, {@code Not}, {@code Like}, {@code IgnoreCase}, …) fails application
 * startup with a message naming the method, the property and the annotation that would fix it.
 *
 * <p>Return types: entity, {@code Optional}, {@code List}/collections, {@code Stream} (lazy,
 * reading page by page), {@code Page} (with a total from a count on the same indexes),
 * {@code Slice}, {@code Window} (keyset scrolling: the position holds the engine's index cursor,
 * so scrolling neither repeats nor skips an unchanged entity whatever else is written), and
 * {@code count}/{@code exists}/{@code delete} subjects; projections through Spring Data's result
 * processing.
 */
public class KvStorePartTreeQuery implements RepositoryQuery {

    /** The key of the engine cursor in a {@link KeysetScrollPosition}. */
    public static final String CURSOR_KEY = "kvstore.cursor";
    /** The key of the entity's primary key in a {@link KeysetScrollPosition}. */
    public static final String KEY_KEY = "kvstore.key";
    /** The key of the entity's place in its index page in a {@link KeysetScrollPosition}. */
    public static final String OFFSET_KEY = "kvstore.offset";
    private static final int PAGE = 500;

    private final QueryMethod method;
    private final KvStoreTemplate template;
    private final PartTree tree;
    private final EntityInfo info;

    public KvStorePartTreeQuery(QueryMethod method, ValueExpressionDelegate expressions, KeyValueOperations operations,
            Class<? extends AbstractQueryCreator<?, ?>> creator) {
        this.method = method;
        if (!(operations instanceof KvStoreTemplate t)) {
            throw new IllegalStateException("KvStore repositories need a KvStoreTemplate, got " + operations.getClass().getName());
        }
        this.template = t;
        Class<?> domain = method.getEntityInformation().getJavaType();
        this.tree = new PartTree(method.getName(), domain);
        this.info = template.adapter().registry().of(domain);
        validate();
    }

    private void validate() {
        for (PartTree.OrPart or : tree) {
            for (Part part : or) {
                if (part.shouldIgnoreCase() != Part.IgnoreCaseType.NEVER) {
                    fail("IgnoreCase on '" + part.getProperty().toDotPath() + "' cannot be served by an index; "
                            + "store a normalized copy of the property and index that");
                }
                String problem = QueryPlanner.check(info.indexes(), part.getProperty().toDotPath(), part.getType(),
                        info.type());
                if (problem != null) {
                    fail(problem);
                }
            }
        }
        for (Sort.Order order : tree.getSort()) {
            String problem = QueryPlanner.checkSort(info.indexes(), order, info.idProperty(), info.type());
            if (problem != null) {
                fail(problem);
            }
        }
    }

    private void fail(String problem) {
        throw new IllegalStateException("KvStore cannot serve repository method " + describe() + ": " + problem);
    }

    private String describe() {
        // "public abstract java.util.List com.example.UserRepository.findByX(java.lang.String)" -> "UserRepository.findByX(String)"
        String text = method.toString();
        int paren = text.indexOf('(');
        String head = paren < 0 ? text : text.substring(0, paren);
        String name = head.substring(head.lastIndexOf(' ') + 1);
        String[] parts = name.split("\\.");
        String shortName = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
        String args = paren < 0 ? "" : text.substring(paren).replaceAll("[a-zA-Z_$0-9]+\\.", "");
        return shortName + args;
    }

    @Override
    public QueryMethod getQueryMethod() {
        return method;
    }

    @Override
    public Object execute(Object[] parameters) {
        try {
            return doExecute(parameters);
        } catch (RuntimeException e) {
            throw KvStoreExceptionTranslator.INSTANCE.translate(e);
        }
    }

    private Object doExecute(Object[] parameters) {
        ParametersParameterAccessor accessor = new ParametersParameterAccessor(method.getParameters(), parameters);
        KeyValueQuery<KvCriteria> query = new KvStoreQueryCreator(tree, accessor).createQuery();
        QueryPlanner.Source source = template.adapter().planner().source(query.getCriteria(), query.getSort(),
                info.indexes(), info.idProperty(), info.type());
        ResultProcessor processor = method.getResultProcessor().withDynamicProjection(accessor);
        // A DTO projection reads the stored document straight into the DTO; interface projections
        // are proxies over the entity, made by the result processor.
        Class<?> projection = processor.getReturnedType().getReturnedType();
        Class<?> readAs = processor.getReturnedType().isProjecting() && !projection.isInterface() ? projection : info.type();
        int limit = limit(accessor);

        if (tree.isCountProjection()) {
            return source.count();
        }
        if (tree.isExistsProjection()) {
            return !source.next(null, 1).entries().isEmpty();
        }
        if (tree.isDelete()) {
            List<Object> deleted = new ArrayList<>();
            read(source, 0, limit, info.type()).forEach(e -> deleted.add(template.delete(e)));
            Class<?> returned = method.getReturnedObjectType();
            if (returned == long.class || returned == Long.class || returned == int.class || returned == Integer.class) {
                return returned == int.class || returned == Integer.class ? (Object) deleted.size() : (Object) (long) deleted.size();
            }
            return method.isCollectionQuery() ? processor.processResult(deleted) : deleted.isEmpty() ? null
                    : processor.processResult(deleted.get(0));
        }
        if (method.isScrollQuery()) {
            return window(source, accessor.getScrollPosition(), limit == Integer.MAX_VALUE ? PAGE : limit, readAs)
                    .map(processor::processResult);
        }
        Pageable pageable = accessor.getPageable();
        if (method.isPageQuery()) {
            List<Object> content = pageable.isPaged()
                    ? read(source, pageable.getOffset(), Math.min(limit, pageable.getPageSize()), readAs)
                    : read(source, 0, limit, readAs);
            return processor.processResult(PageableExecutionUtils.getPage(content, pageable, source::count));
        }
        if (method.isSliceQuery()) {
            int size = pageable.isPaged() ? Math.min(limit, pageable.getPageSize()) : limit;
            List<Object> content = read(source, pageable.isPaged() ? pageable.getOffset() : 0,
                    size == Integer.MAX_VALUE ? size : size + 1, readAs);
            boolean hasNext = content.size() > size;
            return processor.processResult(new SliceImpl<>(hasNext ? content.subList(0, size) : content, pageable, hasNext));
        }
        if (method.isStreamQuery()) {
            return processor.processResult(stream(source, limit, readAs));
        }
        if (method.isCollectionQuery()) {
            long offset = pageable.isPaged() ? pageable.getOffset() : 0;
            int size = pageable.isPaged() ? Math.min(limit, pageable.getPageSize()) : limit;
            return processor.processResult(read(source, offset, size, readAs));
        }
        List<Object> found = read(source, 0, Math.min(limit, 2), readAs);
        if (found.size() > 1 && limit > 1) {
            throw new IncorrectResultSizeDataAccessException("repository method " + describe()
                    + " expected one result but found more", 1);
        }
        return found.isEmpty() ? null : processor.processResult(found.get(0));
    }

    /** Top/First n, a {@link Limit} parameter: the smaller; none: unlimited. */
    private int limit(ParametersParameterAccessor accessor) {
        int limit = tree.isLimiting() ? tree.getMaxResults() : Integer.MAX_VALUE;
        Limit l = accessor.getLimit();
        if (l != null && l.isLimited()) {
            limit = Math.min(limit, l.max());
        }
        return limit;
    }

    /** Entities after the first {@code offset}, at most {@code max}, read page by page. */
    private List<Object> read(QueryPlanner.Source source, long offset, int max, Class<?> as) {
        List<Object> out = new ArrayList<>();
        String cursor = null;
        long skip = offset;
        do {
            long wanted = skip + (long) max - out.size();
            QueryPlanner.Chunk chunk = source.next(cursor, (int) Math.max(1, Math.min(PAGE, wanted)));
            for (KvEntry e : chunk.entries()) {
                if (skip > 0) {
                    skip--;
                } else if (out.size() < max) {
                    out.add(entity(e, as));
                }
            }
            cursor = chunk.cursor();
        } while (cursor != null && out.size() < max);
        return out;
    }

    private Object entity(KvEntry e, Class<?> as) {
        return template.adapter().mapper().read(e.value(), as);
    }

    private Stream<Object> stream(QueryPlanner.Source source, int limit, Class<?> as) {
        Iterator<Object> it = new Iterator<>() {
            private List<KvEntry> page = List.of();
            private int i;
            private String cursor;
            private boolean last;
            private int returned;

            @Override
            public boolean hasNext() {
                while (i >= page.size() && !last && returned < limit) {
                    QueryPlanner.Chunk chunk = source.next(cursor, Math.min(PAGE, limit - returned));
                    page = chunk.entries();
                    i = 0;
                    cursor = chunk.cursor();
                    last = cursor == null;
                }
                return i < page.size() && returned < limit;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                returned++;
                return entity(page.get(i++), as);
            }
        };
        // Nothing stays open between pages, so closing the stream has nothing to release.
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false);
    }

    /**
     * A window of at most {@code size} entities after {@code position}.
     *
     * <p>Keyset positions are {@code {kvstore.cursor: c, kvstore.key: k, kvstore.offset: n}}: the
     * engine cursor {@code c} of the index page that held entity {@code k} (empty: the first
     * page), the entity's primary key (Base64url) and its place {@code n} in that page. Scrolling
     * on reads from {@code c} and starts after {@code k}, so entities written meanwhile before
     * {@code k} do not shift the window (nothing repeats) and none after it is passed over
     * (nothing unchanged is skipped). Only if {@code k} itself was deleted or moved does it fall
     * back to skipping {@code n} entries after {@code c}.
     */
    private Window<Object> window(QueryPlanner.Source source, ScrollPosition position, int size, Class<?> as) {
        if (position instanceof OffsetScrollPosition offset) {
            // An offset position is the index of an element; the next window starts after it.
            long start = offset.isInitial() ? 0 : offset.getOffset() + 1;
            List<Object> content = read(source, start, size + 1, as);
            boolean hasNext = content.size() > size;
            List<Object> window = hasNext ? content.subList(0, size) : content;
            return Window.from(window, OffsetScrollPosition.positionFunction(start), hasNext);
        }
        String start = null;
        byte[] anchor = null;
        long skip = 0;
        if (position instanceof KeysetScrollPosition keyset && !keyset.isInitial()) {
            if (keyset.scrollsBackward()) {
                throw new UnsupportedOperationException("backward keyset scrolling is not supported by "
                        + describe() + ": index cursors run one way; scroll forward, or reverse the sort");
            }
            Map<String, Object> keys = keyset.getKeys();
            if (!(keys.get(CURSOR_KEY) instanceof String c) || !(keys.get(KEY_KEY) instanceof String k)
                    || !(keys.get(OFFSET_KEY) instanceof Number n)) {
                throw new IllegalArgumentException("keyset position " + keys + " was not made by a KvStore window: "
                        + "it needs " + CURSOR_KEY + ", " + KEY_KEY + " and " + OFFSET_KEY);
            }
            start = c.isEmpty() ? null : c;
            anchor = Base64.getUrlDecoder().decode(k);
            skip = n.longValue();
        }
        List<Placed> placed = placedAfter(source, start, anchor, 0, size + 1);
        if (placed == null) {
            placed = placedAfter(source, start, null, skip, size + 1); // the anchor is gone: count instead
        }
        boolean hasNext = placed.size() > size;
        List<Placed> window = hasNext ? placed.subList(0, size) : placed;
        List<Object> content = new ArrayList<>(window.size());
        window.forEach(p -> content.add(entity(p.entry(), as)));
        IntFunction<ScrollPosition> positions = i -> {
            Placed p = window.get(i);
            return ScrollPosition.forward(Map.of(CURSOR_KEY, p.pageCursor() == null ? "" : p.pageCursor(),
                    KEY_KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(p.entry().key()),
                    OFFSET_KEY, p.inPage()));
        };
        return Window.from(content, positions, hasNext);
    }

    /** An entry, the engine cursor its page was read after, and its 1-based place in that page. */
    private record Placed(KvEntry entry, String pageCursor, int inPage) {
    }

    /**
     * At most {@code max} entries after the page cursor {@code start}: those after the entry
     * {@code anchor} when it is given ({@code null} if it is not among them), else those after the
     * first {@code skip}.
     */
    private static List<Placed> placedAfter(QueryPlanner.Source source, String start, byte[] anchor, long skip,
            int max) {
        List<Placed> out = new ArrayList<>();
        boolean found = anchor == null;
        String cursor = start;
        do {
            int want = (int) Math.min(PAGE, max - out.size() + (found ? skip : Math.max(skip, 1)));
            QueryPlanner.Chunk chunk = source.next(cursor, Math.max(1, want));
            List<KvEntry> entries = chunk.entries();
            for (int j = 0; j < entries.size() && out.size() < max; j++) {
                KvEntry e = entries.get(j);
                if (!found) {
                    found = Arrays.equals(e.key(), anchor);
                } else if (skip > 0) {
                    skip--;
                } else {
                    out.add(new Placed(e, cursor, j + 1));
                }
            }
            cursor = chunk.cursor();
        } while (cursor != null && out.size() < max);
        return found ? out : null;
    }
}
