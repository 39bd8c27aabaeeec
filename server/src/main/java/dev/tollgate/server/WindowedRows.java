package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The override rows of a snapshot document that carry a time window (those under a table's {@code rows}), for the
 * Expiring view, the lapse records and pruning. Rows whose instants cannot be read are left out: the server only
 * stores documents the SDK's validator accepted, so there are none in practice.
 */
final class WindowedRows {
    /** By {@code until} (open-ended last), then field, key and attribute. */
    static final Comparator<Row> ORDER = Comparator.comparing(
                    Row::until, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(Row::field)
            .thenComparing(Row::key)
            .thenComparing(Row::attribute);

    private WindowedRows() {}

    /**
     * One windowed row.
     *
     * @param field the field path
     * @param attribute the attribute its table is keyed by
     * @param key the row's key
     * @param value the row's value
     * @param from the start of its window, or null
     * @param until the end of its window, or null
     */
    record Row(String field, String attribute, String key, JsonNode value, Instant from, Instant until) {
        /** As the Expiring view lists it. */
        ObjectNode describe() {
            ObjectNode node = Json.object();
            node.put("field", field);
            node.put("attribute", attribute);
            node.put("key", key);
            node.set("value", value);
            node.put("from", from == null ? null : from.toString());
            node.put("until", until == null ? null : until.toString());
            return node;
        }

        /** {@code field attribute=key}: the audit target. */
        String target() {
            return target(field, attribute, key);
        }

        /** {@code field attribute=key}: how the audit log names an override row, set, cleared, lapsed or pruned. */
        static String target(String field, String attribute, String key) {
            return field + " " + attribute + "=" + key;
        }
    }

    /** Every windowed override row of {@code document}, in {@link #ORDER}. */
    static List<Row> of(ObjectNode document) {
        List<Row> rows = new ArrayList<>();
        JsonNode fields = document.path("fields");
        fields.fields().forEachRemaining(field -> {
            for (JsonNode table : field.getValue().path("overrides")) {
                addRows(rows, field.getKey(), table);
            }
        });
        rows.sort(ORDER);
        return rows;
    }

    private static void addRows(List<Row> rows, String field, JsonNode table) {
        String attribute = table.path("by").asText("");
        Iterator<Map.Entry<String, JsonNode>> entries = table.path("rows").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            JsonNode row = entry.getValue();
            GrantWindow window = GrantWindow.of(row);
            if (row.has("value") && window.isWindowed()) {
                rows.add(new Row(field, attribute, entry.getKey(), row.get("value"), window.from(), window.until()));
            }
        }
    }
}
