package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Iterator;

/**
 * The fine-grained edits of a snapshot document behind the admin API. Each works on a copy that the store then
 * validates as a whole; these methods only check the shape they need to find their place.
 */
final class LogicEdits {
    private LogicEdits() {}

    static ObjectNode fields(ObjectNode document) {
        return child(document, "fields");
    }

    static ObjectNode segments(ObjectNode document) {
        return child(document, "segments");
    }

    private static ObjectNode child(ObjectNode document, String key) {
        JsonNode node = document.get(key);
        if (node == null || node.isNull()) {
            return document.putObject(key);
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("\"" + key + "\" of the current logic is not an object");
        }
        return (ObjectNode) node;
    }

    /** Replaces the whole document's logic (segments, fields, meta) with {@code logic}. */
    static ObjectNode replaceAll(ObjectNode document, JsonNode logic) {
        if (!logic.isObject()) {
            throw ApiException.badRequest("the logic must be a JSON object (a snapshot document)");
        }
        return ((ObjectNode) logic).deepCopy();
    }

    static void putField(ObjectNode document, String path, JsonNode logic) {
        if (!logic.isObject()) {
            throw ApiException.badRequest("the logic of a field must be a JSON object");
        }
        fields(document).set(path, logic);
    }

    static void deleteField(ObjectNode document, String path) {
        if (fields(document).remove(path) == null) {
            throw ApiException.notFound("field " + path + " has no logic");
        }
    }

