package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;

/**
 * What one meter row counts: a field with its arguments (compact JSON, keys sorted; {@code {}} for none), a counting
 * key, and one UTC calendar period.
 */
record Meter(String field, String argsKey, String key, MeterPeriod period, Instant periodStart) {

    /** The row's id: the SHA-256 of the JSON array of the five parts, which is unambiguous whatever they contain. */
    String id() {
        ArrayNode parts =
                Json.array().add(field).add(argsKey).add(key).add(period.name()).add(periodStart.toString());
        return Tokens.sha256Hex(Json.compact(parts));
    }

    /** The end (exclusive) of the period. */
    Instant periodEnd() {
        return period.end(periodStart);
    }
}
