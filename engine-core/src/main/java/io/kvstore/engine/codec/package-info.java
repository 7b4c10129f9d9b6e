/**
 * Value codecs and field paths: how a store's values are encoded, validated, converted from and to
 * JSON, and how secondary-index extractors read fields out of them.
 *
 * <h2>Codecs</h2>
 * <ul>
 *   <li>{@link io.kvstore.engine.codec.Codec#RAW raw}: bytes as they are; every value is valid.</li>
 *   <li>{@link io.kvstore.engine.codec.Codec#JSON json}: UTF-8 JSON text (RFC 8259) whose top level
 *       is an object or an array; a top-level string, number, boolean or null is invalid. Parsing is
 *       strict: no comments, single quotes, unquoted names, {@code NaN}/{@code Infinity}, trailing
 *       commas or duplicate names in one object; nothing but whitespace after the document; the
 *       bytes must be well-formed UTF-8 (a leading byte order mark is skipped).</li>
 *   <li>{@link io.kvstore.engine.codec.Codec#BSON bson}: one BSON document whose length prefix is the
 *       value's length, without duplicate names, with well-formed UTF-8 names and strings. Its JSON
 *       form is MongoDB Extended JSON v2: relaxed out, relaxed or canonical in.</li>
 * </ul>
 * JSON and BSON values nest at most 500 objects and arrays deep. An invalid value fails with
 * {@link io.kvstore.engine.codec.InvalidValueException}, which names the key and the problem (line
 * and column for JSON, byte offset for BSON) and is the only exception parsing throws for any
 * bytes.
 *
 * <h2>Field paths</h2>
 * <pre>
 * path   = "$" step*
 * step   = "." name                 member of an object: letters, digits, '_' and '-'
 *        | "['" text "']"           member with any name; \\ and \' are the escapes ("..." also works)
 *        | "[" index "]"            element of an array, 0-based, no leading zeros
 *        | "[*]"                    every element of an array
 * </pre>
 * Examples: {@code $}, {@code $.city}, {@code $.address.city}, {@code $.tags[*]},
 * {@code $.items[*].sku}, {@code $.a[2]}, {@code $['odd key']}, {@code $.matrix[*][*]}. No whitespace
 * and no other JSONPath features (filters, slices, {@code ..}, {@code .*}, negative indexes).
 *
 * <h2>Reading: the value model</h2>
 * {@link io.kvstore.engine.codec.Document#read} follows the path and returns the scalars it lands
 * on, as:
 * <table>
 *   <caption>Java types of the values read</caption>
 *   <tr><th>Java</th><th>JSON</th><th>BSON</th></tr>
 *   <tr><td>{@code String}</td><td>string</td><td>String, Symbol; ObjectId as 24 lowercase hex
 *       digits</td></tr>
 *   <tr><td>{@code Long}</td><td>integer that fits a long</td><td>Int32, Int64; DateTime as epoch
 *       milliseconds</td></tr>
 *   <tr><td>{@code Double}</td><td>any other number (fraction, exponent, integer beyond long;
 *       beyond double range: infinite)</td><td>Double, Decimal128 (rounded)</td></tr>
 *   <tr><td>{@code Boolean}</td><td>true, false</td><td>Boolean</td></tr>
 *   <tr><td>{@code null}</td><td>null</td><td>Null, Undefined</td></tr>
 *   <tr><td>{@code byte[]}</td><td>-</td><td>Binary of any subtype (the data bytes)</td></tr>
 * </table>
 * Objects and arrays are never values: a path that lands on an object, or on an array without a
 * further {@code [*]}, reads nothing, as does a missing member, an index past the end, a name step on
 * an array or an index step on an object. {@code [*]} goes on with the rest of the path from every
 * element, so {@code $.items[*].sku} reads the {@code sku} of every object in {@code items} and
 * {@code $.tags[*]} every scalar in {@code tags}. BSON types outside the model (regular expression,
 * JavaScript, DBPointer, Timestamp, MinKey, MaxKey) read nothing.
 *
 * <p>A raw value reads only at {@code $}: one {@code String} when the bytes are well-formed UTF-8,
 * else one {@code byte[]}. The JSON form of a raw value follows the same rule, with bytes written as
 * {@code {"$binary":{"base64":"...","subType":"00"}}}.
 */
package io.kvstore.engine.codec;
