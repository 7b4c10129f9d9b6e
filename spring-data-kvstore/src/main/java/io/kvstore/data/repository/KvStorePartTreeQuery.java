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
 * {@code Slice}, {@code Window} (keyset scrolling on the engine's index cursors, so scrolling
 * neither repeats nor skips an unchanged entity whatever else is written; see
 * {@link #window}), and
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
     * <p>Keyset positions come in two forms. After the last entity of a window that has a next
     * one: {@code {kvstore.cursor: c}}, the engine's own index cursor, exact whatever is written
     * meanwhile. After any other entity: {@code {kvstore.cursor: c, kvstore.key: k,
     * kvstore.offset: n}}, the cursor of the index page that held the entity (empty: the first
     * page), the entity's primary key (Base64url) and its 1-based place in that page. Scrolling
     * on from there reads from {@code c} and starts right after {@code k}, so entities written
     * meanwhile before {@code k} shift nothing (nothing repeats) and none after it is passed over
     * (nothing unchanged is skipped). If entity {@code k} itself has since been deleted or left
     * the result, scrolling resumes after the first {@code n - 1} entries after {@code c}.
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
        int place = 0;
        if (position instanceof KeysetScrollPosition keyset && !keyset.isInitial()) {
            if (keyset.scrollsBackward()) {
                throw new UnsupportedOperationException("backward keyset scrolling is not supported by "
                        + describe() + ": index cursors run one way; scroll forward, or reverse the sort");
            }
            Map<String, Object> keys = keyset.getKeys();
            Object c = keys.get(CURSOR_KEY);
            Object k = keys.get(KEY_KEY);
            Object n = keys.get(OFFSET_KEY);
            if (!(c instanceof String cursor) || (k == null) != (n == null) || k != null && !(k instanceof String)
                    || n != null && !(n instanceof Number)) {
                throw new IllegalArgumentException("keyset position " + keys + " was not made by a KvStore window: "
                        + "it needs " + CURSOR_KEY + " (and " + KEY_KEY + " with " + OFFSET_KEY + ")");
            }
            start = cursor.isEmpty() ? null : cursor;
            if (k != null) {
                anchor = Base64.getUrlDecoder().decode((String) k);
                place = Math.max(1, ((Number) n).intValue());
            }
        }
        Scrolled scrolled = scroll(source, start, anchor, place, size);
        if (scrolled == null) {
            // The anchor entity is gone: it was among the first `place` entries after `start`.
            scrolled = scroll(source, start, null, place - 1, size);
        }
        List<Placed> window = scrolled.entries();
        List<Object> content = new ArrayList<>(window.size());
        window.forEach(p -> content.add(entity(p.entry(), as)));
        String end = scrolled.endCursor();
        IntFunction<ScrollPosition> positions = i -> {
            if (i == window.size() - 1 && end != null) {
                return ScrollPosition.forward(Map.of(CURSOR_KEY, end));
            }
            Placed p = window.get(i);
            return ScrollPosition.forward(Map.of(CURSOR_KEY, p.pageCursor() == null ? "" : p.pageCursor(),
                    KEY_KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(p.entry().key()),
                    OFFSET_KEY, p.inPage()));
        };
        return Window.from(content, positions, scrolled.hasNext());
    }

    /** An entry, the engine cursor its page was read after, and its 1-based place in that page. */
    private record Placed(KvEntry entry, String pageCursor, int inPage) {
    }

    /** A window's entries; the engine cursor right after the last one, if the engine gave one. */
    private record Scrolled(List<Placed> entries, String endCursor, boolean hasNext) {
    }

    /**
     * At most {@code size} entries after the page cursor {@code start}: those after the entry
     * {@code anchor} when one is given ({@code null} if it is not there any more), else those
     * after the first {@code skip}. Pages are cut so that, when nothing changed, the window ends
     * where an engine page ends, which gives the exact cursor after its last entry.
     */
    private static Scrolled scroll(QueryPlanner.Source source, String start, byte[] anchor, int place, int size) {
        List<Placed> out = new ArrayList<>();
        boolean found = anchor == null;
        long skip = anchor == null ? place : 0;
        String cursor = start;
        // An unchanged anchor is the place-th entry: the first page ends right on it.
        int want = found ? (int) Math.min(PAGE, skip + size) : place;
        while (true) {
            QueryPlanner.Chunk chunk = source.next(cursor, Math.max(1, Math.min(PAGE, want)));
            List<KvEntry> entries = chunk.entries();
            int j = 0;
            for (; j < entries.size() && out.size() < size; j++) {
                KvEntry e = entries.get(j);
                if (!found) {
                    found = Arrays.equals(e.key(), anchor);
                } else if (skip > 0) {
                    skip--;
                } else {
                    out.add(new Placed(e, cursor, j + 1));
                }
            }
            boolean pageLeft = j < entries.size();
            if (out.size() == size || chunk.cursor() == null) {
                if (!found) {
                    return null;
                }
                String end = !pageLeft && chunk.cursor() != null ? chunk.cursor() : null;
                return new Scrolled(out, end, pageLeft || chunk.cursor() != null);
            }
            cursor = chunk.cursor();
            want = found ? (int) (skip + size - out.size()) : size;
        }
    }
}
