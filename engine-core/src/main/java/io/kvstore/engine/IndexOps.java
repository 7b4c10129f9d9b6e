package io.kvstore.engine;

import io.kvstore.engine.index.Op;
import io.kvstore.engine.io.Coding;
import io.kvstore.engine.wal.BatchRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Translation between encoded batch records and the {@link Op}s the index code reads and adds. */
final class IndexOps {

    private IndexOps() {
    }

    /** The user-key operations of {@code record}, in order (own entries are skipped). */
    static List<Op> userOps(byte[] record) {
        List<Op> ops = new ArrayList<>(BatchRecord.count(record));
        BatchRecord.forEach(record, record.length, new BatchRecord.Visitor() {
            @Override
            public void put(long sequence, byte type, byte[] r, int keyOff, int keyLen, int valueOff, int valueLen) {
                if (StorageKeys.isSystem(r, keyOff, keyLen)) {
                    return;
                }
                byte[] key = StorageKeys.strip(r, keyOff, keyLen);
                if (type == BatchRecord.TYPE_PUT_TTL) {
                    ops.add(Op.put(key, Arrays.copyOfRange(r, valueOff + 8, valueOff + valueLen),
                            Coding.getLong(r, valueOff)));
                } else {
                    ops.add(Op.put(key, Arrays.copyOfRange(r, valueOff, valueOff + valueLen), 0));
                }
            }

            @Override
            public void delete(long sequence, byte[] r, int keyOff, int keyLen) {
                if (!StorageKeys.isSystem(r, keyOff, keyLen)) {
                    ops.add(Op.delete(StorageKeys.strip(r, keyOff, keyLen)));
                }
            }
        });
        return ops;
    }

    /** {@code record} followed by {@code ownOps} (keys in the store's own key space), as one record. */
    static byte[] append(byte[] record, List<Op> ownOps) {
        List<byte[]> keys = new ArrayList<>(ownOps.size());
        long size = record.length;
        for (Op op : ownOps) {
            byte[] k = StorageKeys.system(op.key());
            keys.add(k);
            size += op.isDelete() ? BatchRecord.deleteSize(k.length)
                    : op.expiresAt() != 0 ? BatchRecord.putWithExpirySize(k.length, op.value().length)
                    : BatchRecord.putSize(k.length, op.value().length);
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("write with its index postings would exceed 2 GiB");
        }
        byte[] out = Arrays.copyOf(record, (int) size);
        int p = record.length;
        for (int i = 0; i < ownOps.size(); i++) {
            Op op = ownOps.get(i);
            byte[] k = keys.get(i);
            p = op.isDelete() ? BatchRecord.writeDelete(out, p, k)
                    : op.expiresAt() != 0 ? BatchRecord.writePutWithExpiry(out, p, k, op.value(), op.expiresAt())
                    : BatchRecord.writePut(out, p, k, op.value());
        }
        BatchRecord.setCount(out, BatchRecord.count(record) + ownOps.size());
        return out;
    }
}