    /**
     * Sets the row {@code key} of the override table keyed by {@code attribute}. A row with a window goes under the
     * table's {@code rows} as {@code {"value", "from"?, "until"?}}, one without under {@code values}; either way the key
     * leaves the other map, since a key is in only one of them (so a permanent value set over a trial ends the trial).
     * With {@code mayCreateTable} (the admin role) a missing table is appended, and the field's logic created, when
     * missing; without it (the editor role) only rows of a table the field's logic already has may be set, so an editor
     * cannot key a new table by another attribute (the plan, say) and change what a whole group gets: 403.
     */
    static void setOverride(
            ObjectNode document,
            String path,
            String attribute,
            String key,
            JsonNode value,
            GrantWindow window,
            boolean mayCreateTable) {
        JsonNode existing = fields(document).get(path);
        JsonNode overrides = existing == null ? null : existing.get("overrides");
        ObjectNode table = overrides != null && overrides.isArray() ? table((ArrayNode) overrides, attribute) : null;
        if (table == null && !mayCreateTable) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "field " + path + " has no override table by " + attribute + ": editors set rows only in the"
                            + " override tables a field already has; an admin must create the table");
        }
        ObjectNode logic = existing != null && existing.isObject()
                ? (ObjectNode) existing
                : fields(document).putObject(path);
        ArrayNode tables =
                overrides != null && overrides.isArray() ? (ArrayNode) overrides : logic.putArray("overrides");
        if (table == null) {
            table = tables.addObject();
            table.put("by", attribute);
            table.putObject("values");
        }
        ObjectNode values = rowMap(table, "values", path, attribute, !window.isWindowed());
        ObjectNode rows = rowMap(table, "rows", path, attribute, window.isWindowed());
        if (window.isWindowed()) {
            rows.set(key, window.row(value));
            removeRow(table, "values", values, key);
        } else {
            values.set(key, value);
            removeRow(table, "rows", rows, key);
        }
        reorder(logic);
    }

    /**
     * The table's {@code values} or {@code rows} object; created when {@code create} and missing, null when missing
     * otherwise; 400 when it is not an object.
     */
    private static ObjectNode rowMap(ObjectNode table, String name, String path, String attribute, boolean create) {
        JsonNode map = table.get(name);
        if (map == null) {
            return create ? table.putObject(name) : null;
        }
        if (!map.isObject()) {
            throw ApiException.badRequest(
                    "the override table by " + attribute + " of " + path + " has a " + name + " that is not an object");
        }
        return (ObjectNode) map;
    }

    /**
     * Removes {@code key} from the table's {@code rows} map, or from {@code values}. An emptied {@code rows} goes when
     * the table has {@code values}; in a table without them it stays, as {@code {}}, since a table needs one of the two
     * (an editor's emptied table stays valid, and open to new rows).
     */
    private static JsonNode removeRow(ObjectNode table, String name, ObjectNode map, String key) {
        JsonNode removed = map == null ? null : map.remove(key);
        if (removed != null && name.equals("rows") && map.isEmpty() && table.has("values")) {
            table.remove("rows");
        }
        return removed;
    }

    /**
     * Removes one override row, from the table's {@code values} or {@code rows}. With {@code dropEmptyTable} (the admin
     * role) the table, and then the field's logic, are dropped when they become empty; without it (the editor role) an
     * emptied table stays, since tables are the admins' to create and remove, and editors can add rows to it again.
     *
     * @return the removed row: a value, or a {@code {"value", "from"?, "until"?}} object
     */
    static JsonNode clearOverride(
            ObjectNode document, String path, String attribute, String key, boolean dropEmptyTable) {
        ObjectNode table = table(document, path, attribute);
        JsonNode removed = table == null ? null : removeFromTable(table, key);
        if (removed == null) {
            throw ApiException.notFound("field " + path + " has no override for " + attribute + " = " + key);
        }
        if (dropEmptyTable) {
            dropIfEmpty(document, path, table);
        }
        return removed;
    }

    private static JsonNode removeFromTable(ObjectNode table, String key) {
        JsonNode values = table.get("values");
        JsonNode removed = values instanceof ObjectNode v ? removeRow(table, "values", v, key) : null;
        JsonNode rows = table.get("rows");
        return removed != null ? removed : rows instanceof ObjectNode r ? removeRow(table, "rows", r, key) : null;
    }

    /**
     * Removes the windowed row {@code key} from the table by {@code attribute} of field {@code path}, then the table,
     * the {@code overrides} array and the field's logic as they become empty, as an admin's clear does.
     *
     * @return whether there was such a row
     */
    static boolean pruneRow(ObjectNode document, String path, String attribute, String key) {
        ObjectNode table = table(document, path, attribute);
        JsonNode rows = table == null ? null : table.get("rows");
        if (!(rows instanceof ObjectNode r) || removeRow(table, "rows", r, key) == null) {
            return false;
        }
        dropIfEmpty(document, path, table);
        return true;
    }

    /**
     * Drops {@code table} from the field's logic when it has no rows left in {@code values} or {@code rows}, then the
     * {@code overrides} array and the field's logic when they are empty: what clearing an admin's last row does, and
     * what pruning does.
     */
    private static void dropIfEmpty(ObjectNode document, String path, ObjectNode table) {
        if (!table.path("values").isEmpty() || !table.path("rows").isEmpty()) {
            return;
        }
        ObjectNode logic = (ObjectNode) fields(document).get(path);
        JsonNode overrides = logic.get("overrides");
        Iterator<JsonNode> it = overrides.iterator();
        while (it.hasNext()) {
            if (it.next() == table) {
                it.remove();
            }
        }
        if (overrides.isEmpty()) {
            logic.remove("overrides");
        }
        if (logic.isEmpty()) {
            fields(document).remove(path);
        }
    }

    /** The override table by {@code attribute} of field {@code path}'s logic, or null when there is none. */
    private static ObjectNode table(ObjectNode document, String path, String attribute) {
        JsonNode logic = fields(document).get(path);
        JsonNode overrides = logic == null ? null : logic.get("overrides");
        return overrides != null && overrides.isArray() ? table((ArrayNode) overrides, attribute) : null;
    }

    private static ObjectNode table(ArrayNode tables, String attribute) {
        for (JsonNode table : tables) {
            if (table.isObject() && attribute.equals(table.path("by").asText(null))) {
                return (ObjectNode) table;
            }
        }
        return null;
    }

    /** Keeps a field's keys in the documented order (description, overrides, rules, default) for readable diffs. */
    private static void reorder(ObjectNode logic) {
        ObjectNode copy = logic.deepCopy();
        logic.removeAll();
        for (String key : new String[] {"description", "overrides", "rules", "default"}) {
            if (copy.has(key)) {
                logic.set(key, copy.get(key));
            }
        }
        copy.fields().forEachRemaining(e -> {
            if (!logic.has(e.getKey())) {
                logic.set(e.getKey(), e.getValue());
            }
        });
    }

    static void putSegment(ObjectNode document, String name, JsonNode segment) {
        if (!segment.isObject()) {
            throw ApiException.badRequest("a segment must be a JSON object with \"if\" and optionally \"description\"");
        }
        segments(document).set(name, segment);
    }

    static void deleteSegment(ObjectNode document, String name) {
        if (segments(document).remove(name) == null) {
            throw ApiException.notFound("no segment \"" + name + "\"");
        }
    }

    /**
     * Adds {@code key} to (or removes it from) the membership list of segment {@code name}: the operand of its {@code
     * in} condition, either its whole condition or the first {@code in} directly inside a top-level {@code any}.
     * Numeric lists get the key as a number.
     *
     * @return whether the list changed
     */
    static boolean member(ObjectNode document, String name, String key, boolean add) {
        JsonNode segment = segments(document).get(name);
        if (segment == null) {
            throw ApiException.notFound("no segment \"" + name + "\"");
        }
        ArrayNode list = membershipList(segment.get("if"));
        if (list == null) {
            throw ApiException.conflict("segment \"" + name + "\" has no membership list: its condition is neither an"
                    + " \"in\" condition nor an \"any\" containing one; edit it as a whole instead");
        }
        JsonNode member = asMember(list, key);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).equals(member) || list.get(i).asText().equals(key)) {
                if (!add) {
                    list.remove(i);
                }
                return !add;
            }
        }
        if (add) {
            list.add(member);
        }
        return add;
    }

    private static ArrayNode membershipList(JsonNode condition) {
        if (condition == null) {
            return null;
        }
        if ("in".equals(condition.path("op").asText()) && condition.get("value") instanceof ArrayNode list) {
            return list;
        }
        if (condition.get("any") instanceof ArrayNode any) {
            for (JsonNode child : any) {
                if ("in".equals(child.path("op").asText()) && child.get("value") instanceof ArrayNode list) {
                    return list;
                }
            }
        }
        return null;
    }

    private static JsonNode asMember(ArrayNode list, String key) {
        boolean numeric = !list.isEmpty() && list.get(0).isNumber();
        if (numeric) {
            try {
                return Json.MAPPER.getNodeFactory().numberNode(new BigInteger(key));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("this segment's members are numbers; \"" + key + "\" is not an integer");
            }
        }
        return Json.MAPPER.getNodeFactory().textNode(key);
    }
}
