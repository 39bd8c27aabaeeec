package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;
import static dev.tollgate.internal.eval.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.Reason;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SnapshotProblem;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.snapshot.LogicFingerprints;
import dev.tollgate.internal.snapshot.RowHasher;
import dev.tollgate.internal.snapshot.SnapshotJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a {@code delta} event of the revision stream to a compiled snapshot without compiling anything else: the
 * override rows it sets and removes, checked against the checksum and row count the server computed for each touched
 * table after the change (see {@code docs/protocol.md}, "The delta event"). The result shares every plan and outcome of
 * the base but the touched fields' plans; a touched table keeps the base's row map under a small overlay (see {@link
 * OverrideTable#changed}), so applying costs O(changed rows), not O(rows).
 *
 * <p>A delta may also replace a field's logic or a segment's definition ({@link LogicDelta}). The compiler's own code
 * then compiles the
 * replaced logic, and the logic of every field that uses a replaced segment (directly or through other segments),
 * against the installed schema and the segments after the delta; an override table sent without rows keeps the
 * installed one. Each field so compiled is checked against the fingerprint of its logic without rows that the server
 * sent ({@link LogicFingerprints}), each replaced segment against its own, and each table of replaced logic against
 * its checksum. Its new outcomes are numbered after the base's, like those of new override values.
 *
 * <p>Anything it cannot apply exactly is {@link Refused}: a base that is not the installed revision (a gap), a delta
 * that does not parse or names what the installed snapshot does not have, rows that do not match, a checksum that
 * differs. The caller then fetches the whole snapshot; the installed one is never left half changed, since nothing is
 * published until the whole delta has been checked.
 */
public final class SnapshotDelta {
    private static final Set<String> TOP_KEYS = Set.of("revision", "base", "changes", "fingerprints");
    private static final Set<String> CHANGE_KEYS = Set.of("field", "table", "set", "remove", "rows", "checksum");
    private static final Set<String> SET_KEYS = Set.of("value", "from", "until", "was");
    private static final Set<String> REMOVE_KEYS = Set.of("was");
    private static final Set<String> ROW_KEYS = Set.of("value", "from", "until");
    /**
     * Outcomes deltas may add before the snapshot is fetched whole again: a new value that no row of its table had
     * (in a table with many distinct values) adds one, and an outcome stays until the next full load, so this bounds
     * what a long run of deltas keeps.
     */
    static final int MAX_ADDED_OUTCOMES = 4_096;

    /** Why a delta cannot be applied; the installed snapshot stays and the client fetches the whole one. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A snapshot a delta derived, with the paths of the fields it changed and the number of rows set or removed. */
    public record Applied(CompiledSnapshot snapshot, List<String> changedFields, int changedRows) {}

    private final CompiledSnapshot base;
    private final SchemaModel schema;
    private final SnapshotLimits limits;
    /** The changes that replace logic and segments. */
    private final LogicDelta replacements;

    private final Problems problems = new Problems();
    private final ValueReader values;
    private final WindowReader windows;
    private final RowHasher hasher = new RowHasher();
    private final List<Outcome> newOutcomes = new ArrayList<>();
    private boolean windowedRows;
    private int changedRows;

    private SnapshotDelta(CompiledSnapshot base, SnapshotLimits limits, ExposureRecorder exposures) {
        this.base = base;
        this.schema = base.schema();
        this.limits = limits;
        this.replacements = new LogicDelta(base, limits, exposures);
        this.values = new ValueReader(schema, limits, problems);
        this.windows = new WindowReader(problems);
    }

    /**
     * Parses {@code json}, a delta event's data, within {@code limits}.
     *
     * @throws Refused if it is not JSON, or has duplicate keys
     */
    public static JsonNode parse(byte[] json, SnapshotLimits limits) {
        try {
            return SnapshotJson.parse(json, limits);
        } catch (InvalidSnapshotException e) {
            throw new Refused("the delta is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * {@code delta} applied to {@code base}, the installed snapshot.
     *
     * @throws Refused when it cannot be applied exactly, saying why
     */
    public static Applied apply(CompiledSnapshot base, JsonNode delta, SnapshotLimits limits) {
        return apply(base, delta, limits, null);
    }

    /**
     * Likewise, for a client whose splits record exposures in {@code exposures} (null when logging is off), which the
     * splits of logic a delta replaces record in too.
     *
     * @throws Refused when it cannot be applied exactly, saying why
     */
    public static Applied apply(
            CompiledSnapshot base, JsonNode delta, SnapshotLimits limits, ExposureRecorder exposures) {
        return new SnapshotDelta(base, limits, exposures).run(delta);
    }

    private Applied run(JsonNode delta) {
        if (!delta.isObject()) {
            throw new Refused("a delta is a JSON object, not " + describe(delta));
        }
        unknownKeys(delta, TOP_KEYS, "the delta");
        long revision = positive(delta.get("revision"), "revision");
        long from = positive(delta.get("base"), "base");
        if (from != base.revision()) {
            throw new Refused("the delta to revision " + revision + " applies to revision " + from + ", but revision "
                    + base.revision() + " is installed");
        }
        if (revision != from + 1) {
            throw new Refused("the delta's revision " + revision + " is not the one after its base " + from);
        }
        JsonNode changes = delta.get("changes");
        if (changes == null || !changes.isArray()) {
            throw new Refused("the delta's \"changes\" must be an array but is " + describe(changes));
        }
        Map<Integer, CompiledLogic> logic = new HashMap<>();
        Set<String> tables = new HashSet<>();
        for (int i = 0; i < changes.size(); i++) {
            JsonNode change = changes.get(i);
            String at = "changes[" + i + "]";
            if (change.has("segment")) {
                replacements.segmentChange(change, at);
            } else if (change.has("logic")) {
                replacements.logicChange(change, at);
            } else {
                change(change, at, logic, tables);
            }
        }
        for (Integer index : logic.keySet()) {
            if (replacements.replaces(index)) {
                throw new Refused("the delta both replaces the logic of "
                        + schema.fields().get(index).path() + " and changes its override rows");
            }
        }
        replacements.recompile(delta.get("fingerprints"), logic, newOutcomes);
        if (base.outcomesAddedByDeltas() + newOutcomes.size() > MAX_ADDED_OUTCOMES) {
            throw new Refused("deltas since the last full load would have added "
                    + (base.outcomesAddedByDeltas() + newOutcomes.size()) + " outcomes, over "
                    + MAX_ADDED_OUTCOMES + "; loading the snapshot whole drops the unused ones");
        }
        Map<Integer, FieldPlan> plans = SnapshotCompiler.replan(base, logic);
        List<String> changedPaths = new ArrayList<>();
        for (Integer index : plans.keySet()) {
            changedPaths.add(schema.fields().get(index).path());
        }
        CompiledSnapshot derived = base.derive(
                revision, plans, newOutcomes, windowedRows || replacements.readsTime(), replacements.segments());
        return new Applied(derived, changedPaths, changedRows);
    }

    private void change(JsonNode change, String at, Map<Integer, CompiledLogic> logic, Set<String> tables) {
        if (!change.isObject()) {
            throw new Refused(at + " must be an object but is " + describe(change));
        }
        unknownKeys(change, CHANGE_KEYS, at);
        JsonNode pathNode = change.get("field");
        String path = pathNode != null && pathNode.isTextual() ? pathNode.textValue() : null;
        SchemaField field = path == null ? null : schema.field(path).orElse(null);
        if (field == null || field.isObject()) {
            throw new Refused(
                    at + ".field must name a field of the schema that is not an object but is " + describe(pathNode));
        }
        CompiledLogic own = logic.containsKey(field.index())
                ? logic.get(field.index())
                : base.plan(field.index()).own();
        JsonNode tableNode = change.get("table");
        int index = tableNode != null && tableNode.isInt() ? tableNode.intValue() : -1;
        if (own == null
                || index < 0
                || index >= own.tableCount()
                || own.table(index).keyType() == null) {
            throw new Refused(at + ": the installed revision " + base.revision() + " has no override table "
                    + describe(tableNode) + " for " + path);
        }
        if (!tables.add(path + "#" + index)) {
            throw new Refused(at + ": table " + index + " of " + path + " is changed twice");
        }
        String where = path + " table " + index;
        OverrideTable table = new TableChange(field, own, index, where).apply(change);
        logic.put(field.index(), own.withTable(index, table));
    }

    /** The rows of one change to one table, verified against its checksum. */
    private final class TableChange {
        private final SchemaField field;
        private final CompiledLogic logic;
        private final OverrideTable table;
        private final String where;
        private final Map<Object, Object> rows = new HashMap<>();
        private Map<Object, Outcome> outcomes;
        private boolean outcomesCopied;
        private long checksum;
        private int size;

        TableChange(SchemaField field, CompiledLogic logic, int index, String where) {
            this.field = field;
            this.logic = logic;
            this.table = logic.table(index);
            this.where = where;
            this.outcomes = table.outcomesByValue();
            this.checksum = table.checksum();
            this.size = table.size();
        }

        OverrideTable apply(JsonNode change) {
            JsonNode set = rowsObject(change, "set");
            JsonNode remove = rowsObject(change, "remove");
            for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                set(entry.getKey(), entry.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = remove.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (set.has(entry.getKey())) {
                    throw new Refused(where + ": key " + quote(entry.getKey()) + " is both set and removed");
                }
                remove(entry.getKey(), entry.getValue());
            }
            verify(change);
            changedRows += rows.size();
            return table.changed(rows, size, checksum, outcomes);
        }

        private JsonNode rowsObject(JsonNode change, String name) {
            JsonNode node = change.get(name);
            if (node == null) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new Refused(where + ": \"" + name + "\" must be an object by key but is " + describe(node));
            }
            return node;
        }

        private void set(String key, JsonNode entry) {
            String at = where + " key " + quote(key);
            if (!entry.isObject() || !entry.has("value") || !entry.has("was")) {
                throw new Refused(at + ": a set row is an object with \"value\" and \"was\" but is " + describe(entry));
            }
            unknownKeys(entry, SET_KEYS, at);
            Object keyValue = key(key, at);
            Where location = Where.field(where).key(key);
            Object value = values.fieldValue(entry.get("value"), field.definition(), location);
            long[] window = value == null ? null : windows.window(entry, location);
            if (value == null || window == null) {
                throw new Refused(problemText());
            }
            JsonNode was = entry.get("was");
            boolean present = table.row(keyValue) != null;
            if (was.isNull() == present) {
                throw new Refused(at + ": the delta says the row " + (present ? "was absent" : "existed")
                        + " in revision " + base.revision() + ", but the installed one "
                        + (present ? "has it" : "has none"));
            }
            if (!was.isNull()) {
                checksum -= hasher.rowObject(key, wasRow(was, at));
            } else {
                size++;
            }
            checksum += hasher.row(key, entry.get("value"), entry.get("from"), entry.get("until"));
            Outcome outcome = outcome(value);
            boolean open = window[0] == Window.OPEN_FROM && window[1] == Window.OPEN_UNTIL;
            if (!open) {
                windowedRows = true;
            }
            rows.put(keyValue, open ? outcome : new WindowedRow(outcome, window[0], window[1]));
        }

        private void remove(String key, JsonNode entry) {
            String at = where + " key " + quote(key);
            if (!entry.isObject()
                    || entry.path("was").isNull()
                    || entry.path("was").isMissingNode()) {
                throw new Refused(
                        at + ": a removed row is an object with the row it \"was\" but is " + describe(entry));
            }
            unknownKeys(entry, REMOVE_KEYS, at);
            Object keyValue = key(key, at);
            if (table.row(keyValue) == null) {
                throw new Refused(at + ": the delta removes a row that the installed revision " + base.revision()
                        + " does not have");
            }
            checksum -= hasher.rowObject(key, wasRow(entry.get("was"), at));
            size--;
            rows.put(keyValue, OverrideTable.REMOVED);
        }

        private JsonNode wasRow(JsonNode was, String at) {
            if (!was.isObject() || !was.has("value")) {
                throw new Refused(at + ": \"was\" is null or a row object with \"value\" but is " + describe(was));
            }
            unknownKeys(was, ROW_KEYS, at + " was");
            return was;
        }

        private void verify(JsonNode change) {
            JsonNode rowsNode = change.get("rows");
            JsonNode checksumNode = change.get("checksum");
            if (rowsNode == null
                    || !rowsNode.isInt()
                    || checksumNode == null
                    || !checksumNode.isTextual()
                    || !checksumNode.textValue().matches("[0-9a-f]{16}")) {
                throw new Refused(
                        where + ": a change needs \"rows\", a count, and \"checksum\", 16 hex digits, but has "
                                + describe(rowsNode) + " and " + describe(checksumNode));
            }
            long expected = Long.parseUnsignedLong(checksumNode.textValue(), 16);
            if (rowsNode.intValue() != size || expected != checksum) {
                throw new Refused(where + " after the delta: " + size + " rows with checksum "
                        + RowHasher.hex(checksum) + ", but the server has " + rowsNode.intValue()
                        + " rows with checksum "
                        + checksumNode.textValue() + "; the installed revision " + base.revision()
                        + " differs from the server's");
            }
            if (size > limits.maxOverrideRows()) {
                throw new Refused(where + ": " + size + " rows exceed the limit of " + limits.maxOverrideRows());
            }
        }

        private Object key(String key, String at) {
            Object value = SnapshotCompiler.overrideKey(
                    schema, problems, key, table.keyType(), Where.field(where).key(key));
            if (value == null) {
                throw new Refused(problemText());
            }
            return value;
        }

        /** The outcome for {@code value}: the table's own when it has one with that value, else a new one. */
        private Outcome outcome(Object value) {
            Outcome known = outcomes == null ? null : outcomes.get(value);
            if (known != null) {
                return known;
            }
            Reason reason = Reason.override(table.key().name());
            int id = base.outcomeCount() + newOutcomes.size();
            Outcome created = Outcome.of(reason, value, id, new OutcomeKey(field.path(), reason.label()));
            created.softLimit = logic.softLimit();
            newOutcomes.add(created);
            if (outcomes != null) {
                if (!outcomesCopied) {
                    outcomes = new HashMap<>(outcomes);
                    outcomesCopied = true;
                }
                outcomes.put(value, created);
                if (outcomes.size() > SnapshotCompiler.MAX_SHARED_OUTCOMES) {
                    outcomes = null;
                }
            }
            return created;
        }
    }

    private String problemText() {
        StringBuilder text = new StringBuilder();
        for (SnapshotProblem problem : problems.failure().problems()) {
            text.append(text.length() == 0 ? "" : "; ").append(problem);
        }
        return text.toString();
    }

    private static long positive(JsonNode node, String name) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            throw new Refused("the delta's \"" + name + "\" must be a positive integer but is " + describe(node));
        }
        return node.longValue();
    }

    static void unknownKeys(JsonNode node, Set<String> known, String at) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new Refused(at + " has the unknown key " + quote(name));
            }
        }
    }
}
