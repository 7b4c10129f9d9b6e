package io.kvstore.engine.index;

import io.kvstore.engine.codec.Codec;
import io.kvstore.engine.codec.Document;

/**
 * A record's value with its parsed forms, so that several indexes reading the same JSON or
 * BSON value parse it once.
 */
final class ParsedValue {

    final byte[] key;
    final byte[] value;
    private Codec parsedWith;
    private Document parsed;

    ParsedValue(byte[] key, byte[] value) {
        this.key = key;
        this.value = value;
    }

    Document document(Codec codec) {
        if (parsedWith != codec) {
            parsed = codec.parse(key, value);
            parsedWith = codec;
        }
        return parsed;
    }
}
