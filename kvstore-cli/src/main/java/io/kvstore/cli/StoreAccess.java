package io.kvstore.cli;

import io.kvstore.engine.KvEntry;
import io.kvstore.engine.ListOptions;
import io.kvstore.engine.Listing;
import io.kvstore.engine.VerifyReport;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.index.IndexDefinition;
import io.kvstore.engine.index.QueryPage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the commands do to a store, whether it is a directory opened in this process
 * ({@link EmbeddedAccess}, {@code --data-dir}) or an instance behind the REST API
 * ({@link RemoteAccess}, {@code --url}). Both hand out the same shapes so a command prints the
 * same lines in either mode.
 */
interface StoreAccess extends AutoCloseable {

    /** Where the commands act, for people: a directory or {@code URL instance NAME}. */
    String describe();

    /** The instance's codec: decides index extractors. */
    Codec codec();

    /** The codec of the value bytes this access hands out (remote document values arrive as JSON text). */
    Codec valueCodec();

    /** The value of {@code key}, or {@code null} when absent. */
    byte[] get(String key);

    void put(String key, byte[] value, Duration ttl);

    /** Deletes the keys in one atomic batch; answers how many of them existed. */
    int delete(List<String> keys);

    /** Applies the operations as one atomic batch. */
    void write(List<Op> ops);

    /**
     * Hands the entries of {@code range} in key order to {@code sink}, at most {@code limit} (0:
     * all); keys only (empty values) unless {@code values}. Answers whether more entries follow.
     */
    boolean scan(Range range, long limit, boolean values, Consumer<KvEntry> sink);

    long count(Range range);

    Listing list(String dir, ListOptions options);

    QueryPage find(FindQuery query);

    /** The counters of {@link AdminCommands#stats}. */
    Map<String, Object> stats();

    void compact();

    VerifyReport verify();

    /**
     * A backup archive: to {@code archive} for an embedded store; into the server's configured
     * backup directory remotely (where {@code archive} must be {@code null}).
     */
    BackupResult backup(Path archive);

    List<IndexDefinition> indexes();

    /** Creates the index and fills it from the stored records. */
    void createIndex(IndexDefinition definition);

    /** Drops the index; false when there was none of that name. */
    boolean dropIndex(String name);

    void rebuildIndex(String name);

    @Override
    void close();

    /** A key range of the command line: a prefix, or start (inclusive) and end (exclusive); all may be null. */
    record Range(String prefix, String start, String end) {

        static final Range ALL = new Range(null, null, null);

        static Range prefix(String prefix) {
            return new Range(prefix, null, null);
        }
    }

    /** A batch operation: a put, or a delete when {@code value} is null. */
    record Op(String key, byte[] value) {
    }

    /**
     * An index query from the command line: the index, its condition ({@code eq}, {@code in},
     * {@code prefix}, {@code text}, or up to one lower ({@code gt}/{@code gte}) and one upper
     * ({@code lt}/{@code lte}) bound, each with its term), page size, cursor and order.
     */
    record FindQuery(String index, Map<String, Object> conditions, int limit, String after, boolean descending) {
    }

    /** A written backup archive. */
    record BackupResult(String archive, long lastSequence, int files, long bytes, String createdAt) {
    }
}
