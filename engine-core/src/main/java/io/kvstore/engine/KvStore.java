package io.kvstore.engine;

import io.kvstore.engine.io.FileLockedException;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.KeyHash;
import io.kvstore.engine.admin.BackupManifest;
import io.kvstore.engine.admin.Backups;
import io.kvstore.engine.admin.StoreVerifier;
import io.kvstore.engine.compaction.Compaction;
import io.kvstore.engine.compaction.CompactionJob;
import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.compaction.CompactionPicker;
import io.kvstore.engine.index.IndexManager;
import io.kvstore.engine.index.IndexQuery;
import io.kvstore.engine.index.IndexWork;
import io.kvstore.engine.index.Indexes;
import io.kvstore.engine.index.Op;
import io.kvstore.engine.index.QueryPage;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.iterator.MergingIterator;
import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.memtable.Memtable;
import io.kvstore.engine.sstable.ReadCounters;
import io.kvstore.engine.sstable.TableCache;
import io.kvstore.engine.version.FileMetadata;
import io.kvstore.engine.version.FileNames;
import io.kvstore.engine.version.Version;
import io.kvstore.engine.version.VersionEdit;
import io.kvstore.engine.version.VersionSet;
import io.kvstore.engine.wal.BatchRecord;
import io.kvstore.engine.wal.LogFormat;
import io.kvstore.engine.wal.LogReader;
import io.kvstore.engine.wal.LogWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An embedded, durable, ordered key-value store: a log-structured merge tree in one directory.
 *
 * <pre>{@code
 * try (KvStore db = KvStore.open(Path.of("data/app"))) {
 *     db.put("user:1", "{\"name\":\"Ada\"}".getBytes(UTF_8));
 *     byte[] v = db.get("user:1");
 *     try (KvIterator it = db.scan(KeyRange.prefix("user:"))) { it.forEachRemaining(...); }
 * }
 * }</pre>
 *
 * Keys are non-empty byte arrays ordered as unsigned bytes; values are byte arrays (possibly
 * empty). All methods are thread-safe. An acknowledged write survives a process crash in every
 * {@link SyncMode}, and a power cut in {@code SYNC} mode.
 *
 * <pre>
 * Write path:
 *   A write becomes an encoded batch record and joins the writer queue. The writer at the head
 *   (the leader) takes the records queued behind it as one group, appends the group to the WAL in
 *   one write, fsyncs once in SYNC mode, inserts the records into the memtable and only then
 *   publishes the group's last sequence number to readers, so no reader sees part of a group.
 * Memtable switch:
 *   A full memtable becomes immutable (still read) and a new WAL starts; a background thread
 *   writes the immutable memtable to an L0 table, fsyncs it, records it in the manifest together
 *   with the new oldest-needed WAL number, and only then lets the old WAL go. If the previous
 *   flush is still running the leader waits (a write stall, counted in stats).
 * Read path (no lock):
 *   Take the current view (memtable, immutable memtable, version) and the published sequence,
 *   accepted only if the view did not change meanwhile; pin the view's version and look in the
 *   memtables, then its tables newest first. Table files leave disk once no live version lists them.
 * Recovery:
 *   Replay the manifest, then only the WALs not yet flushed, write what they held to L0, and
 *   start a new WAL. A torn tail of the newest WAL is cut off: the store opens with exactly a
 *   prefix of what was written.
 * Locking:
 *   {@code mutex} guards the writer queue and the memtable/WAL/version switches; it is never held
 *   during WAL appends, fsyncs, or table builds.
 * </pre>
 */
