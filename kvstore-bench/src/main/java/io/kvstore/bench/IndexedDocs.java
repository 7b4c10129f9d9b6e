package io.kvstore.bench;

import java.nio.charset.StandardCharsets;

/**
 * The JSON documents of the indexed workloads. Record {@code id} lives under key
 * {@link Keys#present Keys.present(id)} and looks like
 *
 * <pre>{@code
 * {"id":1234,"email":"user1234@example.com","city":"city-0457","age":43,"ts":1700000000017,"name":"Mabeto Ruki"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code email} is unique: the equality lookup of {@code indexedread} finds exactly one record;
 *   <li>{@code city} is one of {@value #CITIES} values (about n/1000 records each): the low-selectivity
 *       equality index of the three-index set;
 *   <li>{@code ts} is a created-at time in milliseconds, one per record, increasing in write order
 *       (write position {@code p} gets {@code TS_BASE + p}); since the fill writes ids in random order
 *       a {@code ts} range holds records scattered over the whole key space, so the
 *       {@code indexedrange} query costs one random record read per result, as a real "created
 *       between" query does;
 *   <li>{@code age} and {@code name} are payload, never indexed.
 * </ul>
 * Documents are about 110 bytes, close to the 100-byte values of the other workloads.
 */
final class IndexedDocs {

    static final int CITIES = 1000;
    static final long TS_BASE = 1_700_000_000_000L;

    private static final String[] SYLLABLES = {"ma", "be", "to", "ru", "ki", "sa", "lo", "ne", "di", "ga", "po",
            "fe", "ju", "ra", "vi", "zo"};

    /** One record: its key, the values the indexes file it under, and its JSON text. */
    record Doc(long id, byte[] key, String email, String city, long ts, byte[] json) {
    }

    private IndexedDocs() {
    }

    /** Record {@code id}, written at position {@code position} of the fill. */
    static Doc doc(long id, long position) {
        return doc(id, position, city(id));
    }

    /** Record {@code id} with another city (to test that an overwrite moves the record between terms). */
    static Doc doc(long id, long position, String city) {
        long mix = mix(id);
        long ts = ts(position);
        String email = email(id);
        String name = syllable(mix, 0, true) + syllable(mix, 1, false) + syllable(mix, 2, false) + ' '
                + syllable(mix, 3, true) + syllable(mix, 4, false);
        String json = "{\"id\":" + id + ",\"email\":\"" + email + "\",\"city\":\"" + city + "\",\"age\":"
                + (18 + Math.floorMod(mix >>> 8, 63)) + ",\"ts\":" + ts + ",\"name\":\"" + name + "\"}";
        return new Doc(id, Keys.present(id), email, city, ts, json.getBytes(StandardCharsets.UTF_8));
    }

    static String email(long id) {
        return "user" + id + "@example.com";
    }

    static String city(long id) {
        // "city-0457": four digits without String.format's cost in the fill loop.
        return "city-" + Integer.toString(10_000 + Math.floorMod(mix(id), CITIES)).substring(1);
    }

    static long ts(long position) {
        return TS_BASE + position;
    }

    private static String syllable(long mix, int i, boolean capital) {
        String s = SYLLABLES[(int) ((mix >>> (4 * i + 20)) & 15)];
        return capital ? Character.toUpperCase(s.charAt(0)) + s.substring(1) : s;
    }

    /** A fixed scramble (SplitMix64's finalizer), so city and age do not follow the id. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
