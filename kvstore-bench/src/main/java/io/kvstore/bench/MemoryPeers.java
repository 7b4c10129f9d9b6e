package io.kvstore.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The ceilings: in-memory maps driven through the same loop. {@code hashmap} (a ConcurrentHashMap)
 * measures the harness itself; {@code skiplist} (a ConcurrentSkipListMap, unsigned byte order) is
 * what an ordered in-memory structure costs with no durability at all.
 */
final class MemoryPeers {

    private MemoryPeers() {
    }

    static final class HashMapPeer implements Peer {
        @Override
        public String name() {
            return "hashmap";
        }

        @Override
        public String durabilityNote() {
            return "ConcurrentHashMap<ByteBuffer, byte[]>: harness ceiling, in memory, no order, no durability";
        }

        @Override
        public boolean ordered() {
            return false;
        }

        @Override
        public boolean inMemory() {
            return true;
        }

        @Override
        public Store open(Path directory, Durability durability) {
            ConcurrentHashMap<ByteBuffer, byte[]> map = new ConcurrentHashMap<>();
            return new Store() {
                @Override
                public void put(byte[] key, byte[] value) {
                    map.put(ByteBuffer.wrap(key), value);
                }

                @Override
                public byte[] get(byte[] key) {
                    return map.get(ByteBuffer.wrap(key));
                }

                @Override
                public void delete(byte[] key) {
                    map.remove(ByteBuffer.wrap(key));
                }

                @Override
                public int scan(byte[] fromKey, int n) {
                    throw new UnsupportedOperationException("a hash map keeps no key order");
                }

                @Override
                public long bytesOnDisk() {
                    return 0;
                }

                @Override
                public void close() {
                    map.clear();
                }
            };
        }
    }

    static final class SkipListPeer implements Peer {
        @Override
        public String name() {
            return "skiplist";
        }

        @Override
        public String durabilityNote() {
            return "ConcurrentSkipListMap<byte[], byte[]> (unsigned order): in-memory ordered ceiling, no durability";
        }

        @Override
        public boolean inMemory() {
            return true;
        }

        @Override
        public Store open(Path directory, Durability durability) {
            ConcurrentSkipListMap<byte[], byte[]> map = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
            return new Store() {
                @Override
                public void put(byte[] key, byte[] value) {
                    map.put(key, value);
                }

                @Override
                public byte[] get(byte[] key) {
                    return map.get(key);
                }

                @Override
                public void delete(byte[] key) {
                    map.remove(key);
                }

                @Override
                public int scan(byte[] fromKey, int n) {
                    int read = 0;
                    Iterator<byte[]> it = map.tailMap(fromKey, true).values().iterator();
                    for (; read < n && it.hasNext(); read++) {
                        it.next();
                    }
                    return read;
                }

                @Override
                public long bytesOnDisk() {
                    return 0;
                }

                @Override
                public void close() {
                    map.clear();
                }
            };
        }
    }
}
