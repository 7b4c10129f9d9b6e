package io.kvstore.engine.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BSONException;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinarySubType;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.Decimal128;

/**
 * Values are BSON documents (bsonspec.org 1.1), read with the MongoDB driver's
 * {@link BsonBinaryReader} into a {@link TreeDocument}. Beyond what the reader checks (sizes,
 * terminators, known element types, booleans 0 or 1) a valid value has: a length prefix equal to the
 * value's length, no duplicate names in a document, nesting at most {@link Codec#MAX_DEPTH} deep,
 * strictly valid UTF-8 in names and string values, binary lengths that fit the value, and
 * canonical Decimal128 values.
 *
 * <p>JSON text is Extended JSON v2 (relaxed or canonical), parsed with {@link BsonDocument#parse}
 * after the text has passed the strict JSON checks of {@link JsonCodec}; its top level must be an
 * object. {@link #toJson} writes relaxed Extended JSON, in which a 64-bit integer that fits 32 bits
 * comes back from {@link #fromJson} as a 32-bit one; the value model reads both as {@code Long}.
 */
final class BsonCodec extends Codec {

    private static final JsonWriterSettings RELAXED =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();

    /** 10^34 - 1, the largest Decimal128 significand, as its high and low 64 bits. */
    private static final long MAX_SIGNIFICAND_HIGH = 0x0001_ed09_bead_87c0L;
    private static final long MAX_SIGNIFICAND_LOW = 0x378d_8e63_ffff_ffffL;

    /** The length prefix and the terminating NUL: the empty document is 5 bytes. */
    private static final int MIN_SIZE = 5;

    @Override
    public String name() {
        return "bson";
    }

    @Override
    public Document parse(byte[] key, byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
        return new TreeDocument(Reader.read(key, value));
    }

