package io.kvstore.engine.sstable;

import io.kvstore.engine.CorruptionException;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.memtable.InternalKey;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A decoded, checksum-verified block of sorted entries (data or index block).
 *
 * <pre>
 * block     := entry* restart:u32* restartCount:u32
 * entry     := shared:varint32 unshared:varint32 valueLen:varint32 keySuffix[unshared] value[valueLen]
 *   key     =  previous key's first {@code shared} bytes + keySuffix; shared = 0 at restart points
 *   restart =  offset of an entry stored with shared = 0, ascending
 * </pre>
 *
 * Keys are encoded internal keys ({@link InternalKey}). Structural damage that slipped past the
 * checksum is reported as {@link CorruptionException} naming the block's file and offset.
 */
final class Block {

    private final byte[] data;
    private final int restartsOffset;
    private final int restartCount;
    private final Path file;
    private final long fileOffset;

    Block(byte[] data, int length, Path file, long fileOffset) {
        this.data = data;
        this.file = file;
        this.fileOffset = fileOffset;
        if (length < 4) {
            throw corrupt("block of " + length + " bytes has no restart count");
        }
        this.restartCount = Coding.getInt(data, length - 4);
        long restartsStart = (long) length - 4 - 4L * restartCount;
        if (restartCount < 1 || restartsStart < 0) {
            throw corrupt("bad restart count " + restartCount + " for a block of " + length + " bytes");
        }
        this.restartsOffset = (int) restartsStart;
    }

    BlockIterator iterator() {
        return new BlockIterator(this);
    }

    /** Bytes this block holds in memory: what the block cache weighs it by. */
    int weight() {
        return data.length;
    }

    private CorruptionException corrupt(String problem) {
        return new CorruptionException(file, fileOffset, problem);
    }

    /**
     * Cursor over the entries of a block; key accessors expose the user-key part. One cursor can be
     * moved to another block with {@link #reset(Block)}, so a scan or a lookup need not allocate one
     * per block.
     */
    static final class BlockIterator {
        private final int[] pos = new int[1];
        private Block block;
        private byte[] data;
        private int restartsOffset;
        private int restartCount;
        private byte[] key = new byte[64];
        private int keyLen;
        private int valueOff;
        private int valueLen;
        /** Offset of the entry after the current one; {@code restartsOffset} past the last. */
        private int nextOffset;
        private boolean valid;

        BlockIterator(Block block) {
            reset(block);
        }

        /** Moves this cursor to {@code block} (unpositioned), or detaches it when {@code null}. */
        void reset(Block block) {
            this.block = block;
            this.data = block == null ? null : block.data;
            this.restartsOffset = block == null ? 0 : block.restartsOffset;
            this.restartCount = block == null ? 0 : block.restartCount;
            this.keyLen = 0;
            this.valid = false;
        }

        boolean isValid() {
            return valid;
        }

        void seekToFirst() {
            seekToRestart(0);
            parseNext();
        }

        /** First entry whose internal key is at or after {@code (userKey, trailer)}. */
        void seek(byte[] userKey, int off, int len, long trailer) {
            int lo = 0;
            int hi = restartCount - 1;
            // Last restart point whose key is before the target.
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                int entry = restartPoint(mid);
                pos[0] = entry;
                int shared = varint();
                int unshared = varint();
                varint();
                if (shared != 0) {
                    throw block.corrupt("restart point " + mid + " has a shared key prefix");
                }
                int keyStart = pos[0];
                if (unshared < InternalKey.TRAILER_SIZE || keyStart + unshared > restartsOffset) {
                    throw block.corrupt("bad key length at block offset " + entry);
                }
                int userLen = unshared - InternalKey.TRAILER_SIZE;
                long entryTrailer = Coding.getLong(data, keyStart + userLen);
                if (InternalKey.compare(data, keyStart, userLen, entryTrailer, userKey, off, len, trailer) < 0) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            seekToRestart(lo);
            while (parseNext()) {
                if (InternalKey.compare(key, 0, keyLen - InternalKey.TRAILER_SIZE, trailer(), userKey, off, len,
                        trailer) >= 0) {
                    return;
                }
            }
        }

        void next() {
            parseNext();
        }

        byte[] keyArray() {
            return key;
        }

        int userKeyLength() {
            return keyLen - InternalKey.TRAILER_SIZE;
        }

        int encodedKeyLength() {
            return keyLen;
        }

        long trailer() {
            return Coding.getLong(key, keyLen - InternalKey.TRAILER_SIZE);
        }

        byte[] valueArray() {
            return data;
        }

        int valueOffset() {
            return valueOff;
        }

        int valueLength() {
            return valueLen;
        }

        private void seekToRestart(int index) {
            keyLen = 0;
            nextOffset = restartPoint(index);
            valid = false;
        }

        private int restartPoint(int index) {
            int offset = Coding.getInt(data, restartsOffset + 4 * index);
            if (offset < 0 || offset >= restartsOffset) {
                throw block.corrupt("restart point " + index + " out of range: " + offset);
            }
            return offset;
        }

        private boolean parseNext() {
            if (nextOffset >= restartsOffset) {
                valid = false;
                return false;
            }
            pos[0] = nextOffset;
            int shared = varint();
            int unshared = varint();
            int vlen = varint();
            int p = pos[0];
            if (shared > keyLen || p + unshared + vlen > restartsOffset || shared + unshared < InternalKey.TRAILER_SIZE) {
                throw block.corrupt("bad entry at block offset " + nextOffset);
            }
            if (key.length < shared + unshared) {
                key = Arrays.copyOf(key, Math.max(shared + unshared, key.length * 2));
            }
            System.arraycopy(data, p, key, shared, unshared);
            keyLen = shared + unshared;
            valueOff = p + unshared;
            valueLen = vlen;
            nextOffset = valueOff + vlen;
            valid = true;
            return true;
        }

        private int varint() {
            try {
                return Coding.getVarint32(data, pos, restartsOffset);
            } catch (IllegalStateException e) {
                throw block.corrupt(e.getMessage());
            }
        }
    }
}
