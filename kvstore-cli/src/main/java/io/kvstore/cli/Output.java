package io.kvstore.cli;

import io.kvstore.engine.codec.Codec;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** How values are shown: text when they are UTF-8, {@code base64:...} otherwise; JSON for {@code --json}. */
final class Output {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Output() {
    }

    /** The value as text: UTF-8 when it is valid UTF-8, else {@code base64:} and its Base64. */
    static String text(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(value);
        }
    }

    /** The value as a JSON value: the document itself for JSON/BSON (and raw JSON text), else a string. */
    static Object json(Codec codec, byte[] value) {
        try {
            String text = codec.toJson(value);
            return codec == Codec.RAW ? tryParse(text, value) : JSON.readTree(text);
        } catch (IllegalArgumentException e) {
            return text(value);
        }
    }

    private static Object tryParse(String text, byte[] value) {
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return JSON.readTree(t);
            } catch (JacksonException e) {
                return text(value);
            }
        }
        return text(value);
    }

    static Map<String, Object> entry(Codec codec, byte[] key, byte[] value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", text(key));
        m.put("value", json(codec, value));
        return m;
    }

    static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** A size in bytes for people: {@code 12.3 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.1f %s", v, units[u]);
    }
}