    @Override
    public byte[] fromJson(String json) {
        byte[] text = utf8(json, "Extended JSON");
        if (!(JsonCodec.readTree(null, text, "Extended JSON") instanceof Map)) {
            throw new InvalidValueException(null,
                    "is not valid Extended JSON: the top level is an array, a BSON document must be an object");
        }
        BsonDocument document;
        try {
            document = BsonDocument.parse(json);
        } catch (RuntimeException e) { // JsonParseException, BSONException, a bad ObjectId or date, ...
            throw new InvalidValueException(null, "is not valid Extended JSON: "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
        BasicOutputBuffer buffer = new BasicOutputBuffer();
        try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            new BsonDocumentCodec().encode(writer, document, EncoderContext.builder().build());
        }
        byte[] value = buffer.toByteArray();
        Reader.read(null, value); // what fromJson returns, parse accepts
        return value;
    }

    @Override
    public String toJson(byte[] value) {
        Objects.requireNonNull(value, "value must not be null");
        Reader.read(null, value); // the driver's writer must never see damaged bytes
        return new RawBsonDocument(value).toJson(RELAXED);
    }

    /** One pass over one value; element by element, recursing into documents and arrays. */
    private static final class Reader {

        private final byte[] key;
        private final byte[] value;
        private final BsonBinaryReader reader;

        private Reader(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
            this.reader = new BsonBinaryReader(ByteBuffer.wrap(value));
        }

        /** The value as a tree of maps, lists and value-model leaves; checks everything on the way. */
        static Map<String, Object> read(byte[] key, byte[] value) {
            if (value.length < MIN_SIZE) {
                throw invalid(key, "a document is at least " + MIN_SIZE + " bytes, the value has " + value.length);
            }
            int declared = (value[0] & 0xff) | (value[1] & 0xff) << 8 | (value[2] & 0xff) << 16
                    | (value[3] & 0xff) << 24;
            if (declared != value.length) {
                throw invalid(key, "the length prefix says " + declared + " bytes, the value has " + value.length);
            }
            return new Reader(key, value).readRoot();
        }

        private Map<String, Object> readRoot() {
            try {
                reader.readStartDocument();
                Map<String, Object> root = readMembers(1);
                reader.readEndDocument();
                if (position() != value.length) {
                    throw invalid("unexpected bytes after the end of the document at byte offset " + position());
                }
                return root;
            } catch (BSONException e) { // BsonSerializationException, BsonInvalidOperationException
                throw new InvalidValueException(key, "is not valid BSON: " + e.getMessage()
                        + " (near byte offset " + position() + ")", e);
            } finally {
                reader.close();
            }
        }

        /** The elements of the document the reader has just entered, up to its end. */
        private Map<String, Object> readMembers(int depth) {
            Map<String, Object> object = new HashMap<>();
            for (int start = position(); reader.readBsonType() != BsonType.END_OF_DOCUMENT; start = position()) {
                String name = reader.readName();
                checkUtf8(start + 1, position() - 1, "name");
                if (object.containsKey(name)) {
                    throw invalid("duplicate name '" + name + "' at byte offset " + start);
                }
                Object element = readValue(depth);
                object.put(name, element);
            }
            return object;
        }

        /** The elements of the array the reader has just entered, up to its end. */
        private List<Object> readElements(int depth) {
            List<Object> array = new ArrayList<>();
            while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) { // reads past the element's name
                array.add(readValue(depth));
            }
            return array;
        }

        /** The value of the element whose type and name were just read, in a container at {@code depth}. */
        private Object readValue(int depth) {
            BsonType type = reader.getCurrentBsonType();
            switch (type) {
                case DOUBLE:
                    return reader.readDouble();
                case STRING:
                    return readString(false);
                case SYMBOL:
                    return readString(true);
                case DOCUMENT: {
                    enter(depth);
                    reader.readStartDocument();
                    Map<String, Object> object = readMembers(depth + 1);
                    reader.readEndDocument();
                    return object;
                }
                case ARRAY: {
                    enter(depth);
                    reader.readStartArray();
                    List<Object> array = readElements(depth + 1);
                    reader.readEndArray();
                    return array;
                }
                case BINARY:
                    return readBinary();
                case UNDEFINED:
                    reader.readUndefined();
                    return null;
                case OBJECT_ID:
                    return reader.readObjectId().toHexString();
                case BOOLEAN:
                    return reader.readBoolean();
                case DATE_TIME:
                    return reader.readDateTime();
                case NULL:
                    reader.readNull();
                    return null;
                case INT32:
                    return (long) reader.readInt32();
                case INT64:
                    return reader.readInt64();
                case DECIMAL128:
                    return readDecimal128();
                case REGULAR_EXPRESSION:
                    reader.readRegularExpression();
                    return TreeDocument.NOT_A_VALUE;
                case DB_POINTER:
                    reader.readDBPointer();
                    return TreeDocument.NOT_A_VALUE;
                case JAVASCRIPT:
                    reader.readJavaScript();
                    return TreeDocument.NOT_A_VALUE;
                case JAVASCRIPT_WITH_SCOPE:
                    reader.readJavaScriptWithScope();
                    enter(depth);
                    reader.readStartDocument();
                    readMembers(depth + 1);
                    reader.readEndDocument();
                    return TreeDocument.NOT_A_VALUE;
                case TIMESTAMP:
                    reader.readTimestamp();
                    return TreeDocument.NOT_A_VALUE;
                case MIN_KEY:
                    reader.readMinKey();
                    return TreeDocument.NOT_A_VALUE;
                case MAX_KEY:
                    reader.readMaxKey();
                    return TreeDocument.NOT_A_VALUE;
                default:
                    throw invalid("unexpected element type " + type + " at byte offset " + position());
            }
        }

        /**
         * A finite Decimal128 whose 113-bit significand exceeds 10^34 - 1 is non-canonical (IEEE
         * 754-2008 reads it as zero); the driver turns it into a number it cannot parse back.
         */
        private double readDecimal128() {
            int start = position();
            Decimal128 decimal = reader.readDecimal128();
            if (!decimal.isNaN() && !decimal.isInfinite()) {
                long high = decimal.getHigh();
                long low = decimal.getLow();
                boolean largeForm = (high & 0x6000_0000_0000_0000L) == 0x6000_0000_0000_0000L;
                long significandHigh = high & 0x0001_ffff_ffff_ffffL;
                if (largeForm || significandHigh > MAX_SIGNIFICAND_HIGH
                        || significandHigh == MAX_SIGNIFICAND_HIGH && Long.compareUnsigned(low, MAX_SIGNIFICAND_LOW) > 0) {
                    throw invalid("non-canonical Decimal128 (significand above 10^34 - 1) at byte offset " + start);
                }
            }
            return decimal.doubleValue();
        }

        private void enter(int depth) {
            if (depth + 1 > MAX_DEPTH) {
                throw invalid("documents and arrays are nested deeper than " + MAX_DEPTH
                        + " levels at byte offset " + position());
            }
        }

        private String readString(boolean symbol) {
            int start = position();
            String string = symbol ? reader.readSymbol() : reader.readString();
            checkUtf8(start + 4, position() - 1, "string");
            return string;
        }

        /** The driver allocates the declared length before it checks it against what is left. */
        private byte[] readBinary() {
            int start = position();
            int size = reader.peekBinarySize();
            if (size < 0 || size > value.length - start - 5) {
                throw invalid("binary length " + size + " does not fit the value at byte offset " + start);
            }
            if (reader.peekBinarySubType() == BsonBinarySubType.OLD_BINARY.getValue() && size < 4) {
                throw invalid("binary subtype 2 needs at least 4 bytes, has " + size + " at byte offset " + start);
            }
            return reader.readBinaryData().getData();
        }

        /** Checks the bytes [from, to) of the value, which the driver would decode leniently. */
        private void checkUtf8(int from, int to, String what) {
            int bad = Utf8.firstInvalid(value, from, to);
            if (bad >= 0) {
                throw invalid("invalid UTF-8 in a " + what + " at byte offset " + bad);
            }
        }

        private int position() {
            return reader.getBsonInput().getPosition();
        }

        private InvalidValueException invalid(String problem) {
            return invalid(key, problem);
        }

        private static InvalidValueException invalid(byte[] key, String problem) {
            return new InvalidValueException(key, "is not valid BSON: " + problem);
        }
    }
}