public final class KvStore implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KvStore.class.getName());
    /** Largest group a leader builds from queued writers. */
    private static final int MAX_GROUP_BYTES = 1 << 20;

    private final Path dir;
    private final KvStoreOptions options;
    private final FileSystem fs;
    private final AutoCloseable lock;
    private final ReadCounters readCounters = new ReadCounters();
    private final TableCache tables;
    private final IndexBridge bridge = new IndexBridge(this);
    /** Set once recovery is done; index work at open goes through the normal write path. */
    private IndexManager indexes;
    private final SnapshotList snapshots = new SnapshotList();
    private final ExecutorService flusher;
    private final ExecutorService compactor;
    private final CompactionPicker picker;
    private final ScheduledExecutorService periodicSync;

    private final ReentrantLock mutex = new ReentrantLock();
    /** Signalled when a flush finishes or fails. */
    private final Condition backgroundDone = mutex.newCondition();
    /** Signalled when the writer queue empties. */
    private final Condition writersDrained = mutex.newCondition();
    // Guarded by mutex:
    private final ArrayDeque<Writer> writers = new ArrayDeque<>();
    private final Set<Long> pendingOutputs = new HashSet<>();
    private VersionSet versions;
    private LogWriter log;
    private long lastSequence;
    private boolean flushRunning;
    /** Background compactions running now, and the input files they hold. */
    private int compactionsRunning;
    private final Set<Long> compactingFiles = new HashSet<>();
    /** A manual compaction holds background compactions off while it runs. */
    private boolean manualCompaction;
    private long compactions;
    private long compactionBytesRead;
    private long compactionBytesWritten;
    private long flushBytesWritten;
    private long userBytesWritten;
    private long walBytesWritten;
    private boolean closed;
    private long flushes;
    private long writeStalls;
    private long writeStallNanos;
    private byte[] groupBuffer = new byte[4096];

    /** What readers consult; replaced as a whole under mutex whenever a memtable or the version changes. */
    private volatile ReadView view;
    /** The last sequence number whose whole write group is in the memtable. */
    private volatile long visibleSequence;
    private volatile long entriesWritten;
    /** Set on a failed WAL write or background flush: the store refuses further writes. */
    private volatile KvStoreException backgroundError;
    /** fsyncs of the WAL: per write group in SYNC mode, per interval in PERIODIC, per memtable switch. */
    private final java.util.concurrent.atomic.LongAdder walSyncs = new java.util.concurrent.atomic.LongAdder();
    /** From the options; null (the default) means no timing at all. */
    private final OperationListener listener;
    /** Set by close(): new calls fail at once; queued writers still finish. */
    private volatile boolean closing;

    /**
     * The memtable, the immutable memtable being flushed (or {@code null}) and the table version,
     * as one consistent unit. A reader that reads the published sequence between two reads of the
     * same view knows every version up to that sequence is in that view: a flush that drops a
     * shadowed version is installed with a new view.
     */
    record ReadView(Memtable mem, Memtable imm, Version version) {
    }

    /**
     * A pinned view, the sequence to read it at, and the clock time that decides which entries
     * with a time-to-live have expired; {@link #close()} unpins the version.
     */
    record PinnedRead(ReadView view, long sequence, long nowMillis) implements AutoCloseable {
        @Override
        public void close() {
            view.version().unref();
        }
    }

    /**
     * Pins the current view, with the published sequence (or the snapshot's) that it is guaranteed
     * to hold everything up to. Lock-free; retries only while a flush is being installed.
     */
    PinnedRead pin(StoreSnapshot snapshot) {
        long now = snapshot != null ? snapshot.timeMillis : options.clock().millis();
        while (true) {
            ReadView v = view;
            long sequence = snapshot != null ? snapshot.sequence : visibleSequence;
            if (view == v && v.version().tryRef()) {
                return new PinnedRead(v, sequence, now);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * A queued write. {@code record == null} asks for a memtable switch (manual flush). The leader
     * may replace {@code record} by one with the write's index postings appended.
     */
    private static final class Writer {
        byte[] record;
        /** Index work to run in the leader (definitions, builds), or null. It leads a group of its own. */
        final IndexWork work;
        /** Values the batch requires before it is written (see WriteBatch.requireValue). */
        final List<Op> conditions;
        final Condition turn;
        boolean done;
        RuntimeException error;

        Writer(byte[] record, IndexWork work, List<Op> conditions, Condition turn) {
            this.record = record;
            this.work = work;
            this.conditions = conditions;
            this.turn = turn;
        }
    }

    private KvStore(Path dir, KvStoreOptions options, AutoCloseable lock) {
        this.dir = dir;
        this.options = options;
        this.fs = options.fileSystem();
        this.listener = options.operationListener();
        this.lock = lock;
        this.tables = new TableCache(fs, n -> FileNames.table(dir, n), readCounters, options.blockCacheSize(),
                options.maxOpenFiles());
        String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        this.flusher = Executors.newSingleThreadExecutor(daemon("kvstore-flush-" + name));
        this.compactor = Executors.newFixedThreadPool(options.compactionThreads(), daemon("kvstore-compact-" + name));
        this.picker = CompactionPicker.of(options);
        this.periodicSync = options.syncMode() == SyncMode.PERIODIC
                ? Executors.newSingleThreadScheduledExecutor(daemon("kvstore-sync-" + name)) : null;
    }

    /** Opens (creating if needed) the store in {@code directory} with {@link KvStoreOptions#defaults()}. */
    public static KvStore open(Path directory) {
        return open(directory, KvStoreOptions.defaults());
    }

    /**
     * Opens (creating if needed) the store in {@code directory}: takes its lock, replays the
     * manifest and unflushed WALs.
     *
     * @throws StoreLockedException if another instance, in this process or another, has it open
     * @throws CorruptionException  if the stored data is damaged beyond a torn WAL tail
     */
    public static KvStore open(Path directory, KvStoreOptions options) {
        Objects.requireNonNull(directory, "directory must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Path dir = directory.toAbsolutePath().normalize();
        FileSystem fs = options.fileSystem();
        AutoCloseable lock;
        try {
            fs.createDirectories(dir);
            lock = fs.lock(dir.resolve(FileNames.LOCK));
        } catch (FileLockedException e) {
            throw new StoreLockedException(dir, e);
        } catch (IOException e) {
            throw new KvStoreException("cannot open KvStore directory " + dir + ": " + e, e);
        }
        KvStore store = new KvStore(dir, options, lock);
        try {
            store.recover();
            store.indexes = new IndexManager(store.bridge);
            store.indexes.open();
            return store;
        } catch (IOException e) {
            store.abandon();
            throw new KvStoreException("cannot open KvStore " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            store.abandon();
            throw e;
        }
    }

    // ---------------------------------------------------------------- secondary indexes

    /** The store's secondary indexes: create (with an online build), drop, rebuild, list. */
    public Indexes indexes() {
        checkOpen();
        return indexes;
    }

    /**
     * One page of the records matching {@code query}, read from its indexes only (never a scan).
     * Fails with {@link io.kvstore.engine.index.NoSuchIndexException} when it names an index the
     * store does not have.
     */
    public QueryPage query(IndexQuery query) {
        checkQueries();
        long start = listener == null ? 0 : System.nanoTime();
        Throwable failure = null;
        try {
            return indexes.query(query);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (listener != null) {
                listener.completed(OperationListener.Operation.QUERY, System.nanoTime() - start, failure);
            }
        }
    }

    /** How many records match {@code query}, read from its indexes only. */
    public long count(IndexQuery query) {
        checkQueries();
        return indexes.count(query);
    }

    private void checkQueries() {
        checkOpen();
        if (!options.queriesEnabled()) {
            throw new IllegalStateException("index queries are disabled for the store in " + dir
                    + " (KvStoreOptions.withQueriesEnabled(false))");
        }
    }

    /**
     * The error that made the store read-only (a failed background flush or compaction, a WAL
     * write that failed), if any: reads go on, writes fail until the store is reopened.
     */
    public java.util.Optional<KvStoreException> failure() {
        return java.util.Optional.ofNullable(backgroundError);
    }

    /** Runs index work as one atomic write, alone in its commit group. */
    void submitIndexWork(IndexWork work) {
        byte[] empty = new byte[BatchRecord.HEADER_SIZE];
        submit(empty, work, List.of(), null);
    }

    // ---------------------------------------------------------------- writes

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    public void put(byte[] key, byte[] value) {
        Arguments.checkKey(key);
        Objects.requireNonNull(value, "value must not be null");
        checkSizes(key.length, value.length);
        options.codec().validate(key, value);
        byte[] k = StorageKeys.user(key);
        byte[] record = new byte[BatchRecord.HEADER_SIZE + BatchRecord.putSize(k.length, value.length)];
        BatchRecord.setCount(record, 1);
        BatchRecord.writePut(record, BatchRecord.HEADER_SIZE, k, value);
        submit(record);
    }

    /**
     * Stores {@code value} under {@code key} for {@code ttl}: once the store's clock passes the
     * expiry, reads see the key as absent (snapshots taken earlier still see it) and compaction
     * removes the entry.
     */
    public void put(byte[] key, byte[] value, Duration ttl) {
        Arguments.checkKey(key);
        Objects.requireNonNull(value, "value must not be null");
        long ttlMillis = Arguments.checkTtl(ttl);
        checkSizes(key.length, value.length);
        options.codec().validate(key, value);
        byte[] k = StorageKeys.user(key);
        byte[] record = new byte[BatchRecord.HEADER_SIZE + BatchRecord.putWithExpirySize(k.length, value.length)];
        BatchRecord.setCount(record, 1);
        BatchRecord.writePutWithExpiry(record, BatchRecord.HEADER_SIZE, k, value, expiryAt(ttlMillis));
        submit(record);
    }

    /** {@link #put(byte[], byte[], Duration)} with a UTF-8 encoded key. */
    public void put(String key, byte[] value, Duration ttl) {
        put(Arguments.utf8Key(key), value, ttl);
    }

    /** {@link #put(byte[], byte[])} with a UTF-8 encoded key. */
    public void put(String key, byte[] value) {
        put(Arguments.utf8Key(key), value);
    }

    /** {@link #put(byte[], byte[])} with a UTF-8 encoded key and value. */
    public void put(String key, String value) {
        Objects.requireNonNull(value, "value must not be null");
        put(Arguments.utf8Key(key), value.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes {@code key}; removing an absent key is not an error. */
    public void delete(byte[] key) {
        Arguments.checkKey(key);
        checkSizes(key.length, 0);
        byte[] k = StorageKeys.user(key);
        byte[] record = new byte[BatchRecord.HEADER_SIZE + BatchRecord.deleteSize(k.length)];
        BatchRecord.setCount(record, 1);
        BatchRecord.writeDelete(record, BatchRecord.HEADER_SIZE, k);
        submit(record);
    }

    /** {@link #delete(byte[])} with a UTF-8 encoded key. */
    public void delete(String key) {
        delete(Arguments.utf8Key(key));
    }

    /** Applies every operation of {@code batch} atomically: readers and recovery see all or none. */
    public void write(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch must not be null");
        if (batch.isEmpty() && batch.conditions().isEmpty()) {
            checkOpen();
            return;
        }
        checkSizes(batch.largestKey(), batch.largestValue());
        byte[] record = batch.toRecord();
        if (options.codec() != Codec.RAW) {
            for (Op op : IndexOps.userOps(record)) {
                if (!op.isDelete()) {
                    options.codec().validate(op.key(), op.value());
                }
            }
        }
        if (batch.hasTtl()) {
            long now = options.clock().millis();
            BatchRecord.forEach(record, record.length, new BatchRecord.Visitor() {
                @Override
                public void put(long sequence, byte type, byte[] r, int keyOff, int keyLen, int valueOff,
                        int valueLen) {
                    if (type == BatchRecord.TYPE_PUT_TTL) {
                        io.kvstore.engine.io.Coding.putLong(r, valueOff,
                                Arguments.saturatedAdd(now, io.kvstore.engine.io.Coding.getLong(r, valueOff)));
                    }
                }

                @Override
                public void delete(long sequence, byte[] r, int keyOff, int keyLen) {
                }
            });
        }
        submit(record, null, batch.conditions(), OperationListener.Operation.WRITE);
    }

    private void submit(byte[] record) {
        submit(record, null, List.of(), record == null ? null : BatchRecord.count(record) == 1
                && record[BatchRecord.HEADER_SIZE] == BatchRecord.TYPE_DELETE ? OperationListener.Operation.DELETE
                : OperationListener.Operation.PUT);
    }

    /** Queues a write and waits for it; {@code op} is what the listener hears (null: not a user operation). */
    private void submit(byte[] record, IndexWork work, List<Op> conditions, OperationListener.Operation op) {
        if (listener == null || op == null) {
            submitUntimed(record, work, conditions);
            return;
        }
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            submitUntimed(record, work, conditions);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            listener.completed(op, System.nanoTime() - start, failure);
        }
    }

    private void submitUntimed(byte[] record, IndexWork work, List<Op> conditions) {
        checkOpen();
        Writer w = new Writer(record, work, conditions, mutex.newCondition());
        mutex.lock();
        try {
            writers.addLast(w);
            while (!w.done && w != writers.peekFirst()) {
                w.turn.awaitUninterruptibly();
            }
            if (!w.done) {
                leadGroup(w);
            }
        } finally {
            mutex.unlock();
        }
        if (w.error != null) {
            throw w.error;
        }
    }

    /** Requires: mutex held, {@code leader} at the head of the queue. Returns with the mutex held. */
    private void leadGroup(Writer leader) {
        List<Writer> group = new ArrayList<>();
        KvStoreException error = null;
        try {
            if (closed) {
                throw new StoreClosedException("KvStore", dir);
            }
            throwIfFailed();
            makeRoomForWrite(leader.record == null);
            int groupBytes = 0;
            for (Writer w : writers) {
                if (w.record == null || w.work != null) {
                    if (w != leader) {
                        break; // a flush request or index work leads its own group
                    }
                    group.add(w);
                    break;
                }
                if (!group.isEmpty() && groupBytes + w.record.length > MAX_GROUP_BYTES) {
                    break;
                }
                group.add(w);
                groupBytes += w.record.length;
            }
            if (indexes != null && leader.record != null && (indexes.active() || leader.work != null
                    || anyConditions(group))) {
                mutex.unlock();
                try {
                    addPostings(group);
                } finally {
                    mutex.lock();
                }
            }
            List<Writer> appending = new ArrayList<>(group.size());
            groupBytes = 0;
            int ops = 0;
            for (Writer w : group) {
                if (w.record != null && w.error == null && BatchRecord.count(w.record) > 0) {
                    appending.add(w);
                    groupBytes += w.record.length;
                    ops += BatchRecord.count(w.record);
                }
            }
            if (ops > 0) {
                long first = lastSequence + 1;
                if (first + ops > InternalKey.MAX_SEQUENCE) {
                    throw new KvStoreException("sequence numbers exhausted in " + dir);
                }
                lastSequence += ops;
                LogWriter logWriter = log;
                Memtable mem = view.mem();
                mutex.unlock();
                try {
                    appendGroup(appending, logWriter, mem, first, groupBytes, ops);
                } finally {
                    mutex.lock();
                }
                visibleSequence = lastSequence;
                entriesWritten += ops;
                userBytesWritten += groupBytes;
                walBytesWritten += groupBytes;
            }
        } catch (KvStoreException e) {
            error = e;
        } catch (IOException e) {
            error = fail("write-ahead log write failed", e);
        } catch (RuntimeException | Error e) {
            // Whatever happened, the WAL's state is unknown: fail the store, and still hand the
            // queue on below, or every queued writer (and close()) would wait forever.
            error = fail("write failed unexpectedly", e);
            if (e instanceof Error) {
                finishGroup(leader, group, error);
                throw e;
            }
        }
        finishGroup(leader, group, error);
    }

    /** Completes the group's writers with {@code error} (or success) and wakes the next leader. */
    private void finishGroup(Writer leader, List<Writer> group, KvStoreException error) {
        if (group.isEmpty()) {
            group.add(leader);
        }
        for (Writer w : group) {
            writers.pollFirst();
            if (error != null || w.error == null) {
                w.error = error; // a writer's own failure (a value an index cannot read) stays its own
            }
            w.done = true;
            if (w != leader) {
                w.turn.signal();
            }
        }
        Writer head = writers.peekFirst();
        if (head != null) {
            head.turn.signal();
        } else {
            writersDrained.signalAll();
        }
    }

    private static boolean anyConditions(List<Writer> group) {
        for (Writer w : group) {
            if (!w.conditions.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks each writer's conditions, then appends to its record the index postings it implies
     * (and runs its index work),
     * reading the values it replaces from the latest state plus the group's earlier writers. The
     * leader runs this alone, so no other write can come between the read and the write. A
     * writer whose value an index cannot read fails alone. Requires: mutex not held, leader.
     */
    private void addPostings(List<Writer> group) {
        try (IndexBridge.BridgeRead read = bridge.read()) {
            IndexManager.Group g = indexes.group(read);
            for (Writer w : group) {
                try {
                    List<Op> extra = g.expand(IndexOps.userOps(w.record), w.conditions, w.work);
                    if (!extra.isEmpty()) {
                        w.record = IndexOps.append(w.record, extra);
                    }
                } catch (RuntimeException e) {
                    w.error = e;
                }
            }
        }
    }

    /**
     * Appends the group's records to the WAL as one record (one write call), syncs per the sync
     * mode, then inserts each writer's own record into the memtable. Requires: mutex not held,
     * caller is the only leader.
     */
    private void appendGroup(List<Writer> group, LogWriter logWriter, Memtable mem, long first, int groupBytes,
            int ops) throws IOException {
        long seq = first;
        for (Writer w : group) {
            BatchRecord.setSequence(w.record, seq);
            seq += BatchRecord.count(w.record);
        }
        if (group.size() == 1) {
            byte[] record = group.get(0).record;
            logWriter.addRecord(record, 0, record.length);
        } else {
            int size = BatchRecord.HEADER_SIZE + groupBytes - group.size() * BatchRecord.HEADER_SIZE;
            if (groupBuffer.length < size) {
                groupBuffer = new byte[Math.max(size, groupBuffer.length * 2)];
            }
            BatchRecord.setSequence(groupBuffer, first);
            BatchRecord.setCount(groupBuffer, ops);
            int p = BatchRecord.HEADER_SIZE;
            for (Writer w : group) {
                int opsLen = w.record.length - BatchRecord.HEADER_SIZE;
                System.arraycopy(w.record, BatchRecord.HEADER_SIZE, groupBuffer, p, opsLen);
                p += opsLen;
            }
            logWriter.addRecord(groupBuffer, 0, p);
        }
        if (options.syncMode() == SyncMode.SYNC) {
            logWriter.sync();
            walSyncs.increment();
        }
        for (Writer w : group) {
            insert(mem, w.record, w.record.length);
        }
    }

    private static void insert(Memtable mem, byte[] record, int length) {
        BatchRecord.forEach(record, length, new BatchRecord.Visitor() {
            @Override
            public void put(long sequence, byte type, byte[] r, int keyOff, int keyLen, int valueOff,
                    int valueLen) {
                mem.add(sequence, type, r, keyOff, keyLen, valueOff, valueLen);
            }

            @Override
            public void delete(long sequence, byte[] r, int keyOff, int keyLen) {
                mem.add(sequence, InternalKey.TYPE_DELETE, r, keyOff, keyLen, 0, 0);
            }
        });
    }

    /**
     * Ensures the memtable has room, switching to a new one (and a new WAL) when it is full or
     * {@code force} is set and it is not empty. Waits while the previous flush is still running.
     * Requires: mutex held, caller is the leader.
     */
    private void makeRoomForWrite(boolean force) throws IOException {
        boolean slowedDown = false;
        while (true) {
            throwIfFailed();
            ReadView s = view;
            boolean full = s.mem().approximateBytes() >= options.memtableSize();
            int level0Files = s.version().fileCount(0);
            if (level0Files >= options.level0StopTrigger() && compactionsRunning > 0) {
                // Too many L0 files: wait for the running compaction. Only while one runs, so a
                // writer never waits for work nobody will do.
                stall(() -> backgroundDone.awaitUninterruptibly());
                continue;
            }
            if (level0Files >= options.level0SlowdownTrigger() && compactionsRunning > 0 && !slowedDown) {
                // Give compaction a millisecond per write, once per write, instead of a hard stop later.
                slowedDown = true;
                mutex.unlock();
                try {
                    stall(() -> java.util.concurrent.locks.LockSupport.parkNanos(1_000_000));
                } finally {
                    mutex.lock();
                }
                continue;
            }
            if (!full && !(force && !s.mem().isEmpty())) {
                return;
            }
            if (s.imm() != null) {
                stall(() -> backgroundDone.awaitUninterruptibly());
                continue;
            }
            switchMemtable();
            return;
        }
    }

    /** Runs {@code waiting} and counts it as a write stall. */
    private void stall(Runnable waiting) {
        long start = System.nanoTime();
        writeStalls++;
        waiting.run();
        writeStallNanos += System.nanoTime() - start;
    }

    /** Requires: mutex held, no immutable memtable. */
    private void switchMemtable() throws IOException {
        long number = versions.newFileNumber();
        Path path = FileNames.log(dir, number);
        LogWriter next;
        try {
            // The old log must be durable before the new one exists, or a power cut could keep
            // newer records and lose older ones: a hole, not a prefix.
            log.sync();
            walSyncs.increment();
            next = new LogWriter(fs.create(path), LogFormat.WAL_MAGIC);
            fs.syncDirectory(dir);
            log.close();
        } catch (IOException e) {
            throw fail("cannot start write-ahead log " + path, e);
        }
        log = next;
        view = new ReadView(new Memtable(number, options.memtableSize(), StorageKeys::filterPrefixLength), view.mem(), view.version());
        flushRunning = true;
        flusher.execute(this::flushImmutable);
    }

    // ---------------------------------------------------------------- flush

    /** Background job: writes the immutable memtable to an L0 table and installs it. */
    private void flushImmutable() {
        mutex.lock();
        try {
            Memtable imm = view.imm();
            if (imm == null || backgroundError != null || closed) {
                return;
            }
            CompactionJob job = newJob(snapshots.oldest(lastSequence), key -> false, Long.MAX_VALUE);
            CompactionJob.Result result;
            mutex.unlock();
            try (InternalIterator source = imm.iterator()) {
                result = job.run(source);
            } finally {
                mutex.lock();
            }
            VersionEdit edit = new VersionEdit().setLogNumber(view.mem().logNumber());
            result.outputs().forEach(f -> edit.addFile(0, f));
            versions.logAndApply(edit, lastSequence);
            view = new ReadView(view.mem(), null, versions.current());
            result.outputs().forEach(f -> pendingOutputs.remove(f.number()));
            flushes++;
            flushBytesWritten += result.bytesWritten();
            deleteObsoleteFiles();
            maybeScheduleCompaction();
        } catch (IOException | RuntimeException | Error e) {
            fail("background flush failed", e); // waiters see the error instead of waiting forever
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            flushRunning = false;
            backgroundDone.signalAll();
            mutex.unlock();
        }
    }

    /**
     * A job writing tables with this store's settings; its output numbers are protected from
     * deletion until the caller removes them from {@code pendingOutputs}. Requires: mutex held.
     */
    private CompactionJob newJob(long smallestSnapshot, java.util.function.Predicate<byte[]> noOlderDataOutside,
            long targetFileSize) {
        CompactionJob.Settings settings = new CompactionJob.Settings(fs, dir, options.blockSize(),
                options.bloomBitsPerKey(), options.compression(), StorageKeys::filterPrefixLength, targetFileSize);
        // Entries that expired before the earliest open snapshot was taken are gone for every reader.
        long expiredFor = snapshots.earliestTime(options.clock().millis());
        return new CompactionJob(settings, smallestSnapshot, expiredFor, noOlderDataOutside, () -> {
            mutex.lock();
            try {
                long number = versions.newFileNumber();
                pendingOutputs.add(number);
                return number;
            } finally {
                mutex.unlock();
            }
        });
    }

    // ---------------------------------------------------------------- compaction

    /** Starts background compactions while there are idle threads and work. Requires: mutex held. */
    private void maybeScheduleCompaction() {
        while (compactionsRunning < options.compactionThreads() && !manualCompaction && !closing
                && backgroundError == null) {
            Compaction c = picker.pick(versions.current(), compactingFiles);
            if (c == null) {
                return;
            }
            c.inputFiles().forEach(f -> compactingFiles.add(f.number()));
            compactionsRunning++;
            compactor.execute(() -> backgroundCompaction(c));
        }
    }

    private void backgroundCompaction(Compaction c) {
        mutex.lock();
        try {
            if (backgroundError == null && !closed) {
                runCompaction(c);
            }
        } catch (IOException | RuntimeException | Error e) {
            fail("background compaction failed", e);
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            c.inputFiles().forEach(f -> compactingFiles.remove(f.number()));
            compactionsRunning--;
            backgroundDone.signalAll();
            maybeScheduleCompaction();
            mutex.unlock();
        }
    }

    /**
     * Runs {@code c} and installs its result: the merge happens without the mutex, the install
     * (one manifest edit removing the inputs and adding the outputs) with it. Requires: mutex held.
     *
     * @return the files the compaction wrote (none for a trivial move, which rewrites nothing)
     */
    private List<FileMetadata> runCompaction(Compaction c) throws IOException {
        VersionEdit edit = new VersionEdit();
        c.inputs().forEach(i -> edit.deleteFile(i.level(), i.file().number()));
        CompactionJob.Result result = null;
        if (c.isTrivialMove()) {
            edit.addFile(c.outputLevel(), c.inputs().get(0).file());
        } else {
            long target = options.compactionStrategy() == CompactionStrategy.TIERED ? Long.MAX_VALUE
                    : options.targetFileSize();
            CompactionJob job = newJob(snapshots.oldest(lastSequence), c::noOlderDataOutside, target);
            List<InternalIterator> sources = new ArrayList<>();
            for (Compaction.Input input : c.inputs()) {
                sources.add(tables.iterator(input.file().number(), input.file().size()));
            }
            mutex.unlock();
            try (InternalIterator merged = new MergingIterator(sources)) {
                result = job.run(merged);
            } finally {
                mutex.lock();
            }
            result.outputs().forEach(f -> edit.addFile(c.outputLevel(), f));
        }
        versions.logAndApply(edit, lastSequence);
        view = new ReadView(view.mem(), view.imm(), versions.current());
        compactions++;
        if (result != null) {
            result.outputs().forEach(f -> pendingOutputs.remove(f.number()));
            compactionBytesRead += c.inputBytes();
            compactionBytesWritten += result.bytesWritten();
        }
        deleteObsoleteFiles();
        return result == null ? List.of() : result.outputs();
    }

    /** Flushes the memtable, then merges every table file into the deepest level holding data. */
    public void compact() {
        compactRange(null, null);
    }

    /**
     * Flushes the memtable, then merges the table files overlapping {@code range} level by level
     * down to the deepest level holding data, dropping shadowed versions and deletes no snapshot
     * needs. Returns when done. With {@link CompactionStrategy#TIERED} every run is merged into one.
     */
    public void compact(KeyRange range) {
        Objects.requireNonNull(range, "range must not be null");
        // The exclusive end is used inclusively: that may merge one extra file.
        compactRange(range.from == null ? null : StorageKeys.user(range.from),
                range.to == null ? null : StorageKeys.user(range.to));
    }

    private void compactRange(byte[] from, byte[] to) {
        flush();
        mutex.lock();
        try {
            while (manualCompaction) {
                backgroundDone.awaitUninterruptibly();
            }
            manualCompaction = true;
            while (compactionsRunning > 0) {
                backgroundDone.awaitUninterruptibly();
            }
            throwIfFailed();
            int deepest = 0;
            for (int level = Version.NUM_LEVELS - 1; level > 0; level--) {
                if (versions.current().fileCount(level) > 0) {
                    deepest = level;
                    break;
                }
            }
            Set<Long> written = new HashSet<>();
            for (int level = 0; level < Math.max(deepest, 1); level++) {
                Compaction c = picker.pickRange(versions.current(), level, from, to);
                if (c != null) {
                    runCompaction(c).forEach(f -> written.add(f.number()));
                }
            }
            // The deepest level's files that nothing was merged into still hold shadowed versions,
            // deletes and expired entries: rewrite them where they are.
            Compaction c = picker.pickInPlace(versions.current(), Math.max(deepest, 1), from, to, written);
            if (options.compactionStrategy() == CompactionStrategy.TIERED) {
                c = picker.pickInPlace(versions.current(), 0, from, to, written);
            }
            if (c != null) {
                runCompaction(c);
            }
        } catch (IOException e) {
            throw fail("manual compaction failed", e);
        } finally {
            manualCompaction = false;
            backgroundDone.signalAll();
            maybeScheduleCompaction();
            mutex.unlock();
        }
    }

    /**
     * Makes every acknowledged write durable in a table file: switches the memtable and waits for
     * its flush. Returns at once if the memtable is empty.
     */
    public void flush() {
        submit(null);
        mutex.lock();
        try {
            while (view.imm() != null && backgroundError == null && !closed) {
                backgroundDone.awaitUninterruptibly();
            }
            throwIfFailed();
        } finally {
            mutex.unlock();
        }
    }

    // ---------------------------------------------------------------- reads

    /** The value stored under {@code key}, or {@code null} if there is none. */
    public byte[] get(byte[] key) {
        Arguments.checkKey(key);
        checkOpen();
        return lookup(StorageKeys.user(key), null);
    }

    /** {@link #get(byte[])} with a UTF-8 encoded key. */
    public byte[] get(String key) {
        return get(Arguments.utf8Key(key));
    }

    /**
     * The values of {@code keys}, in the same order ({@code null} where absent), all read at one
     * point in time.
     */
    public List<byte[]> getAll(List<byte[]> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        keys.forEach(Arguments::checkKey);
        checkOpen();
        List<byte[]> values = new ArrayList<>(keys.size());
        long start = listener == null ? 0 : System.nanoTime();
        Throwable failure = null;
        try (PinnedRead read = pin(null)) {
            for (byte[] key : keys) {
                values.add(lookupIn(read, StorageKeys.user(key)));
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (listener != null) { // one read at one point in time: one GET, however many keys
                listener.completed(OperationListener.Operation.GET, System.nanoTime() - start, failure);
            }
        }
        return values;
    }

    /** The value {@code key} had when {@code snapshot} was taken, or {@code null}. */
    public byte[] get(byte[] key, Snapshot snapshot) {
        Arguments.checkKey(key);
        StoreSnapshot s = checkSnapshot(snapshot);
        checkOpen();
        return lookup(StorageKeys.user(key), s);
    }

    /** {@link #get(byte[], Snapshot)} with a UTF-8 encoded key. */
    public byte[] get(String key, Snapshot snapshot) {
        return get(Arguments.utf8Key(key), snapshot);
    }

    /** Reads storage key {@code key} as of {@code snapshot}, or as of now if it is {@code null}. */
    private byte[] lookup(byte[] key, StoreSnapshot snapshot) {
        long start = listener == null ? 0 : System.nanoTime();
        Throwable failure = null;
        try (PinnedRead read = pin(snapshot)) {
            return lookupIn(read, key);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (listener != null) {
                listener.completed(OperationListener.Operation.GET, System.nanoTime() - start, failure);
            }
        }
    }

    /** Reads storage key {@code key} in a pinned read. */
    byte[] lookupIn(PinnedRead read, byte[] key) {
        try {
            ReadView s = read.view();
            long sequence = read.sequence();
            long now = read.nowMillis();
            long hash = KeyHash.of(key, 0, key.length); // once, for every filter on the way
            byte[] v = s.mem().get(key, hash, sequence, now);
            if (v == null && s.imm() != null) {
                v = s.imm().get(key, hash, sequence, now);
            }
            if (v == null) {
                v = s.version().get(key, hash, sequence, now, tables);
            }
            return v == Memtable.DELETED ? null : v;
        } catch (RuntimeException e) {
            throw translate(e, "get");
        }
    }

    /** The entries of {@code range} in key order, as of now. Close the iterator. */
    public KvIterator scan(KeyRange range) {
        Objects.requireNonNull(range, "range must not be null");
        checkOpen();
        return openScan(range, null);
    }

    /** The entries of {@code range} as of {@code snapshot}. Close the iterator. */
    public KvIterator scan(KeyRange range, Snapshot snapshot) {
        Objects.requireNonNull(range, "range must not be null");
        StoreSnapshot s = checkSnapshot(snapshot);
        checkOpen();
        return openScan(range, s);
    }

    private KvIterator openScan(KeyRange range, StoreSnapshot snapshot) {
        byte[] from = range.from == null ? null : StorageKeys.user(range.from);
        byte[] to = range.to == null ? StorageKeys.SYSTEM_START : StorageKeys.user(range.to);
        long start = listener == null ? 0 : System.nanoTime();
        Throwable failure = null;
        try {
            return openStorageScan(from, to, "scan of " + range, snapshot);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (listener != null) {
                listener.completed(OperationListener.Operation.SCAN, System.nanoTime() - start, failure);
            }
        }
    }

    /** Scans storage keys {@code [from, to)} ({@code null}: open). See {@link StorageKeys}. */
    StoreIterator openStorageScan(byte[] from, byte[] to, String what, StoreSnapshot snapshot) {
        PinnedRead read = pin(snapshot);
        try {
            return scanIn(read, from, to, what, read::close);
        } catch (RuntimeException e) {
            read.close();
            throw e;
        }
    }

    /** Scans storage keys {@code [from, to)} in a pinned read; {@code release} runs when the scan closes. */
    StoreIterator scanIn(PinnedRead read, byte[] from, byte[] to, String what, Runnable release) {
        return scanIn(read, from, to, null, what, release);
    }

    /**
     * Scans storage keys {@code [prefix, to)}, where {@code prefix} is a filtered prefix of every
     * key in the range (see {@link StorageKeys#filterPrefixLength}): memtables and tables whose
     * filters hold no key with it are not read at all. The caller closes {@code read}.
     */
    StoreIterator scanPrefixIn(PinnedRead read, byte[] prefix, byte[] to, String what) {
        return scanIn(read, prefix, to, prefix, what, () -> {
        });
    }

    /** {@code filterPrefix}: a filtered prefix of every key in the range, or {@code null}. */
    private StoreIterator scanIn(PinnedRead read, byte[] from, byte[] to, byte[] filterPrefix, String what,
            Runnable release) {
        try {
            ReadView s = read.view();
            List<InternalIterator> sources = new ArrayList<>();
            if (filterPrefix == null) {
                sources.add(s.mem().iterator());
                if (s.imm() != null) {
                    sources.add(s.imm().iterator());
                }
                s.version().addIterators(sources, tables, from, to);
            } else {
                long hash = KeyHash.of(filterPrefix, 0, filterPrefix.length);
                if (s.mem().mayContainPrefix(hash)) {
                    sources.add(s.mem().iterator());
                }
                if (s.imm() != null && s.imm().mayContainPrefix(hash)) {
                    sources.add(s.imm().iterator());
                }
                s.version().addIterators(sources, tables, from, to, hash);
            }
            // A prefix often lives in one table or memtable: then there is nothing to merge.
            InternalIterator merged = sources.size() == 1 ? sources.get(0) : new MergingIterator(sources);
            return new StoreIterator(this, merged, from, to, what, read.sequence(), read.nowMillis(), release);
        } catch (RuntimeException e) {
            throw translate(e, what);
        }
    }

    /** A point-in-time view for {@link #get(byte[], Snapshot)} and {@link #scan(KeyRange, Snapshot)}. Close it. */
    public Snapshot snapshot() {
        checkOpen();
        mutex.lock();
        try {
            long sequence = visibleSequence;
            long time = options.clock().millis();
            snapshots.add(sequence, time);
            return new StoreSnapshot(this, snapshots, sequence, time);
        } finally {
            mutex.unlock();
        }
    }

    private StoreSnapshot checkSnapshot(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot must not be null");
        if (!(snapshot instanceof StoreSnapshot s) || s.owner != this) {
            throw new IllegalArgumentException("snapshot " + snapshot + " was not taken from KvStore " + dir);
        }
        if (s.isReleased()) {
            throw new IllegalStateException("snapshot " + snapshot + " is closed");
        }
        return s;
    }

    // ---------------------------------------------------------------- stats and lifecycle

    /** A reading of the store's counters and file layout. */
    public KvStoreStats stats() {
        checkOpen();
        mutex.lock();
        try {
            Version v = view.version();
            List<Integer> filesPerLevel = new ArrayList<>(Version.NUM_LEVELS);
            List<Long> bytesPerLevel = new ArrayList<>(Version.NUM_LEVELS);
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                filesPerLevel.add(v.fileCount(level));
                bytesPerLevel.add(v.levelBytes(level));
            }
            long walBytes = 0;
            long onDisk = 0;
            for (String name : fs.list(dir)) {
                FileNames.Parsed parsed = FileNames.parse(name);
                if (parsed == null) {
                    continue;
                }
                long size = fs.size(dir.resolve(name));
                onDisk += size;
                if (parsed.kind() == FileNames.Kind.LOG) {
                    walBytes += size;
                }
            }
            ReadView s = view;
            return new KvStoreStats(entriesWritten, s.mem().approximateBytes(),
                    s.imm() == null ? 0 : s.imm().approximateBytes(), List.copyOf(filesPerLevel),
                    List.copyOf(bytesPerLevel), walBytes, onDisk, visibleSequence, flushes, compactions,
                    picker.pendingBytes(v), compactionBytesRead, compactionBytesWritten, userBytesWritten,
                    walBytesWritten + flushBytesWritten + compactionBytesWritten, writeStalls, writeStallNanos,
                    readCounters.blockCacheHits.sum(), readCounters.blockCacheMisses.sum(),
                    readCounters.bloomNegatives.sum(), readCounters.blockReads.sum(), snapshots.size(), walSyncs.sum());
        } catch (IOException e) {
            throw new KvStoreException("cannot read the files of " + dir + ": " + e, e);
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Reads and checks every live file: each block of each table (checksums, decompression,
     * structure, key order), key order across the files of each level, the manifest against the
     * directory, and the record checksums of the unflushed WALs. Reads go to the files, not the
     * block cache. Runs alongside reads and writes.
     */
    public VerifyReport verify() {
        checkOpen();
        long oldestLog;
        long activeLog;
        mutex.lock();
        try {
            oldestLog = versions.logNumber();
            activeLog = view.mem().logNumber();
        } finally {
            mutex.unlock();
        }
        try (PinnedRead read = pin(null)) {
            List<List<FileMetadata>> levels = new ArrayList<>(Version.NUM_LEVELS);
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                levels.add(read.view().version().files(level));
            }
            return new StoreVerifier(fs, dir, FileNames.manifest(dir, versions.manifestNumber()))
                    .verify(levels, tables, oldestLog, activeLog);
        } catch (IOException e) {
            throw new KvStoreException("verify of " + dir + " could not read its files: " + e, e);
        }
    }

    // ---------------------------------------------------------------- operations (checkpoint, backup, list)
    // Thin entry points; the work is done in Checkpointer, admin.Backups and DirectoryLister.

    /**
     * Writes a consistent point-in-time copy of the store into {@code target} (absent or empty)
     * while reads and writes go on: table files are hard-linked when on the same file system and
     * copied otherwise, the memtables' entries up to one sequence number go into a fresh WAL, and
     * a manifest names them. The copy opens as a store holding exactly the state as of
     * {@link Checkpoint#sequence()}.
     */
    public Checkpoint checkpoint(Path target) {
        Objects.requireNonNull(target, "target must not be null");
        checkOpen();
        try {
            return new Checkpointer(this).write(target);
        } catch (IOException e) {
            throw new KvStoreException("checkpoint of " + dir + " into " + target + " failed: " + e, e);
        }
    }

    /**
     * Writes a backup archive ({@code .tar.gz} with a manifest of sizes and CRC32C checksums) of a
     * checkpoint of the store to {@code archive}. See {@link Backups}.
     */
    public BackupManifest backup(Path archive) {
        Objects.requireNonNull(archive, "archive must not be null");
        checkOpen();
        return Backups.backup(this, archive);
    }

    /** {@link #restore(Path, Path, KvStoreOptions)} with {@link KvStoreOptions#defaults()}. */
    public static BackupManifest restore(Path backup, Path dataDir) {
        return restore(backup, dataDir, KvStoreOptions.defaults());
    }

    /**
     * Restores the backup archive {@code backup} into {@code dataDir} (absent or empty): every
     * file's size and checksum is verified and the result opened once with {@code options} before
     * anything is placed in {@code dataDir}.
     */
    public static BackupManifest restore(Path backup, Path dataDir, KvStoreOptions options) {
        Objects.requireNonNull(backup, "backup must not be null");
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(options, "options must not be null");
        return Backups.restore(backup, dataDir, options);
    }

    /**
     * One page of the "directory" {@code dir} of hierarchical keys ({@code users/42/orders/7}):
     * child directories and entries like an object-store listing. A child directory costs one
     * seek however many keys it holds. See {@link ListOptions} and {@link Listing}.
     */
    public Listing list(String dir, ListOptions options) {
        Objects.requireNonNull(dir, "dir must not be null");
        Objects.requireNonNull(options, "options must not be null");
        checkOpen();
        return new DirectoryLister(this).list(dir, options);
    }

    /** The live table files per level, L0 newest data first: for invariant checks in tests and tools. */
    List<List<FileMetadata>> liveFiles() {
        Version v = view.version();
        List<List<FileMetadata>> levels = new ArrayList<>(Version.NUM_LEVELS);
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            levels.add(v.files(level));
        }
        return levels;
    }

    /** The directory this store lives in. */
    public Path directory() {
        return dir;
    }

    public KvStoreOptions options() {
        return options;
    }

    /**
     * Waits for queued writes and a running flush, syncs the WAL, and releases files and the
     * directory lock. Unflushed writes stay in the WAL and are replayed by the next open.
     * Idempotent.
     */
    @Override
    public void close() {
        mutex.lock();
        try {
            if (closed) {
                return;
            }
            closing = true;
            while (!writers.isEmpty()) {
                writersDrained.awaitUninterruptibly();
            }
            while (flushRunning || compactionsRunning > 0) {
                backgroundDone.awaitUninterruptibly();
            }
            closed = true;
            backgroundDone.signalAll();
        } finally {
            mutex.unlock();
        }
        flusher.shutdown();
        compactor.shutdown();
        if (periodicSync != null) {
            periodicSync.shutdown();
        }
        IOException failure = null;
        try {
            if (log != null) {
                if (backgroundError == null) {
                    log.sync();
                    walSyncs.increment();
                }
                log.close();
            }
        } catch (IOException e) {
            failure = e;
        }
        try {
            versions.close();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        tables.close();
        try {
            lock.close();
        } catch (Exception e) {
            failure = failure == null ? new IOException(e) : failure;
        }
        if (failure != null) {
            throw new KvStoreException("closing KvStore " + dir + " failed: " + failure, failure);
        }
    }

    /** Releases what a failed open acquired. */
    private void abandon() {
        closing = true;
        closed = true;
        flusher.shutdownNow();
        compactor.shutdownNow();
        if (periodicSync != null) {
            periodicSync.shutdownNow();
        }
        try {
            if (log != null) {
                log.close();
            }
            if (versions != null) {
                versions.close();
            }
        } catch (IOException ignored) {
            // the open already failed with the exception that explains it
        }
        tables.close();
        try {
            lock.close();
        } catch (Exception ignored) {
            // as above
        }
    }

    // ---------------------------------------------------------------- recovery

    private void recover() throws IOException {
        versions = VersionSet.recover(fs, dir, this::onVersionDead);
        mutex.lock();
        try {
            versions.checkFilesPresent();
            lastSequence = versions.lastSequence();
            List<Long> logs = new ArrayList<>();
            for (String name : fs.list(dir)) {
                FileNames.Parsed parsed = FileNames.parse(name);
                if (parsed != null && parsed.kind() == FileNames.Kind.LOG && parsed.number() >= versions.logNumber()) {
                    logs.add(parsed.number());
                }
            }
            logs.sort(null);
            VersionEdit edit = new VersionEdit();
            CorruptionException tear = null;
            for (long number : logs) {
                tear = replayLog(number, tear, edit);
            }
            // The new log exists before the manifest names it, so the WAL a manifest names is always
            // on disk (VersionSet.checkFilesPresent relies on it). A crash in between leaves an empty
            // log behind the replayed ones, which replayLog accepts.
            long logNumber = versions.newFileNumber();
            log = new LogWriter(fs.create(FileNames.log(dir, logNumber)), LogFormat.WAL_MAGIC);
            fs.syncDirectory(dir);
            edit.setLogNumber(logNumber);
            versions.logAndApply(edit, lastSequence);
            pendingOutputs.clear();
            visibleSequence = lastSequence;
            view = new ReadView(new Memtable(logNumber, options.memtableSize(), StorageKeys::filterPrefixLength), null, versions.current());
            deleteObsoleteFiles();
            maybeScheduleCompaction();
        } finally {
            mutex.unlock();
        }
        if (periodicSync != null) {
            long interval = options.syncInterval().toNanos();
            periodicSync.scheduleWithFixedDelay(this::periodicSync, interval, interval, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Replays one WAL into memtables, writing each to an L0 table (added to {@code edit}). A torn
     * tail ends the replay of a log; it is only acceptable in the last log that holds records, so
     * if {@code earlierTear} is set and this log has a record, the earlier tear was corruption.
     *
     * @return the torn tail this log ended with, or {@code earlierTear} if this log was empty
     */
    private CorruptionException replayLog(long number, CorruptionException earlierTear, VersionEdit edit)
            throws IOException {
        Path path = FileNames.log(dir, number);
        Memtable mem = new Memtable(number);
        CorruptionException tear = earlierTear;
        try (LogReader reader = new LogReader(fs.openForRead(path), path, LogFormat.WAL_MAGIC)) {
            while (true) {
                byte[] record = reader.nextUpToTornTail(true);
                if (record == null) {
                    if (reader.tornTail() != null) {
                        tear = reader.tornTail();
                        LOG.log(System.Logger.Level.WARNING, "{0}: dropping torn tail at offset {1} ({2})", path,
                                reader.validEnd(), tear.getMessage());
                    }
                    break;
                }
                if (earlierTear != null) {
                    throw new CorruptionException(earlierTear.file(), earlierTear.offset(),
                            earlierTear.getMessage() + "; a later log (" + path.getFileName() + ") holds records",
                            earlierTear);
                }
                try {
                    insert(mem, record, record.length);
                } catch (IllegalArgumentException e) {
                    throw new CorruptionException(path, reader.validEnd(), e.getMessage(), e);
                }
                long last = BatchRecord.sequence(record) + BatchRecord.count(record) - 1;
                lastSequence = Math.max(lastSequence, last);
                if (mem.approximateBytes() >= options.memtableSize()) {
                    addReplayedTable(mem, edit);
                    mem = new Memtable(number);
                }
            }
        }
        addReplayedTable(mem, edit);
        return tear;
    }

    private void addReplayedTable(Memtable mem, VersionEdit edit) throws IOException {
        try (InternalIterator source = mem.iterator()) {
            newJob(lastSequence, key -> false, Long.MAX_VALUE).run(source).outputs().forEach(f -> edit.addFile(0, f));
        }
    }

    // ---------------------------------------------------------------- file cleanup

    /**
     * A version nobody pins any more may have been the last to list some files. The last unpin
     * often happens on a reader's thread, which must not take the mutex or do file I/O, so the
     * cleanup runs on the flush thread. (Under the mutex, from an install, it runs inline.)
     */
    private void onVersionDead() {
        if (closed || view == null) {
            return;
        }
        if (mutex.isHeldByCurrentThread()) {
            deleteObsoleteFilesQuietly();
            return;
        }
        try {
            flusher.execute(() -> {
                mutex.lock();
                try {
                    deleteObsoleteFilesQuietly();
                } finally {
                    mutex.unlock();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: the next open deletes what is left
        }
    }

    /** Requires: mutex held. A failed delete leaves a file for the next cleanup; it is not an error. */
    private void deleteObsoleteFilesQuietly() {
        if (closed) {
            return;
        }
        try {
            deleteObsoleteFiles();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete obsolete files in " + dir, e);
        }
    }

    /** Requires: mutex held. */
    private void deleteObsoleteFiles() throws IOException {
        versions.deleteObsoleteFiles(pendingOutputs, tables::evict);
    }

    private void periodicSync() {
        LogWriter current;
        mutex.lock();
        try {
            if (closed || backgroundError != null) {
                return;
            }
            current = log;
        } finally {
            mutex.unlock();
        }
        try {
            current.sync();
        } catch (IOException e) {
            mutex.lock();
            try {
                if (current == log && !closed) {
                    fail("periodic WAL sync failed", e);
                }
            } finally {
                mutex.unlock();
            }
        }
    }

    // ---------------------------------------------------------------- checks and errors

    /** Records a fatal I/O error: from now on every write fails with it. */
    private KvStoreException fail(String what, Throwable cause) {
        KvStoreException error = new KvStoreException(what + " in " + dir
                + "; the store is read-only until reopened: " + cause, cause);
        if (backgroundError == null) {
            backgroundError = error;
            LOG.log(System.Logger.Level.ERROR, error.getMessage(), cause);
        }
        return error;
    }

    private void throwIfFailed() {
        KvStoreException error = backgroundError;
        if (error != null) {
            throw new KvStoreException(error.getMessage(), error);
        }
    }

    private void checkOpen() {
        if (closing) {
            throw new StoreClosedException("KvStore", dir);
        }
    }

    /** Used by iterators: fails if the store was closed under them. */
    void checkReadable(String what) {
        if (closing) {
            throw new StoreClosedException(what, dir);
        }
    }

    /** Turns a failure inside a read into the engine's exception family. */
    KvStoreException translate(RuntimeException e, String operation) {
        if (e instanceof KvStoreException k) {
            return k;
        }
        if (closing) {
            return new StoreClosedException("KvStore", dir);
        }
        if (e instanceof UncheckedIOException io) {
            return new KvStoreException(operation + " failed in " + dir + ": " + io.getCause(), io.getCause());
        }
        throw e;
    }

    private long expiryAt(long ttlMillis) {
        return Arguments.saturatedAdd(options.clock().millis(), ttlMillis);
    }

    private void checkSizes(int keyLength, int valueLength) {
        if (keyLength > options.maxKeySize()) {
            throw new IllegalArgumentException("key is " + keyLength + " bytes; maxKeySize is "
                    + options.maxKeySize());
        }
        if (valueLength > options.maxValueSize()) {
            throw new IllegalArgumentException("value is " + valueLength + " bytes; maxValueSize is "
                    + options.maxValueSize());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "KvStore[" + dir + "]";
    }
}
