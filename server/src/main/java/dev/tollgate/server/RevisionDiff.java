package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between two snapshot documents, per segment and field path, in sentences a person can read: override
 * rows added, removed and changed; rules added, removed, changed and reordered (by id); defaults and descriptions.
 */
final class RevisionDiff {
    private static final int MAX_VALUE_CHARS = 200;

    private RevisionDiff() {}

    static ArrayNode diff(ObjectNode from, ObjectNode to) {
        ArrayNode changes = Json.array();
        compareSection(changes, "segment", from.path("segments"), to.path("segments"), RevisionDiff::segmentDetails);
        compareSection(changes, "field", from.path("fields"), to.path("fields"), RevisionDiff::fieldDetails);
        if (!Objects.equals(from.get("meta"), to.get("meta"))) {
            ObjectNode change = changes.addObject();
            change.put("kind", "meta");
            change.put("path", "meta");
            change.put("change", "modified");
            change.putArray("details").add("meta: " + show(from.get("meta")) + " -> " + show(to.get("meta")));
        }
        return changes;
    }

    private interface Details {
        List<String> of(JsonNode before, JsonNode after);
    }

    private static void compareSection(
            ArrayNode changes, String kind, JsonNode before, JsonNode after, Details details) {
        TreeSet<String> names = new TreeSet<>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode a = before.get(name);
            JsonNode b = after.get(name);
            if (Objects.equals(a, b)) {
                continue;
            }
            ObjectNode change = changes.addObject();
            change.put("kind", kind);
            change.put("path", name);
            change.put("change", a == null ? "added" : b == null ? "removed" : "modified");
            ArrayNode lines = change.putArray("details");
            if (a == null) {
                lines.add(kind + " " + name + " added: " + show(b));
            } else if (b == null) {
                lines.add(kind + " " + name + " removed (was " + show(a) + ")");
            } else {
                details.of(a, b).forEach(lines::add);
            }
        }
    }

    private static List<String> segmentDetails(JsonNode a, JsonNode b) {
        List<String> lines = new ArrayList<>();
        property(lines, "description", a, b);
        property(lines, "if", a, b);
        return lines;
    }

    private static List<String> fieldDetails(JsonNode a, JsonNode b) {
        List<String> lines = new ArrayList<>();
        property(lines, "description", a, b);
        overrides(lines, a.path("overrides"), b.path("overrides"));
        rules(lines, a.path("rules"), b.path("rules"));
        property(lines, "default", a, b);
        return lines;
    }

    private static void property(List<String> lines, String key, JsonNode a, JsonNode b) {
        property(lines, key, key, a, b);
    }

    /** Describes a change of {@code a.key} to {@code b.key}, calling it {@code label}. */
    private static void property(List<String> lines, String label, String key, JsonNode a, JsonNode b) {
        JsonNode x = a.get(key);
        JsonNode y = b.get(key);
        if (Objects.equals(x, y)) {
            return;
        }
        if (x == null) {
            lines.add(label + " set to " + show(y));
        } else if (y == null) {
            lines.add(label + " removed (was " + show(x) + ")");
        } else {
            lines.add(label + ": " + show(x) + " -> " + show(y));
        }
    }

    private static void overrides(List<String> lines, JsonNode a, JsonNode b) {
        Map<String, JsonNode> before = byKey(a, "by");
        Map<String, JsonNode> after = byKey(b, "by");
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                int rows = e.getValue().path("values").size();
                lines.add("override table by " + e.getKey() + " removed (" + rows + (rows == 1 ? " row)" : " rows)"));
            }
        }
        for (Map.Entry<String, JsonNode> e : after.entrySet()) {
            JsonNode old = before.get(e.getKey());
            if (old == null) {
                lines.add("override table by " + e.getKey() + " added");
            }
            rows(
                    lines,
                    e.getKey(),
                    old == null ? Json.object() : old.path("values"),
                    e.getValue().path("values"));
            if (old != null) {
                property(lines, "override table by " + e.getKey() + " description", "description", old, e.getValue());
            }
        }
        if (!List.copyOf(before.keySet()).equals(List.copyOf(after.keySet()))
                && before.keySet().equals(after.keySet())) {
            lines.add("override tables reordered: " + before.keySet() + " -> " + after.keySet());
        }
    }

    private static void rows(List<String> lines, String by, JsonNode before, JsonNode after) {
        TreeSet<String> keys = new TreeSet<>();
        before.fieldNames().forEachRemaining(keys::add);
        after.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode x = before.get(key);
            JsonNode y = after.get(key);
            if (x == null) {
                lines.add("override " + by + " = " + key + ": set to " + show(y));
            } else if (y == null) {
                lines.add("override " + by + " = " + key + ": removed (was " + show(x) + ")");
            } else if (!x.equals(y)) {
                lines.add("override " + by + " = " + key + ": " + show(x) + " -> " + show(y));
            }
        }
    }

    private static void rules(List<String> lines, JsonNode a, JsonNode b) {
        Map<String, JsonNode> before = byKey(a, "id");
        Map<String, JsonNode> after = byKey(b, "id");
        for (Map.Entry<String, JsonNode> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                lines.add("rule " + e.getKey() + " removed (was " + show(e.getValue()) + ")");
            }
        }
        int position = 0;
        for (Map.Entry<String, JsonNode> e : after.entrySet()) {
            position++;
            JsonNode old = before.get(e.getKey());
            if (old == null) {
                lines.add("rule " + e.getKey() + " added at position " + position + ": " + show(e.getValue()));
            } else if (!old.equals(e.getValue())) {
                for (String key : new String[] {"if", "value", "split", "description"}) {
                    property(lines, "rule " + e.getKey() + " " + key, key, old, e.getValue());
                }
            }
        }
        List<String> kept = new ArrayList<>(before.keySet());
        kept.retainAll(after.keySet());
        List<String> keptAfter = new ArrayList<>(after.keySet());
        keptAfter.retainAll(before.keySet());
        if (!kept.equals(keptAfter)) {
            lines.add("rules reordered: " + kept + " -> " + keptAfter);
        }
    }

    /** Array items by a key; items without it get their position. */
    private static Map<String, JsonNode> byKey(JsonNode array, String key) {
        Map<String, JsonNode> items = new LinkedHashMap<>();
        if (array.isArray()) {
            Iterator<JsonNode> it = array.iterator();
            for (int i = 0; it.hasNext(); i++) {
                JsonNode item = it.next();
                String name = item.path(key).isTextual() ? item.get(key).asText() : "#" + (i + 1);
                items.putIfAbsent(name, item);
            }
        }
        return items;
    }

    private static String show(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        String text = Json.compact(value);
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "...";
    }
}
