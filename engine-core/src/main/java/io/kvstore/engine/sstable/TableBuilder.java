package io.kvstore.engine.sstable;

import io.kvstore.engine.Compression;
import io.kvstore.engine.io.Checksums;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.io.FilterPrefix;
import io.kvstore.engine.io.WritableFile;
import io.kvstore.engine.memtable.InternalKey;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes a table file from internal entries added in internal-key order; see {@link TableFormat}.
 * Data blocks are compressed with the given {@link Compression}, each stored raw when that would
 * not save at least 1/8 of it; filter and index blocks are never compressed.
 * The caller syncs and closes the file after {@link #finish()}.
 */
public final class TableBuilder {

    private final WritableFile file;
    private final int blockSize;
    private final int bloomBitsPerKey;
    private final FilterPrefix filterPrefix;
    /** The last filtered prefix added to the filter: keys arrive sorted, so each prefix is added once. */
    private byte[] lastPrefix = new byte[64];
    private int lastPrefixLen = -1;
    /** Trailer code of the data block compression. */
    private final byte compression;
    /** Compressed contents of the current data block; grown on demand. */
    private byte[] compressed = new byte[0];
    private final BlockBuilder dataBlock = new BlockBuilder(TableFormat.RESTART_INTERVAL);
    private final BlockBuilder indexBlock = new BlockBuilder(1);
    private final BloomFilter.HashList keyHashes = new BloomFilter.HashList();
    private final byte[] trailer = new byte[TableFormat.BLOCK_TRAILER_SIZE];
    private final byte[] handle = new byte[15];
    private byte[] keyScratch = new byte[64];
    private byte[] smallest;
    private byte[] lastUserKey = new byte[64];
    private int lastUserKeyLen = -1;
    private byte[] lastIndexedKey;
    private long entries;
    private long offset;
    /** Write buffer: blocks reach the file in large appends, not two per block. */
    private final byte[] out = new byte[64 * 1024];
    private int outLen;

    /** A builder of uncompressed tables. */
    public TableBuilder(WritableFile file, int blockSize, int bloomBitsPerKey) {
        this(file, blockSize, bloomBitsPerKey, Compression.NONE, FilterPrefix.NONE);
    }

    /** A builder whose filter indexes whole keys only. */
    public TableBuilder(WritableFile file, int blockSize, int bloomBitsPerKey, Compression compression) {
        this(file, blockSize, bloomBitsPerKey, compression, FilterPrefix.NONE);
    }

    /**
     * @param blockSize       target uncompressed size of a data block
     * @param bloomBitsPerKey bloom filter bits per user key; 0 writes no filter
     * @param compression     compression of data blocks
     * @param filterPrefix    prefixes the filter indexes besides whole keys; {@link FilterPrefix#NONE}
     *                        writes a {@link TableFormat#FORMAT_VERSION_WHOLE_KEYS} table
     */
    public TableBuilder(WritableFile file, int blockSize, int bloomBitsPerKey, Compression compression,
            FilterPrefix filterPrefix) {
        this.file = file;
        this.blockSize = blockSize;
        this.bloomBitsPerKey = bloomBitsPerKey;
        this.compression = BlockCodec.code(compression);
        this.filterPrefix = filterPrefix;
    }

    /** Adds an entry; {@code (userKey, trailer)} must sort after every entry added before. */
    public void add(byte[] userKey, int keyOff, int keyLen, long trailer, byte[] value, int valueOff, int valueLen)
            throws IOException {
        int encodedLen = keyLen + InternalKey.TRAILER_SIZE;
        if (keyScratch.length < encodedLen) {
            keyScratch = new byte[Math.max(encodedLen, keyScratch.length * 2)];
        }
        System.arraycopy(userKey, keyOff, keyScratch, 0, keyLen);
        Coding.putLong(keyScratch, keyLen, trailer);
        if (smallest == null) {
            smallest = Arrays.copyOf(keyScratch, encodedLen);
        }
        if (lastUserKeyLen != keyLen
                || !Arrays.equals(lastUserKey, 0, keyLen, userKey, keyOff, keyOff + keyLen)) {
            keyHashes.add(BloomFilter.hash(userKey, keyOff, keyLen));
            addPrefix(userKey, keyOff, keyLen);
            if (lastUserKey.length < keyLen) {
                lastUserKey = new byte[Math.max(keyLen, lastUserKey.length * 2)];
            }
            System.arraycopy(userKey, keyOff, lastUserKey, 0, keyLen);
            lastUserKeyLen = keyLen;
        }
        dataBlock.add(keyScratch, 0, encodedLen, value, valueOff, valueLen);
        entries++;
        if (dataBlock.estimatedSize() >= blockSize) {
            flushDataBlock();
        }
    }

    private void addPrefix(byte[] userKey, int keyOff, int keyLen) {
        int len = filterPrefix.length(userKey, keyOff, keyLen);
        if (len < 0 || (len == lastPrefixLen
                && Arrays.equals(lastPrefix, 0, len, userKey, keyOff, keyOff + len))) {
            return;
        }
        keyHashes.add(BloomFilter.hash(userKey, keyOff, len));
        if (lastPrefix.length < len) {
            lastPrefix = new byte[Math.max(len, lastPrefix.length * 2)];
        }
        System.arraycopy(userKey, keyOff, lastPrefix, 0, len);
        lastPrefixLen = len;
    }

    public long entries() {
        return entries;
    }

    /** Smallest encoded internal key added, or {@code null} if none. */
    public byte[] smallestKey() {
        return smallest;
    }

    /** Largest encoded internal key added; valid after {@link #finish()}. */
    public byte[] largestKey() {
        return lastIndexedKey.clone();
    }

    /** Writes the remaining blocks and the footer; returns the file size. */
    public long finish() throws IOException {
        if (!dataBlock.isEmpty()) {
            flushDataBlock();
        }
        byte[] filter = bloomBitsPerKey > 0 ? BloomFilter.build(keyHashes.array(), keyHashes.size(), bloomBitsPerKey)
                : new byte[0];
        long filterOffset = offset;
        writeBlock(filter, filter.length, TableFormat.COMPRESSION_NONE);
        long indexOffset = offset;
        int indexLen = indexBlock.finish();
        writeBlock(indexBlock.buffer(), indexLen, TableFormat.COMPRESSION_NONE);

        byte[] footer = new byte[TableFormat.FOOTER_SIZE];
        Coding.putLong(footer, 0, filterOffset);
        Coding.putInt(footer, 8, filter.length);
        Coding.putLong(footer, 12, indexOffset);
        Coding.putInt(footer, 20, indexLen);
        Coding.putLong(footer, 24, entries);
        Coding.putInt(footer, 32, filterPrefix == FilterPrefix.NONE ? TableFormat.FORMAT_VERSION_WHOLE_KEYS
                : TableFormat.FORMAT_VERSION);
        Coding.putInt(footer, 36, Checksums.mask(Checksums.crc32c(footer, 0, 36)));
        Coding.putLong(footer, 40, TableFormat.MAGIC);
        write(footer, 0, footer.length);
        flushOut();
        return offset;
    }

    private void flushDataBlock() throws IOException {
        lastIndexedKey = Arrays.copyOf(dataBlock.lastKey(), dataBlock.lastKeyLength());
        int len = dataBlock.finish();
        long blockOffset = offset;
        int stored = len;
        if (compression == TableFormat.COMPRESSION_NONE) {
            writeBlock(dataBlock.buffer(), len, TableFormat.COMPRESSION_NONE);
        } else {
            int max = BlockCodec.maxCompressedLength(compression, len);
            if (compressed.length < max) {
                compressed = new byte[Math.max(max, compressed.length * 2)];
            }
            int n = BlockCodec.compress(compression, dataBlock.buffer(), len, compressed);
            if (n < 0) {
                writeBlock(dataBlock.buffer(), len, TableFormat.COMPRESSION_NONE);
            } else {
                writeBlock(compressed, n, compression);
                stored = n;
            }
        }
        int h = Coding.putVarint64(handle, 0, blockOffset);
        h = Coding.putVarint32(handle, h, stored);
        indexBlock.add(lastIndexedKey, 0, lastIndexedKey.length, handle, 0, h);
        dataBlock.reset();
    }

    /** Writes {@code contents[0..len)}, stored with compression code {@code type}, and its trailer. */
    private void writeBlock(byte[] contents, int len, byte type) throws IOException {
        trailer[0] = type;
        Coding.putInt(trailer, 1, Checksums.mask(Checksums.crc32c(contents, 0, len, trailer[0])));
        write(contents, 0, len);
        write(trailer, 0, trailer.length);
    }

    private void write(byte[] src, int off, int len) throws IOException {
        offset += len;
        if (len > out.length - outLen) {
            flushOut();
            if (len > out.length) {
                file.append(src, off, len);
                return;
            }
        }
        System.arraycopy(src, off, out, outLen, len);
        outLen += len;
    }

    private void flushOut() throws IOException {
        if (outLen > 0) {
            file.append(out, 0, outLen);
            outLen = 0;
        }
    }
}
