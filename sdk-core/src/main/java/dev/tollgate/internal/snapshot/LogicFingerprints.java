package dev.tollgate.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fingerprints that a {@code delta} event carries for the field logic and segments it replaces or recompiles (see
 * {@code docs/protocol.md}, "The delta event"), computed by the server over the new document and by an SDK over what
 * it holds after applying the delta, with this same code.
 *
 * <p>A field's fingerprint covers its logic without the rows of its override tables ({@link #withoutRows}), which the
 * per-table checksums of {@link RowHasher} cover; a segment's covers its definition. A fingerprint is the first 16
 * bytes of the SHA-256 of the node's canonical JSON (as {@link RowHasher} writes a value), as 32 lowercase hex digits,
 * so it does not depend on key order or on how a number was written.
 */
public final class LogicFingerprints {
    private static final Set<String> TABLE_ROWS = Set.of("values", "rows");

    private LogicFingerprints() {}

    /** The fingerprint of {@code node}: a field's logic without rows, or a segment's definition. */
    public static String of(JsonNode node) {
        StringBuilder text = new StringBuilder(256);
        RowHasher.canonical(node, text);
        byte[] digest = Sha256.of(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /**
     * A copy of a field's logic with neither {@code values} nor {@code rows} in its override tables; the rest is
     * shared with {@code logic}, not copied, so the copy costs O(tables), not O(rows). Never modify either.
     */
    public static JsonNode withoutRows(JsonNode logic) {
        JsonNode tables = logic.get("overrides");
        if (!logic.isObject() || tables == null || !tables.isArray()) {
            return logic;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = logic.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            copy.set(entry.getKey(), entry.getValue());
        }
        ArrayNode stripped = copy.putArray("overrides");
        for (JsonNode table : tables) {
            stripped.add(table.isObject() ? without(table, TABLE_ROWS) : table);
        }
        return copy;
    }

    /** Whether an override table object carries rows ({@code values} or {@code rows}). */
    public static boolean hasRows(JsonNode table) {
        return table.has("values") || table.has("rows");
    }

    /** The names of the segments {@code logic}'s rules use, directly or through other segments of {@code segments}. */
    public static Set<String> segmentsUsed(JsonNode logic, JsonNode segments) {
        Set<String> direct = new TreeSet<>();
        for (JsonNode rule : logic.path("rules")) {
            conditionUses(rule.get("if"), direct);
        }
        Set<String> all = new TreeSet<>(direct);
        Deque<String> pending = new ArrayDeque<>(direct);
        while (!pending.isEmpty()) {
            Set<String> next = new TreeSet<>();
            conditionUses(segments.path(pending.pop()).get("if"), next);
            for (String name : next) {
                if (all.add(name)) {
                    pending.push(name);
                }
            }
        }
        return all;
    }

    /** Adds to {@code used} the segments {@code condition} names, through {@code all}, {@code any} and {@code not}. */
    static void conditionUses(JsonNode condition, Set<String> used) {
        if (condition == null || !condition.isObject()) {
            return;
        }
        JsonNode segment = condition.get("segment");
        if (segment != null && segment.isTextual()) {
            used.add(segment.textValue());
        }
        for (String group : List.of("all", "any")) {
            for (JsonNode part : condition.path(group)) {
                conditionUses(part, used);
            }
        }
        conditionUses(condition.get("not"), used);
    }

    private static ObjectNode without(JsonNode object, Set<String> names) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!names.contains(entry.getKey())) {
                copy.set(entry.getKey(), entry.getValue());
            }
        }
        return copy;
    }
}
