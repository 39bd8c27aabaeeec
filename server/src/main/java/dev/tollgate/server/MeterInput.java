package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the meter parts of a request, the {@code usage} items of a log batch and the bodies of grants and resets, and
 * refuses each problem with a 400 whose message starts with where it is ({@code log batch: usage[3].}, {@code usage
 * grant: }) and names the key, the limit and the value.
 */
final class MeterInput {
    static final int MAX_ITEMS = 10_000;
    static final int MAX_TEXT = 256;
    static final int MAX_ARGUMENTS = 16;
    static final int MAX_ARGS_KEY = 1_024;
    static final long MAX_AMOUNT = 1_000_000_000_000L;
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private MeterInput() {}

    /**
     * The batch's {@code usage} items (none when absent), validated as a whole, with the amounts of items that name
     * the same meter added up, in the order each meter is first named.
     */
    static Map<Meter, Long> batch(JsonNode batch) {
        JsonNode usage = batch.get("usage");
        Map<Meter, Long> amounts = new LinkedHashMap<>();
        if (usage == null || usage.isNull()) {
            return amounts;
        }
        if (!usage.isArray()) {
            throw ApiException.badRequest("log batch: \"usage\" must be an array");
        }
        if (usage.size() > MAX_ITEMS) {
            throw new ApiException(
                    413, "too_large", "log batch: \"usage\" has " + usage.size() + " items, more than " + MAX_ITEMS);
        }
        for (int i = 0; i < usage.size(); i++) {
            String where = "log batch: usage[" + i + "]";
            JsonNode item = usage.get(i);
            if (!item.isObject()) {
                throw ApiException.badRequest(where + " must be an object");
            }
            // At most 10^4 amounts of at most 10^12 each: the sums stay far inside a long.
            amounts.merge(meter(item, where + "."), amount(item, where + "."), Long::sum);
        }
        return amounts;
    }

    /** The meter a batch item names, with its {@code periodStart}. */
    private static Meter meter(JsonNode item, String where) {
        MeterPeriod period = period(item, where);
        return new Meter(
                text(item, "field", where),
                argsKey(item, where),
                text(item, "key", where),
                period,
                periodStart(item, period, where));
    }

    /** A string of 1 to {@link #MAX_TEXT} characters: {@code field} or {@code key}. */
    static String text(JsonNode item, String name, String where) {
        JsonNode value = item.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw ApiException.badRequest(where + name + " must be a non-empty string");
        }
        if (value.asText().length() > MAX_TEXT) {
            throw ApiException.badRequest(where + name + " is longer than " + MAX_TEXT + " characters");
        }
        return value.asText();
    }

    /**
     * {@code arguments} as compact JSON with the keys sorted ({@code {}} when absent or null): at most {@link
     * #MAX_ARGUMENTS} entries whose values are strings, numbers or booleans, at most {@link #MAX_ARGS_KEY} characters.
     */
    static String argsKey(JsonNode item, String where) {
        JsonNode arguments = item.get("arguments");
        if (arguments == null || arguments.isNull()) {
            return "{}";
        }
        if (!arguments.isObject()) {
            throw ApiException.badRequest(where + "arguments must be a JSON object");
        }
        if (arguments.size() > MAX_ARGUMENTS) {
            throw ApiException.badRequest(
                    where + "arguments has " + arguments.size() + " entries, more than " + MAX_ARGUMENTS);
        }
        String key = Json.compact(sorted(arguments, where));
        if (key.length() > MAX_ARGS_KEY) {
            throw ApiException.badRequest(
                    where + "arguments is longer than " + MAX_ARGS_KEY + " characters as compact JSON");
        }
        return key;
    }

    private static ObjectNode sorted(JsonNode arguments, String where) {
        Map<String, JsonNode> entries = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> i = arguments.fields(); i.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = i.next();
            JsonNode value = entry.getValue();
            if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                throw ApiException.badRequest(
                        where + "arguments." + entry.getKey() + " must be a string, number or boolean");
            }
            entries.put(entry.getKey(), value);
        }
        ObjectNode sorted = Json.object();
        entries.forEach(sorted::set);
        return sorted;
    }

    /** {@code period}: {@code HOUR}, {@code DAY} or {@code MONTH}. */
    static MeterPeriod period(JsonNode item, String where) {
        JsonNode value = item.get("period");
        MeterPeriod period = value != null && value.isTextual() ? MeterPeriod.named(value.asText()) : null;
        if (period == null) {
            throw ApiException.badRequest(where + "period must be HOUR, DAY or MONTH, was " + shown(value));
        }
        return period;
    }

    /** {@code periodStart}: an ISO-8601 instant that starts a UTC calendar period of kind {@code period}. */
    private static Instant periodStart(JsonNode item, MeterPeriod period, String where) {
        Instant start = instant(item.get("periodStart"), where + "periodStart");
        Instant expected = period.start(start);
        if (!expected.equals(start)) {
            throw ApiException.badRequest(where + "periodStart " + start + " is not the start of a UTC calendar "
                    + period + "; that " + period + " starts at " + expected);
        }
        return start;
    }

    private static Instant instant(JsonNode value, String where) {
        Instant instant;
        try {
            instant = value != null && value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (DateTimeParseException e) {
            instant = null;
        }
        if (instant == null) {
            throw ApiException.badRequest(
                    where + " must be an ISO-8601 instant such as \"2026-12-06T00:00:00Z\", was " + shown(value));
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest(where + " " + instant + " is not from " + EARLIEST + " to " + LATEST);
        }
        return instant;
    }

    /**
     * {@code amount}: an integer from 1 to {@link #MAX_AMOUNT}. Never converts to a {@code BigInteger}, so an exponent
     * such as {@code 1e999999999} costs nothing.
     */
    static long amount(JsonNode item, String where) {
        JsonNode value = item.get("amount");
        if (value == null
                || !value.isNumber()
                || !value.canConvertToExactIntegral()
                || value.decimalValue().signum() <= 0
                || !value.canConvertToLong()
                || value.asLong() > MAX_AMOUNT) {
            throw ApiException.badRequest(
                    where + "amount must be an integer from 1 to " + MAX_AMOUNT + ", was " + shown(value));
        }
        return value.asLong();
    }

    /** A value as the message shows it: JSON text ({@code "WEEK"}, {@code 1E+30}), or {@code missing}. */
    private static String shown(JsonNode value) {
        if (value == null) {
            return "missing";
        }
        String text = value.isNumber() ? value.asText() : value.toString();
        return AuditLog.truncate(text, 80);
    }
}
