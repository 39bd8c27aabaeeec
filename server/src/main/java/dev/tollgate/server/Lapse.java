package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Something in a snapshot document whose time window ends: an override row under a table's {@code rows}, a rule or a
 * segment with an {@code until}. The server records each one in the audit log once its {@code until} has passed.
 *
 * @param action the audit action: {@code override.lapsed}, {@code rule.lapsed} or {@code segment.lapsed}
 * @param field the field path; empty for a segment
 * @param attribute an override row's table attribute; empty otherwise
 * @param key the row key, rule id or segment name
 * @param value the row's or rule's value; null for a segment and a rule with a split
 * @param until the end of the window
 */
record Lapse(String action, String field, String attribute, String key, JsonNode value, Instant until) {

    /** Every item of {@code document} with an {@code until}: segments, then each field's override rows and rules. */
    static List<Lapse> all(ObjectNode document) {
        List<Lapse> all = new ArrayList<>();
        document.path("segments").fields().forEachRemaining(segment -> {
            Instant until = GrantWindow.of(segment.getValue()).until();
            if (until != null) {
                all.add(new Lapse("segment.lapsed", "", "", segment.getKey(), null, until));
            }
        });
        for (WindowedRows.Row row : WindowedRows.of(document)) {
            if (row.until() != null) {
                all.add(new Lapse(
                        "override.lapsed", row.field(), row.attribute(), row.key(), row.value(), row.until()));
            }
        }
        document.path("fields").fields().forEachRemaining(field -> {
            for (JsonNode rule : field.getValue().path("rules")) {
                Instant until = GrantWindow.of(rule).until();
                if (until != null && rule.path("id").isTextual()) {
                    all.add(new Lapse(
                            "rule.lapsed", field.getKey(), "", rule.get("id").asText(), rule.get("value"), until));
                }
            }
        });
        return all;
    }

    boolean isOverrideRow() {
        return action.equals("override.lapsed");
    }

    /** The audit target: {@code field attribute=key}, {@code field rule id} or {@code segment name}. */
    String target() {
        if (isOverrideRow()) {
            return WindowedRows.Row.target(field, attribute, key);
        }
        return action.equals("rule.lapsed") ? field + " rule " + key : "segment " + key;
    }

    /** The audit detail: the value, the end of the window and the revision it was read from. */
    String detail(long revision) {
        return (value == null ? "" : "value " + Json.compact(value) + " ") + "until " + until + " (revision " + revision
                + ")";
    }

    /** The identity of this lapse in {@code environment}: the primary key of the {@code lapses} table. */
    String id(String environment) {
        return Tokens.sha256Hex(String.join("\u0000", environment, action, field, attribute, key, until.toString()));
    }
}
