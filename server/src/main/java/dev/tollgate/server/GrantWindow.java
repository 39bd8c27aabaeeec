package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.internal.ApiAccess;
import java.time.Instant;

/**
 * The time window of an override row set through the admin API: {@code from} and {@code until}, each optional, as the
 * snapshot format has them (the row applies for {@code from <= now < until}). Instants are RFC 3339 date-times, read
 * with the SDK's own parser ({@link ApiAccess#instant}) so that the server and every SDK agree on each stored document;
 * a request's are stored normalized, in UTC with {@code Z} and at most millisecond precision, which is what the SDK's
 * validator accepts.
 *
 * @param from the first instant the row applies, or null for always
 * @param until the first instant it no longer applies, or null for never
 */
record GrantWindow(Instant from, Instant until) {
    private static final int NANOS_PER_MILLI = 1_000_000;

    static final GrantWindow ALWAYS = new GrantWindow(null, null);

    /** Whether the row has a window at all: a row without one goes under the table's {@code values}. */
    boolean isWindowed() {
        return from != null || until != null;
    }

    /**
     * The window of a set-override body ({@code from}, {@code until}, {@code allowPastUntil}; JSON null is the same as
     * absent). Refused with a 400 naming the key: an instant that is not an RFC 3339 string or has more than
     * millisecond precision, {@code until} not after {@code from}, and {@code until} not after {@code now} unless
     * {@code allowPastUntil} is true.
     */
    static GrantWindow fromBody(JsonNode body, Instant now) {
        Instant from = requestInstant(body, "from");
        Instant until = requestInstant(body, "until");
        JsonNode allowNode = body.get("allowPastUntil");
        if (allowNode != null && !allowNode.isNull() && !allowNode.isBoolean()) {
            throw ApiException.badRequest("allowPastUntil: must be true or false, was " + Json.compact(allowNode));
        }
        boolean allowPast = allowNode != null && allowNode.asBoolean();
        if (from != null && until != null && !until.isAfter(from)) {
            throw ApiException.badRequest(
                    "until " + until + " is not after from " + from + "; a window must not be empty");
        }
        if (until != null && !allowPast && !until.isAfter(now)) {
            throw ApiException.badRequest("until " + until + " is not in the future; set allowPastUntil to store a"
                    + " grant that has already lapsed");
        }
        return new GrantWindow(from, until);
    }

    /**
     * The instant under {@code key}, or null when absent; refused naming the key and quoting what was sent when it is
     * not an RFC 3339 date-time, has more than millisecond precision, or is, in UTC, outside the years 0000 to 9999
     * (what the SDK reads: {@code 9999-12-31T23:00:00-05:00} is in the year 10000 in UTC).
     */
    private static Instant requestInstant(JsonNode body, String key) {
        JsonNode node = body.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        Instant instant = node.isTextual() ? parse(node.textValue()) : null;
        if (instant == null) {
            throw ApiException.badRequest(
                    key + ": " + Json.compact(node) + " is not an RFC 3339 instant such as \"2026-12-20T00:00:00Z\"");
        }
        if (instant.getNano() % NANOS_PER_MILLI != 0) {
            throw ApiException.badRequest(key + ": " + Json.compact(node)
                    + " has more than millisecond precision (at most three fraction digits)");
        }
        if (!instant.equals(parse(instant.toString()))) {
            throw ApiException.badRequest(key + ": " + Json.compact(node) + " is " + instant
                    + " in UTC, outside the years 0000 to 9999 that a snapshot's instants have");
        }
        return instant;
    }

    /** An RFC 3339 date-time as an instant, read as the SDK reads it, or null when {@code text} is not one. */
    static Instant parse(String text) {
        return ApiAccess.instant(text);
    }

    /** The window of a stored row or rule ({@code from}/{@code until} keys), unreadable instants read as absent. */
    static GrantWindow of(JsonNode owner) {
        return new GrantWindow(storedInstant(owner.get("from")), storedInstant(owner.get("until")));
    }

    private static Instant storedInstant(JsonNode node) {
        return node != null && node.isTextual() ? parse(node.textValue()) : null;
    }

    /** The row object stored under a table's {@code rows}: {@code {"value", "from"?, "until"?}}. */
    ObjectNode row(JsonNode value) {
        ObjectNode row = Json.object();
        row.set("value", value);
        if (from != null) {
            row.put("from", from.toString());
        }
        if (until != null) {
            row.put("until", until.toString());
        }
        return row;
    }

    /** The window for the audit log: {@code " from ... until ..."}, or empty without one. */
    String describe() {
        return (from == null ? "" : " from " + from) + (until == null ? "" : " until " + until);
    }
}
