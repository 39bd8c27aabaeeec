package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.internal.snapshot.LogicFingerprints;
import dev.tollgate.internal.snapshot.RowHasher;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code delta} event of the revision stream: what changed from one revision to the next, when the event's data is
 * at most {@link #MAX_DATA_BYTES} and all that changed is fields' logic and segments' definitions: override rows set,
 * removed, or moved between {@code values} and {@code rows} of tables whose other keys did not change (a table
 * change); any other change to a field's logic (its rules, default, tables...; a logic change, which sends the logic
 * with the rows of only the tables whose rows or key changed); a segment's definition (a segment change). Fields or
 * segments added or removed, the schema hash and {@code meta} have no delta: the plain {@code revision} event goes
 * out and SDKs fetch. See {@code docs/protocol.md}, "The delta event".
 *
 * <p>Each table change carries the table's row count and checksum after it ({@link RowHasher}, the SDK's code), each
 * logic change the checksums of its tables, each segment change the segment's fingerprint, and the delta the
 * fingerprint of the logic without rows ({@link LogicFingerprints}, the SDK's code too) of every field the SDK compiles
 * anew: those whose logic is replaced and those that use a replaced segment. The SDK compares them with what it
 * computes from what it holds after applying the delta.
 */
final class SnapshotDeltas {
    /** Deltas with more data than this are not sent; the revision event is. */
    static final int MAX_DATA_BYTES = 16 * 1024;

    private static final Set<String> TABLE_ROWS = Set.of("values", "rows");

    private SnapshotDeltas() {}

    /**
     * The data of the delta event from {@code before} (revision {@code base}) to {@code after} (revision {@code
     * revision}), the exact bytes of two snapshot documents; null when there is no delta for them.
     */
    static String data(byte[] before, long base, byte[] after, long revision) {
        JsonNode from = Json.parseTrusted(new String(before, StandardCharsets.UTF_8));
        JsonNode to = Json.parseTrusted(new String(after, StandardCharsets.UTF_8));
        if (!from.isObject() || !to.isObject() || !sameExcept(from, to, Set.of("revision", "fields", "segments"))) {
            return null;
        }
        ObjectNode delta = Json.object();
        delta.put("revision", revision);
        delta.put("base", base);
        ArrayNode changes = delta.putArray("changes");
        JsonNode fromFields = from.path("fields");
        JsonNode toFields = to.path("fields");
        JsonNode fromSegments = from.path("segments");
        JsonNode toSegments = to.path("segments");
        if (!names(fromFields).equals(names(toFields)) || !names(fromSegments).equals(names(toSegments))) {
            return null;
        }
        Set<String> replaced = new TreeSet<>();
        for (String name : names(toSegments)) {
            if (!Objects.equals(fromSegments.get(name), toSegments.get(name))) {
                replaced.add(name);
                ObjectNode change = changes.addObject();
                change.put("segment", name);
                change.set("definition", toSegments.get(name));
                change.put("fingerprint", LogicFingerprints.of(toSegments.get(name)));
            }
        }
        ObjectNode fingerprints = Json.object();
        for (String path : names(toFields)) {
            JsonNode logic = toFields.get(path);
            if (!logic.isObject()) {
                return null;
            }
            ArrayNode tables = Json.MAPPER.createArrayNode();
            boolean recompiled = !fieldChanges(path, fromFields.get(path), logic, tables);
            changes.addAll(
                    recompiled
                            ? Json.MAPPER.createArrayNode().add(logicChange(path, fromFields.get(path), logic))
                            : tables);
            if (recompiled || usesAny(logic, toSegments, replaced)) {
                fingerprints.put(path, LogicFingerprints.of(LogicFingerprints.withoutRows(logic)));
            }
        }
        if (!fingerprints.isEmpty()) {
            delta.set("fingerprints", fingerprints);
        }
        String data = delta.toString();
        return data.getBytes(StandardCharsets.UTF_8).length <= MAX_DATA_BYTES ? data : null;
    }

    /** Adds the changes of one field's logic; false when they are not only override rows. */
    private static boolean fieldChanges(String path, JsonNode before, JsonNode after, ArrayNode changes) {
        if (Objects.equals(before, after)) {
            return true;
        }
        if (!before.isObject() || !after.isObject() || !sameExcept(before, after, Set.of("overrides"))) {
            return false;
        }
        JsonNode fromTables = before.path("overrides");
        JsonNode toTables = after.path("overrides");
        if (!fromTables.isArray() || !toTables.isArray() || fromTables.size() != toTables.size()) {
            return false;
        }
        for (int i = 0; i < toTables.size(); i++) {
            JsonNode a = fromTables.get(i);
            JsonNode b = toTables.get(i);
            if (Objects.equals(a, b)) {
                continue;
            }
            if (!a.isObject() || !b.isObject() || !sameExcept(a, b, TABLE_ROWS)) {
                return false;
            }
            ObjectNode change = tableChange(rows(a), rows(b));
            if (change == null) {
                return false;
            }
            ObjectNode entry = Json.object();
            entry.put("field", path);
            entry.put("table", i);
            entry.setAll(change);
            changes.add(entry);
        }
        return true;
    }

    private static boolean usesAny(JsonNode logic, JsonNode segments, Set<String> replaced) {
        if (replaced.isEmpty()) {
            return false;
        }
        Set<String> used = LogicFingerprints.segmentsUsed(logic, segments);
        used.retainAll(replaced);
        return !used.isEmpty();
    }

    /**
     * A change that replaces a field's logic with {@code after}: sent without the rows of each table that keeps its
     * key, its rows and the logic's {@code softLimit}, which the SDK then keeps, and with the rows of every other one;
     * with the checksums of all its tables after the change.
     */
    private static ObjectNode logicChange(String path, JsonNode before, JsonNode after) {
        JsonNode fromTables = before.isObject() ? before.path("overrides") : Json.MAPPER.missingNode();
        JsonNode toTables = after.path("overrides");
        boolean sameSoftLimit = before.isObject() && Objects.equals(before.get("softLimit"), after.get("softLimit"));
        ObjectNode logic = (ObjectNode) LogicFingerprints.withoutRows(after);
        ArrayNode checksums = Json.MAPPER.createArrayNode();
        RowHasher hasher = new RowHasher();
        for (int i = 0; i < toTables.size(); i++) {
            JsonNode table = toTables.get(i);
            JsonNode old = fromTables.get(i);
            boolean kept = sameSoftLimit
                    && old != null
                    && table.isObject()
                    && old.isObject()
                    && Objects.equals(old.get("by"), table.get("by"))
                    && rows(old).equals(rows(table));
            if (!kept) {
                ((ArrayNode) logic.get("overrides")).set(i, table);
            }
            long checksum = 0;
            for (Map.Entry<String, JsonNode> row : rows(table).entrySet()) {
                checksum += hasher.rowObject(row.getKey(), row.getValue());
            }
            checksums.add(RowHasher.hex(checksum));
        }
        ObjectNode change = Json.object();
        change.put("field", path);
        change.set("logic", logic);
        change.set("checksums", checksums);
        return change;
    }

    /** The rows set and removed, with the table's count and checksum after; null if a value is an object. */
    private static ObjectNode tableChange(Map<String, JsonNode> before, Map<String, JsonNode> after) {
        ObjectNode set = Json.object();
        ObjectNode remove = Json.object();
        RowHasher hasher = new RowHasher();
        long checksum = 0;
        for (Map.Entry<String, JsonNode> row : after.entrySet()) {
            JsonNode was = before.get(row.getKey());
            if (row.getValue().path("value").isObject()
                    || (was != null && was.path("value").isObject())) {
                return null;
            }
            checksum += hasher.rowObject(row.getKey(), row.getValue());
            if (!row.getValue().equals(was)) {
                ObjectNode entry = row.getValue().deepCopy();
                entry.set("was", was == null ? Json.MAPPER.nullNode() : was);
                set.set(row.getKey(), entry);
            }
        }
        for (Map.Entry<String, JsonNode> row : before.entrySet()) {
            if (!after.containsKey(row.getKey())) {
                remove.putObject(row.getKey()).set("was", row.getValue());
            }
        }
        ObjectNode change = Json.object();
        if (!set.isEmpty()) {
            change.set("set", set);
        }
        if (!remove.isEmpty()) {
            change.set("remove", remove);
        }
        change.put("rows", after.size());
        change.put("checksum", RowHasher.hex(checksum));
        return change;
    }

    /** A table's rows by key as row objects: a compact {@code values} entry {@code v} is {@code {"value": v}}. */
    private static Map<String, JsonNode> rows(JsonNode table) {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = table.path("values").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            rows.put(row.getKey(), Json.object().set("value", row.getValue()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = table.path("rows").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            rows.put(row.getKey(), row.getValue());
        }
        return rows;
    }

    private static boolean sameExcept(JsonNode a, JsonNode b, Set<String> ignored) {
        TreeSet<String> keys = names(a);
        keys.addAll(names(b));
        for (String key : keys) {
            if (!ignored.contains(key) && !Objects.equals(a.get(key), b.get(key))) {
                return false;
            }
        }
        return true;
    }

    private static TreeSet<String> names(JsonNode node) {
        TreeSet<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
