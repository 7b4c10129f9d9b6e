package io.kvstore.engine.sstable;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.UnsupportedFormatException;
import io.kvstore.engine.io.Checksums;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.FileSystem;
import io.kvstore.engine.io.ReadableFile;
import io.kvstore.engine.iterator.InternalIterator;
import io.kvstore.engine.memtable.InternalKey;
import io.kvstore.engine.memtable.Memtable;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An open table file: its footer, bloom filter and index held in memory, data blocks read on
 * demand with positional reads, each checked against its CRC32C before use and decompressed per
 * its own compression byte.
 *
 * <p>A point lookup that the bloom filter rejects reads nothing; one that passes needs exactly one
 * data block (the index names the only block that can hold the key's newest visible version),
 * taken from the block cache when the reader has one, else read from the file.
 * Thread-safe: any number of concurrent lookups and iterators.
 */
public final class TableReader implements Closeable {

    /** Per-thread cursor for point lookups, so a lookup on a cached block allocates only its result. */
    private static final ThreadLocal<Block.BlockIterator> LOOKUP_CURSOR =
            ThreadLocal.withInitial(() -> new Block.BlockIterator(null));

    private final ReadableFile file;
    private final Path path;
    /** The table's file number: its part of block cache keys. */
    private final long number;
    /** Shared by the tables of one store; {@code null} when caching is off. */
    private final BlockCache blockCache;
    private final ReadCounters counters;
    private final BloomFilter filter;
    /** Whether {@link #filter} also holds the keys' filtered prefixes (format version 2). */
    private final boolean filterHoldsPrefixes;
    /** Last encoded internal key of each data block, ascending. */
    private final byte[][] indexKeys;
    private final long[] blockOffsets;
    private final int[] blockSizes;
    private final long entries;

    private TableReader(ReadableFile file, Path path, long number, BlockCache blockCache, ReadCounters counters,
            BloomFilter filter, boolean filterHoldsPrefixes, byte[][] indexKeys, long[] blockOffsets, int[] blockSizes,
            long entries) {
        this.file = file;
        this.path = path;
        this.number = number;
        this.blockCache = blockCache;
        this.counters = counters;
        this.filter = filter;
        this.filterHoldsPrefixes = filterHoldsPrefixes;
        this.indexKeys = indexKeys;
        this.blockOffsets = blockOffsets;
        this.blockSizes = blockSizes;
        this.entries = entries;
    }

    /**
     * Opens {@code path}, checking its size against {@code expectedSize} (from the manifest), its
     * footer, filter and index. Its data blocks are not cached; a store opens tables through
     * {@link TableCache}.
     *
     * @throws CorruptionException naming the file and offset of the first damage found
     */
    public static TableReader open(FileSystem fs, Path path, long expectedSize, ReadCounters counters)
            throws IOException {
        return open(fs, path, expectedSize, -1, null, counters);
    }

    /** As {@link #open(FileSystem, Path, long, ReadCounters)}, caching data blocks of table {@code number}. */
    static TableReader open(FileSystem fs, Path path, long expectedSize, long number, BlockCache blockCache,
            ReadCounters counters) throws IOException {
        ReadableFile file = fs.openForRead(path);
        try {
            return read(file, path, expectedSize, number, blockCache, counters);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static TableReader read(ReadableFile file, Path path, long expectedSize, long number,
            BlockCache blockCache, ReadCounters counters) throws IOException {
        long size = file.size();
        if (size != expectedSize) {
            throw new CorruptionException(path, Math.min(size, expectedSize), "table file is " + size
                    + " bytes but the manifest recorded " + expectedSize);
        }
        if (size < TableFormat.FOOTER_SIZE) {
            throw new CorruptionException(path, 0, "file of " + size + " bytes is too short to be a table");
        }
        long footerOffset = size - TableFormat.FOOTER_SIZE;
        byte[] footer = new byte[TableFormat.FOOTER_SIZE];
        file.readFully(footerOffset, footer, 0, footer.length);
        if (Coding.getLong(footer, 40) != TableFormat.MAGIC) {
            throw new CorruptionException(path, footerOffset + 40, "bad magic number: not a KvStore table file");
        }
        int version = Coding.getInt(footer, 32);
        if (Checksums.unmask(Coding.getInt(footer, 36)) != Checksums.crc32c(footer, 0, 36)) {
            throw new CorruptionException(path, footerOffset, "footer checksum mismatch");
        }
        if (version != TableFormat.FORMAT_VERSION && version != TableFormat.FORMAT_VERSION_WHOLE_KEYS) {
            throw new UnsupportedFormatException(path, footerOffset + 32, version, TableFormat.FORMAT_VERSION);
        }
        long filterOffset = Coding.getLong(footer, 0);
        int filterSize = Coding.getInt(footer, 8);
        long indexOffset = Coding.getLong(footer, 12);
        int indexSize = Coding.getInt(footer, 20);
        long entries = Coding.getLong(footer, 24);
        checkHandle(path, footerOffset, filterOffset, filterSize, footerOffset);
        checkHandle(path, footerOffset, indexOffset, indexSize, footerOffset);

        Contents filterBlock = readBlock(file, path, filterOffset, filterSize);
        BloomFilter filter = filterBlock.length == 0 ? null : BloomFilter.read(filterBlock.data, filterBlock.length);
        if (filterBlock.length != 0 && filter == null) {
            throw new CorruptionException(path, filterOffset, "malformed bloom filter block");
        }

        Contents index = readBlock(file, path, indexOffset, indexSize);
        byte[] indexBlock = index.data;
        Block.BlockIterator it = new Block(indexBlock, index.length, path, indexOffset).iterator();
        int count = 0;
        byte[][] keys = new byte[16][];
        long[] offsets = new long[16];
        int[] sizes = new int[16];
        int[] pos = new int[1];
        for (it.seekToFirst(); it.isValid(); it.next()) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
                offsets = Arrays.copyOf(offsets, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
            }
            keys[count] = Arrays.copyOf(it.keyArray(), it.encodedKeyLength());
            pos[0] = it.valueOffset();
            int limit = it.valueOffset() + it.valueLength();
            try {
                offsets[count] = Coding.getVarint64(indexBlock, pos, limit);
                sizes[count] = Coding.getVarint32(indexBlock, pos, limit);
            } catch (IllegalStateException e) {
                throw new CorruptionException(path, indexOffset, "bad block handle in index: " + e.getMessage());
            }
            checkHandle(path, indexOffset, offsets[count], sizes[count], filterOffset);
            if (count > 0 && InternalKey.compareEncoded(keys[count - 1], 0, keys[count - 1].length, keys[count], 0,
                    keys[count].length) >= 0) {
                throw new CorruptionException(path, indexOffset, "index keys out of order at entry " + count);
            }
            count++;
        }
        return new TableReader(file, path, number, blockCache, counters, filter,
                version == TableFormat.FORMAT_VERSION, Arrays.copyOf(keys, count),
                Arrays.copyOf(offsets, count), Arrays.copyOf(sizes, count), entries);
    }

    private static void checkHandle(Path path, long where, long offset, long size, long limit) {
        if (offset < 0 || size < 0 || offset + size + TableFormat.BLOCK_TRAILER_SIZE > limit) {
            throw new CorruptionException(path, where, "block handle (offset " + offset + ", size " + size
                    + ") points outside the table");
        }
    }

    /** A block's contents: {@code data[0..length)}. */
    private record Contents(byte[] data, int length) {
    }

    /**
     * Reads the block stored at {@code offset} with {@code size} bytes of contents, verifies its
     * checksum and decompresses it per its compression byte.
     */
    private static Contents readBlock(ReadableFile file, Path path, long offset, int size) throws IOException {
        byte[] buf = new byte[size + TableFormat.BLOCK_TRAILER_SIZE];
        file.readFully(offset, buf, 0, buf.length);
        byte compression = buf[size];
        int stored = Checksums.unmask(Coding.getInt(buf, size + 1));
        if (Checksums.crc32c(buf, 0, size, compression) != stored) {
            throw new CorruptionException(path, offset, "block checksum mismatch");
        }
        if (compression == TableFormat.COMPRESSION_NONE) {
            return new Contents(buf, size);
        }
        byte[] contents = BlockCodec.decompress(path, offset, compression, buf, size);
        return new Contents(contents, contents.length);
    }

    /** Data block {@code index}, from the block cache when {@code cached} and there is one. */
    private Block dataBlock(int index, boolean cached) {
        long offset = blockOffsets[index];
        BlockCache.Key key = null;
        if (cached && blockCache != null) {
            key = new BlockCache.Key(number, offset);
            Block block = blockCache.get(key);
            if (block != null) {
                counters.blockCacheHits.increment();
                return block;
            }
            counters.blockCacheMisses.increment();
        }
        counters.blockReads.increment();
        Contents contents;
        try {
            contents = readBlock(file, path, offset, blockSizes[index]);
        } catch (IOException e) {
            throw new UncheckedIOException("reading block at offset " + offset + " of " + path, e);
        }
        Block block = new Block(contents.data, contents.length, path, offset);
        if (key != null) {
            blockCache.put(key, block);
        }
        return block;
    }

    /** Index of the first data block whose last key is at or after {@code (userKey, trailer)}, or the block count. */
    private int findBlock(byte[] userKey, int off, int len, long trailer) {
        int lo = 0;
        int hi = indexKeys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            byte[] k = indexKeys[mid];
            int c = InternalKey.compare(k, 0, k.length - InternalKey.TRAILER_SIZE,
                    Coding.getLong(k, k.length - InternalKey.TRAILER_SIZE), userKey, off, len, trailer);
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The newest version of {@code key} with sequence at most {@code sequence}: a copy of its value,
     * {@link Memtable#DELETED} (a delete, or an entry expired at {@code nowMillis}), or {@code null}
     * if this table has none.
     */
    public byte[] get(byte[] key, long sequence, long nowMillis) {
        return lookup(key, BloomFilter.hash(key, 0, key.length), sequence, nowMillis);
    }

    /** {@link #get(byte[], long, long)} for a key whose {@link BloomFilter#hash} the caller has. */
    public byte[] get(byte[] key, long keyHash, long sequence, long nowMillis) {
        return lookup(key, keyHash, sequence, nowMillis);
    }

    /** {@link #get(byte[], long, long)} with no entry counted as expired. */
    public byte[] get(byte[] key, long sequence) {
        return get(key, sequence, Long.MIN_VALUE);
    }

    /**
     * {@code false} when this table certainly holds no key with the filtered prefix whose
     * {@link BloomFilter#hash} is {@code prefixHash}; always {@code true} for a table whose filter
     * holds no prefixes.
     */
    public boolean mayContainPrefix(long prefixHash) {
        return filter == null || !filterHoldsPrefixes || filter.mayContain(prefixHash);
    }

    private byte[] lookup(byte[] key, long keyHash, long sequence, long nowMillis) {
        if (filter != null && !filter.mayContain(keyHash)) {
            counters.bloomNegatives.increment();
            return null;
        }
        long trailer = InternalKey.lookupTrailer(sequence);
        int index = findBlock(key, 0, key.length, trailer);
        if (index == indexKeys.length) {
            return null;
        }
        Block.BlockIterator it = LOOKUP_CURSOR.get();
        it.reset(dataBlock(index, true));
        try {
            it.seek(key, 0, key.length, trailer);
            if (!it.isValid() || !Arrays.equals(it.keyArray(), 0, it.userKeyLength(), key, 0, key.length)) {
                return null;
            }
            return InternalKey.resolve(it.trailer(), it.valueArray(), it.valueOffset(), it.valueLength(), nowMillis,
                    Memtable.DELETED);
        } finally {
            it.reset(null);
        }
    }

    /**
     * Reads every data block from the file (not the block cache, which could hide damage on disk)
     * and checks its checksum, compression, structure and key order, and that its last key is the
     * one the index records: what {@code verify} does for this table.
     *
     * @throws CorruptionException naming the file and offset of the first bad block
     */
    public void verifyBlocks() {
        Block.BlockIterator it = new Block.BlockIterator(null);
        byte[] previous = new byte[64];
        int previousLen = -1;
        for (int i = 0; i < blockOffsets.length; i++) {
            it.reset(dataBlock(i, false));
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int len = it.encodedKeyLength();
                if (previousLen >= 0
                        && InternalKey.compareEncoded(previous, 0, previousLen, it.keyArray(), 0, len) >= 0) {
                    throw new CorruptionException(path, blockOffsets[i], "keys out of order in data block " + i);
                }
                if (previous.length < len) {
                    previous = new byte[Math.max(len, previous.length * 2)];
                }
                System.arraycopy(it.keyArray(), 0, previous, 0, len);
                previousLen = len;
            }
            if (previousLen < 0 || !Arrays.equals(previous, 0, previousLen, indexKeys[i], 0, indexKeys[i].length)) {
                throw new CorruptionException(path, blockOffsets[i], "last key of data block " + i
                        + " differs from its index entry");
            }
        }
    }

    public long entries() {
        return entries;
    }

    public Path path() {
        return path;
    }

    public InternalIterator iterator() {
        return new TableIterator(null);
    }

    /** An iterator whose first {@code close()} runs {@code onClose}. */
    InternalIterator iterator(Runnable onClose) {
        return new TableIterator(onClose);
    }

    /** Drops this table's blocks from the block cache: the table is being deleted. */
    void forgetCachedBlocks() {
        if (blockCache != null) {
            blockCache.forget(number, blockOffsets);
        }
    }

    int dataBlockCount() {
        return blockOffsets.length;
    }

    long dataBlockOffset(int index) {
        return blockOffsets[index];
    }

    /** Stored size of data block {@code index}, without its trailer. */
    int dataBlockSize(int index) {
        return blockSizes[index];
    }

    /** Last encoded internal key of data block {@code index}, as the index records it. */
    byte[] lastKeyOfBlock(int index) {
        return indexKeys[index].clone();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** Two-level iterator: the in-memory index picks the block, one data block is held at a time. */
    private final class TableIterator implements InternalIterator {
        private final Block.BlockIterator cursor = new Block.BlockIterator(null);
        private Runnable onClose;
        private int blockIndex = indexKeys.length;
        /** {@link #cursor} while it is on a block; {@code null} past the last block. */
        private Block.BlockIterator block;

        TableIterator(Runnable onClose) {
            this.onClose = onClose;
        }

        @Override
        public boolean isValid() {
            return block != null && block.isValid();
        }

        @Override
        public void seekToFirst() {
            openBlock(0);
            if (block != null) {
                block.seekToFirst();
                skipEmptyBlocks();
            }
        }

        @Override
        public void seek(byte[] userKey, long trailer) {
            openBlock(findBlock(userKey, 0, userKey.length, trailer));
            if (block != null) {
                block.seek(userKey, 0, userKey.length, trailer);
                skipEmptyBlocks();
            }
        }

        @Override
        public void next() {
            block.next();
            skipEmptyBlocks();
        }

        private void skipEmptyBlocks() {
            while (block != null && !block.isValid()) {
                openBlock(blockIndex + 1);
                if (block != null) {
                    block.seekToFirst();
                }
            }
        }

        private void openBlock(int index) {
            blockIndex = index;
            if (index < indexKeys.length) {
                cursor.reset(dataBlock(index, true));
                block = cursor;
            } else {
                cursor.reset(null);
                block = null;
            }
        }

        @Override
        public byte[] keyArray() {
            return block.keyArray();
        }

        @Override
        public int keyOffset() {
            return 0;
        }

        @Override
        public int keyLength() {
            return block.userKeyLength();
        }

        @Override
        public long trailer() {
            return block.trailer();
        }

        @Override
        public byte[] valueArray() {
            return block.valueArray();
        }

        @Override
        public int valueOffset() {
            return block.valueOffset();
        }

        @Override
        public int valueLength() {
            return block.valueLength();
        }

        @Override
        public void close() {
            block = null;
            cursor.reset(null);
            Runnable hook = onClose;
            onClose = null;
            if (hook != null) {
                hook.run();
            }
        }
    }
}
