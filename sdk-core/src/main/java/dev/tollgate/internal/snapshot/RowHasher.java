package dev.tollgate.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The hash of one override row, which the checksums of deltas on the stream add up per table (see {@code
 * docs/protocol.md}, "The delta event"). The server computes it over the rows of a document and an SDK over the rows it
 * loads and the rows a delta sets and removes, with this same code, from the JSON of the row.
 *
 * <p>A row is its key, its value and its window. Its hash is FNV-1a (64 bits) over the UTF-8 bytes of {@code key NUL
 * value NUL from NUL until}, where {@code value} is the value's canonical JSON (object keys sorted, no spaces, numbers
 * written without trailing zeros or exponent: {@code 50.0} as {@code 50}), and {@code from} and {@code until} are the
 * texts as written, or empty when absent; the FNV result goes through MurmurHash3's 64-bit finalizer. A table's
 * checksum is the sum of its rows' hashes modulo 2^64, so it does not depend on the order of the rows and is updated
 * in O(1) per row: remove a row's hash, add the new row's.
 *
 * <p>Not thread-safe: it reuses one buffer. Cheap to create.
 */
public final class RowHasher {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final StringBuilder text = new StringBuilder(64);
    /** The digits of an integer value, last first. */
    private final byte[] digits = new byte[20];

    /**
     * The hash of the row {@code key} with {@code value} and the window {@code from}, {@code until} (null: open). The
     * parts are hashed one after the other instead of being written out first, and an integer value (the common one)
     * digit by digit: the same bytes, so the same hash, without building the row's text.
     */
    public long row(String key, JsonNode value, JsonNode from, JsonNode until) {
        long hash = fnv(FNV_OFFSET, key);
        hash = (hash ^ 0) * FNV_PRIME;
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            hash = fnvDigits(hash, value.longValue());
        } else {
            text.setLength(0);
            canonical(value, text);
            hash = fnv(hash, text);
        }
        hash = (hash ^ 0) * FNV_PRIME;
        if (from != null) {
            hash = fnv(hash, from.asText());
        }
        hash = (hash ^ 0) * FNV_PRIME;
        if (until != null) {
            hash = fnv(hash, until.asText());
        }
        return mix(hash);
    }

    /** FNV-1a continued over the decimal text of {@code value}, as {@link Long#toString(long)} writes it. */
    private long fnvDigits(long hash, long value) {
        if (value == Long.MIN_VALUE) {
            return fnv(hash, Long.toString(value));
        }
        long rest = value;
        if (rest < 0) {
            hash = (hash ^ '-') * FNV_PRIME;
            rest = -rest;
        }
        int length = 0;
        do {
            digits[length++] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest != 0);
        while (length > 0) {
            hash = (hash ^ digits[--length]) * FNV_PRIME;
        }
        return hash;
    }

    /** The hash of a row object {@code {"value": ..., "from": ..., "until": ...}}. */
    public long rowObject(String key, JsonNode row) {
        return row(key, row.get("value"), row.get("from"), row.get("until"));
    }

    /** A checksum as 16 lowercase hex digits, as deltas carry it. */
    public static String hex(long checksum) {
        return String.format("%016x", checksum);
    }

    /** The canonical JSON of {@code node}, appended to {@code into}. */
    static void canonical(JsonNode node, StringBuilder into) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            into.append("null");
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>(node.size());
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            into.append('{');
            for (int i = 0; i < names.size(); i++) {
                into.append(i == 0 ? "" : ",");
                string(names.get(i), into);
                into.append(':');
                canonical(node.get(names.get(i)), into);
            }
            into.append('}');
        } else if (node.isArray()) {
            into.append('[');
            for (int i = 0; i < node.size(); i++) {
                into.append(i == 0 ? "" : ",");
                canonical(node.get(i), into);
            }
            into.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), into);
        } else if (node.canConvertToLong() && node.isIntegralNumber()) {
            into.append(node.longValue());
        } else if (node.isNumber()) {
            number(node, into);
        } else {
            into.append(node.asText());
        }
    }

    private static void number(JsonNode node, StringBuilder into) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            into.append(node.asText());
            return;
        }
        BigDecimal decimal = node.decimalValue().stripTrailingZeros();
        into.append(decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString());
    }

    /** A JSON string with only {@code "}, {@code \} and control characters escaped. */
    private static void string(String value, StringBuilder into) {
        into.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                into.append('\\').append(c);
            } else if (c < 0x20) {
                into.append(String.format("\\u%04x", (int) c));
            } else {
                into.append(c);
            }
        }
        into.append('"');
    }

    /**
     * FNV-1a from {@code start} continued over the UTF-8 encoding of {@code text} (unpaired surrogates count as {@code
     * ?}, as Java encodes them).
     */
    private static long fnv(long start, CharSequence text) {
        long hash = start;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            int c = text.charAt(i);
            if (c < 0x80) {
                hash = (hash ^ c) * FNV_PRIME;
            } else if (c < 0x800) {
                hash = (hash ^ (0xc0 | (c >> 6))) * FNV_PRIME;
                hash = (hash ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            } else if (Character.isHighSurrogate((char) c)
                    && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint((char) c, text.charAt(++i));
                hash = (hash ^ (0xf0 | (cp >> 18))) * FNV_PRIME;
                hash = (hash ^ (0x80 | ((cp >> 12) & 0x3f))) * FNV_PRIME;
                hash = (hash ^ (0x80 | ((cp >> 6) & 0x3f))) * FNV_PRIME;
                hash = (hash ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
            } else if (Character.isSurrogate((char) c)) {
                hash = (hash ^ '?') * FNV_PRIME;
            } else {
                hash = (hash ^ (0xe0 | (c >> 12))) * FNV_PRIME;
                hash = (hash ^ (0x80 | ((c >> 6) & 0x3f))) * FNV_PRIME;
                hash = (hash ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            }
        }
        return hash;
    }

    /** MurmurHash3's fmix64, so that sums of similar rows' hashes spread over all 64 bits. */
    private static long mix(long value) {
        long h = value;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
