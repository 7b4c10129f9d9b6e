package io.kvstore.engine.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/** Builds BSON bytes for tests: from driver documents, or element by element for damaged ones. */
final class Bson {

    private Bson() {
    }

    /** The encoding of a document, as the MongoDB driver writes it. */
    static byte[] bytes(BsonDocument document) {
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            new BsonDocumentCodec().encode(writer, document, EncoderContext.builder().build());
        }
        return buffer.toByteArray();
    }

    /** A document of the given elements: a correct length prefix, the elements, a trailing NUL. */
    static byte[] document(byte[]... elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] element : elements) {
            body.writeBytes(element);
        }
        body.write(0);
        return withPrefix(body.toByteArray());
    }

    /** One element: type byte, NUL-terminated name, value bytes. */
    static byte[] element(int type, String name, byte[] value) {
        return element(type, name.getBytes(StandardCharsets.UTF_8), value);
    }

    static byte[] element(int type, byte[] name, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.writeBytes(name);
        out.write(0);
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** A BSON string value: length including the NUL, bytes, NUL. */
    static byte[] string(byte[] utf8) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(int32(utf8.length + 1));
        out.writeBytes(utf8);
        out.write(0);
        return out.toByteArray();
    }

    static byte[] int32(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
    }

    /** The body preceded by a little-endian length prefix counting the prefix too. */
    static byte[] withPrefix(byte[] body) {
        byte[] document = new byte[body.length + 4];
        System.arraycopy(int32(document.length), 0, document, 0, 4);
        System.arraycopy(body, 0, document, 4, body.length);
        return document;
    }

    /** Overwrites the length prefix with the array's actual length. */
    static byte[] fixPrefix(byte[] document) {
        if (document.length >= 4) {
            System.arraycopy(int32(document.length), 0, document, 0, 4);
        }
        return document;
    }
}
