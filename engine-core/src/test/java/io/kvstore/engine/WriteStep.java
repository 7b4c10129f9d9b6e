package io.kvstore.engine;

import java.util.List;

/**
 * One write call of a generated workload: a single put or delete, or a batch applied atomically.
 * Shared by the crash-safety tests, which replay prefixes of acknowledged steps against a model.
 */
record WriteStep(int id, List<WriteOp> ops, boolean batch) {

    /** A put (value non-null) or a delete (value null). */
    record WriteOp(String key, String value) {
    }

    void applyTo(KvStore db) {
        if (batch) {
            WriteBatch wb = new WriteBatch();
            for (WriteOp op : ops) {
                if (op.value() == null) {
                    wb.delete(op.key());
                } else {
                    wb.put(op.key(), op.value());
                }
            }
            db.write(wb);
        } else if (ops.get(0).value() == null) {
            db.delete(ops.get(0).key());
        } else {
            db.put(ops.get(0).key(), ops.get(0).value());
        }
    }

    @Override
    public String toString() {
        return "step " + id + (batch ? " (batch of " + ops.size() + ")" : ops.get(0).value() == null
                ? " (delete " + ops.get(0).key() + ")" : " (put " + ops.get(0).key() + ")");
    }
}
