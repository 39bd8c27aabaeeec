package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;
import static dev.tollgate.internal.eval.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tollgate.FallbackCause;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.Reason;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.EnumValueDefinition;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.ScalarType;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeDefinition;
import dev.tollgate.internal.schema.TypeRef;
import dev.tollgate.internal.snapshot.LogicFingerprints;
import dev.tollgate.internal.snapshot.OverrideEntries;
import dev.tollgate.internal.snapshot.RowHasher;
import dev.tollgate.internal.snapshot.SnapshotJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Validates a snapshot document against a schema and compiles it into a {@link CompiledSnapshot}, in one pass that
 * records every problem with its path before failing. See {@code docs/snapshot-format.md} for the format.
 */
public final class SnapshotCompiler {
    /** The snapshot format version this compiler reads. */
    public static final int FORMAT = 1;

    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");
    private static final java.util.regex.Pattern WEIGHT = java.util.regex.Pattern.compile("\\d{1,3}(?:\\.(\\d{1,2}))?");
    private static final Set<String> TOP_LEVEL =
            Set.of("$schema", "format", "revision", "schemaHash", "meta", "segments", "fields");
    private static final Set<String> LOGIC_KEYS = Set.of("description", "overrides", "rules", "default", "softLimit");
    private static final Set<String> OVERRIDE_KEYS = Set.of("description", "by", "values", "rows");
    private static final Set<String> ROW_KEYS = Set.of("value", "from", "until");
    private static final Set<String> RULE_KEYS =
            Set.of("id", "description", "from", "until", "if", "value", "split", "softLimit");
    private static final Set<String> SPLIT_KEYS = Set.of("by", "seed", "arms", "defaultArm");
    private static final Set<String> ARM_KEYS = Set.of("id", "weight", "value");
    private static final Set<String> DEFAULT_ARM_KEYS = Set.of("id", "value");

    private static final EnumChoice[] NO_CHOICES = {};
    private static final Object[] NO_KEYS = {};
    /** Tables with at most this many distinct values keep their outcomes by value, for deltas to reuse. */
    static final int MAX_SHARED_OUTCOMES = 256;

    private final SchemaModel schema;
    private final SnapshotLimits limits;
    private final ExposureRecorder exposures;
    private final Problems problems = new Problems();
    private final ValueReader values;
    private final ConditionCompiler conditions;
    private final WindowReader windows;
    private final RowHasher rowHasher = new RowHasher();
    /** The value outcomes made so far, indexed by id. */
    private final List<Outcome> outcomes = new ArrayList<>();
    /** The ids of outcomes whose rule says whether its limit is soft, which the field's own setting leaves alone. */
    private final java.util.BitSet softLimitSet = new java.util.BitSet();
    /** One instance per distinct key, shared by the outcomes it names (override rows with many values, say). */
    private final Map<OutcomeKey, OutcomeKey> keys = new HashMap<>();
    /** The id of the first outcome this compiler makes: 0, or past the installed snapshot's when a delta recompiles. */
    private int firstId;
    /**
     * When a delta recompiles a field: the field's installed logic, whose override tables a table without rows shares
     * (see {@link #recompile}); null otherwise.
     */
    private CompiledLogic installed;

    private SnapshotCompiler(SchemaModel schema, SnapshotLimits limits, ExposureRecorder exposures) {
        this.schema = schema;
        this.limits = limits;
        this.exposures = exposures;
        this.values = new ValueReader(schema, limits, problems);
        this.conditions = new ConditionCompiler(schema, limits, problems, values);
        this.windows = new WindowReader(problems);
    }

    /**
     * Parses, validates and compiles {@code json}.
     *
     * @throws InvalidSnapshotException with every problem found
     */
    public static CompiledSnapshot compile(SchemaModel schema, SnapshotLimits limits, byte[] json) {
        return compile(schema, limits, json, null);
    }

    /**
     * Parses, validates and compiles {@code json} for a client whose splits record exposures in {@code exposures} (null
     * when logging is off). Evaluation counter slots are none of the compiler's business: the client attaches them
     * when it installs the snapshot (see {@link CompiledSnapshot#attachCounterSlots}).
     *
     * @throws InvalidSnapshotException with every problem found
     */
    public static CompiledSnapshot compile(
            SchemaModel schema, SnapshotLimits limits, byte[] json, ExposureRecorder exposures) {
        try {
            return compile(schema, limits, SnapshotJson.parseSnapshot(json, limits), exposures);
        } catch (OverrideEntries.RepeatedName e) {
            throw SnapshotJson.strictError(json, limits);
        }
    }

    /**
     * Validates and compiles an already parsed document.
     *
     * @throws InvalidSnapshotException with every problem found
     * @throws OverrideEntries.RepeatedName if {@code document}, read by {@link SnapshotJson#parseSnapshot}, repeats a
     *     name in an override table's {@code values} or {@code rows}: report {@link SnapshotJson#strictError} instead
     */
    public static CompiledSnapshot compile(
            SchemaModel schema, SnapshotLimits limits, JsonNode document, ExposureRecorder exposures) {
        return new SnapshotCompiler(schema, limits, exposures).run(document);
    }

    private CompiledSnapshot run(JsonNode document) {
        Where top = Where.ROOT;
        if (!document.isObject()) {
            throw problems.failWith(top, "a snapshot is a JSON object, not " + describe(document));
        }
        problems.knownKeys(document, TOP_LEVEL, top);
        JsonNode format = document.get("format");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            problem(top.child("format"), "expected " + FORMAT + " but found " + describe(format));
        }
        long revision = revision(document.get("revision"), top.child("revision"));
        String hash = schemaHash(document.get("schemaHash"), top.child("schemaHash"));
        JsonNode meta = document.get("meta");
        if (meta != null && !meta.isObject()) {
            problem(top.child("meta"), "expected an object but found " + describe(meta));
        }
        conditions.collectSegments(document.get("segments"), top.child("segments"));
        conditions.compileSegments();
        Map<Integer, CompiledLogic> logic = compileFields(document.get("fields"), top.child("fields"));
        if (!problems.isEmpty()) {
            throw problems.failure();
        }
        FieldPlan[] plans = plans(logic);
        JsonNode segments = document.get("segments");
        return new CompiledSnapshot(
                schema,
                revision,
                hash,
                plans,
                outcomes.toArray(new Outcome[0]),
                windows.anyGiven() || conditions.readsTime(),
                segments == null ? JsonNodeFactory.instance.objectNode() : segments);
    }

    /** What {@link #recompile} made: the fields' new logic by index, and the outcomes it numbered, in id order. */
    record Recompiled(Map<Integer, CompiledLogic> logic, List<Outcome> outcomes, boolean readsTime) {}

    /**
     * Compiles the logic of some fields of {@code base} anew, for a delta: {@code logic} by field index, with {@code
     * segments} as the snapshot's segment definitions, numbering outcomes from {@code firstId}. An override table of
     * the new logic without {@code values} and {@code rows} shares the table at the same index of the field's {@code
     * installed} logic, which must be keyed by the same attribute under the same {@code softLimit}.
     *
     * @throws InvalidSnapshotException with every problem found
     */
    static Recompiled recompile(
            CompiledSnapshot base,
            JsonNode segments,
            Map<Integer, JsonNode> logic,
            Map<Integer, CompiledLogic> installed,
            SnapshotLimits limits,
            ExposureRecorder exposures,
            int firstId) {
        SnapshotCompiler compiler = new SnapshotCompiler(base.schema(), limits, exposures);
        compiler.firstId = firstId;
        return compiler.recompile(segments, logic, installed);
    }

    private Recompiled recompile(
            JsonNode segments, Map<Integer, JsonNode> logic, Map<Integer, CompiledLogic> installedLogic) {
        conditions.collectSegments(segments, Where.ROOT.child("segments"));
        conditions.compileSegments();
        Map<Integer, CompiledLogic> compiled = new HashMap<>();
        logic.forEach((index, node) -> {
            SchemaField field = schema.fields().get(index);
            installed = installedLogic.get(index);
            CompiledLogic made = logic(field, node, Where.field(field.path()));
            if (made != null) {
                compiled.put(index, made);
            }
        });
        if (!problems.isEmpty()) {
            throw problems.failure();
        }
        return new Recompiled(compiled, outcomes, windows.anyGiven() || conditions.readsTime());
    }

    /**
     * The plans of {@code base} that {@code changed} logic (by field index) replaces: those of the fields whose own
     * logic or enclosing logic it is; by field index.
     */
    static Map<Integer, FieldPlan> replan(CompiledSnapshot base, Map<Integer, CompiledLogic> changed) {
        SchemaModel schema = base.schema();
        Map<Integer, EnumChoice> enumAttributes = enumContextAttributes(schema);
        Map<Integer, FieldPlan> plans = new TreeMap<>();
        for (SchemaField field : schema.fields()) {
            FieldPlan plan = base.plan(field.index());
            SchemaField owner = field.parent();
            while (owner != null && base.plan(owner.index()).own() == null) {
                owner = owner.parent();
            }
            boolean ownChanged = changed.containsKey(field.index());
            if (!ownChanged && (owner == null || !changed.containsKey(owner.index()))) {
                continue;
            }
            CompiledLogic own = ownChanged ? changed.get(field.index()) : plan.own();
            CompiledLogic enclosing = owner == null ? null : changed.getOrDefault(owner.index(), plan.enclosing());
            int projection = owner == null ? -1 : field.index() - owner.index() - 1;
            EnumChoice[] choices = plan.kind() == ValueKind.INT ? choices(enumAttributes, own, enclosing) : NO_CHOICES;
            plans.put(
                    field.index(),
                    new FieldPlan(plan.kind(), own, enclosing, projection, plan.noLogic(), choices, enumAttributes));
        }
        return plans;
    }

    private long revision(JsonNode node, Where where) {
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 1) {
            problem(where, "expected a positive integer but found " + describe(node));
            return 0;
        }
        return node.longValue();
    }

    private String schemaHash(JsonNode node, Where where) {
        if (node == null || !node.isTextual() || !HASH.matcher(node.textValue()).matches()) {
            problem(where, "expected \"sha256:\" and 64 lowercase hex digits but found " + describe(node));
            return null;
        }
        return node.textValue();
    }

    private Map<Integer, CompiledLogic> compileFields(JsonNode node, Where where) {
        Map<Integer, CompiledLogic> compiled = new HashMap<>();
        if (node == null) {
            return compiled;
        }
        if (!node.isObject()) {
            problem(where, "expected an object keyed by field path but found " + describe(node));
            return compiled;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Where at = Where.field(entry.getKey());
            SchemaField field = schema.field(entry.getKey()).orElse(null);
            if (field == null) {
                problem(at, "unknown field path; the schema has no field " + entry.getKey());
                continue;
            }
            CompiledLogic logic = logic(field, entry.getValue(), at);
            if (logic != null) {
                compiled.put(field.index(), logic);
            }
        }
        return compiled;
    }

    private CompiledLogic logic(SchemaField field, JsonNode node, Where where) {
        if (!node.isObject()) {
            problem(where, "expected an object with overrides, rules and default but found " + describe(node));
            return null;
        }
        problems.knownKeys(node, LOGIC_KEYS, where);
        problems.optionalText(node, "description", where);
        Boolean softLimit = softLimit(node, field, where);
        int firstOutcome = outcomes.size();
        List<OverrideTable> overrides = overrideTables(field, node.get("overrides"), where);
        List<Rule> rules = rules(field, node.get("rules"), where);
        Outcome otherwise;
        JsonNode defaultNode = node.get("default");
        if (defaultNode == null) {
            otherwise = Outcome.fallback(
                    FallbackCause.NO_MATCH, "no override or rule matched and " + field.path() + " has no default");
        } else {
            Object value = values.fieldValue(defaultNode, field.definition(), where.child("default"));
            otherwise = value == null ? null : outcome(Reason.ofDefault(), value, field);
        }
        if (overrides == null || rules == null || otherwise == null || !keepsSoftLimit(node, softLimit, where)) {
            return null;
        }
        if (Boolean.TRUE.equals(softLimit)) {
            for (int id = firstOutcome; id < outcomes.size(); id++) {
                if (!softLimitSet.get(id)) {
                    outcomes.get(id).softLimit = true;
                }
            }
        }
        return new CompiledLogic(
                overrides.toArray(new OverrideTable[0]),
                rules.toArray(new Rule[0]),
                otherwise,
                Boolean.TRUE.equals(softLimit),
                LogicFingerprints.withoutRows(node));
    }

    private List<OverrideTable> overrideTables(SchemaField field, JsonNode node, Where where) {
        List<OverrideTable> tables = new ArrayList<>();
        if (node == null) {
            return tables;
        }
        if (!node.isArray()) {
            problem(where.child("overrides"), "expected an array of override tables but found " + describe(node));
            return null;
        }
        boolean valid = true;
        for (int i = 0; i < node.size(); i++) {
            OverrideTable table = overrideTable(field, node.get(i), i, where.child("overrides[" + i + "]"));
            valid &= table != null;
            tables.add(table);
        }
        return valid ? tables : null;
    }

    private OverrideTable overrideTable(SchemaField field, JsonNode node, int index, Where where) {
        if (!node.isObject()) {
            problem(where, "expected an object with \"by\" and \"values\" but found " + describe(node));
            return null;
        }
        problems.knownKeys(node, OVERRIDE_KEYS, where);
        problems.optionalText(node, "description", where);
        ConditionCompiler.Attribute key =
                conditions.keyAttribute(node.get("by"), field, where.child("by"), "override tables");
        JsonNode valuesNode = node.get("values");
        JsonNode rowsNode = node.get("rows");
        if (installed != null && valuesNode == null && rowsNode == null) {
            return key == null ? null : installedTable(field, key, index, where);
        }
        OverrideEntries valueEntries = OverrideEntries.of(valuesNode);
        OverrideEntries rowEntries = OverrideEntries.of(rowsNode);
        if (!rowObjects(valuesNode, valueEntries, rowsNode, rowEntries, where) || key == null) {
            return null;
        }
        OverrideRows rows = new OverrideRows(field, key, valueEntries, rowEntries);
        if (valueEntries != null) {
            rows.addValues(where);
        }
        if (rowEntries != null) {
            rows.addRows(where);
        }
        return rows.valid ? rows.table() : null;
    }

    /**
     * For a delta's logic: whether the tables it keeps without rows keep their outcomes' {@code softLimit}, which the
     * logic's gave them; the delta must send the rows of every table when the logic's {@code softLimit} changes.
     */
    private boolean keepsSoftLimit(JsonNode node, Boolean softLimit, Where where) {
        if (installed == null || installed.softLimit() == Boolean.TRUE.equals(softLimit)) {
            return true;
        }
        for (JsonNode table : node.path("overrides")) {
            if (!LogicFingerprints.hasRows(table)) {
                problem(where.child("softLimit"), "softLimit changed, so every override table needs its rows");
                return false;
            }
        }
        return true;
    }

    /** For a delta's logic: the installed table at {@code index}, which a table without rows keeps. */
    private OverrideTable installedTable(SchemaField field, ConditionCompiler.Attribute key, int index, Where where) {
        OverrideTable table = index < installed.tableCount() ? installed.table(index) : null;
        String keyName = key.reader().name();
        if (table == null || !table.key().name().equals(keyName)) {
            problem(
                    where,
                    "a table without rows keeps the installed table " + index + ", but the installed logic of "
                            + field.path() + " has "
                            + (table == null ? "none" : "one by " + table.key().name())
                            + ", not one by " + keyName);
            return null;
        }
        return table;
    }

    /**
     * Whether a table's {@code values} and {@code rows} are objects within the row cap; {@code values} may be left out
     * only when {@code rows} is given.
     */
    private boolean rowObjects(
            JsonNode valuesNode,
            OverrideEntries valueEntries,
            JsonNode rowsNode,
            OverrideEntries rowEntries,
            Where where) {
        boolean valid = true;
        if ((valuesNode != null || rowsNode == null) && valueEntries == null) {
            problem(
                    where.child("values"),
                    "expected an object mapping keys to values but found " + describe(valuesNode));
            valid = false;
        }
        if (rowsNode != null && rowEntries == null) {
            problem(where.child("rows"), "expected an object mapping keys to rows but found " + describe(rowsNode));
            valid = false;
        }
        int size = (valid && valueEntries != null ? valueEntries.size() : 0)
                + (valid && rowEntries != null ? rowEntries.size() : 0);
        if (size > limits.maxOverrideRows()) {
            Where at = rowsNode == null ? where.child("values") : valuesNode == null ? where.child("rows") : where;
            problem(at, size + " rows exceed the limit of " + limits.maxOverrideRows());
            valid = false;
        }
        return valid;
    }

    /**
     * One instance of each override key across the snapshot's tables: an organization overridden in four fields' tables
     * is keyed by one string, not four equal ones (the parser does not intern names: see {@code SnapshotJson}). Made
     * for the first table, with its size.
     */
    private KeyTable.Builder overrideKeys;
    /**
     * The keys of the last table's {@code values} as {@link #sharedKey(Object, int)} shared them, by entry index (null
     * for an invalid row). Tables of one snapshot often list the same keys in the same order (one row per organization
     * in each), and comparing a key with the one at its index there costs an {@code equals} where the map costs a
     * lookup in a table of every key, which at 100,000 keys is mostly a cache miss.
     */
    private Object[] lastTableKeys = NO_KEYS;

    private Object sharedKey(Object key) {
        Object seen = overrideKeys.putIfAbsent(key, key);
        return seen == null ? key : seen;
    }

    /**
     * {@link #sharedKey(Object)} for the row at {@code index} of a table's {@code values}: the last table's key at that
     * index if it is equal, which is the shared instance too.
     */
    private Object sharedKey(Object key, int index) {
        Object[] last = lastTableKeys;
        return index < last.length && key.equals(last[index]) ? last[index] : sharedKey(key);
    }

    /**
     * The rows of one override table as they are read: compact {@code values}, then {@code rows} with windows. A key
     * given twice is found here, as its second row is put into the table: the parser does not look for repeated names
     * in these objects (see {@code JsonTrees.readSnapshot}).
     */
    private final class OverrideRows {
        private final SchemaField field;
        private final ConditionCompiler.Attribute key;
        private final OverrideEntries valueEntries;
        private final OverrideEntries rowEntries;
        /** The schema's definition of the key's named type, null for a scalar: looked up once, not per row. */
        private final TypeDefinition keyDefinition;
        /** One outcome per distinct value, shared by the rows that give it. */
        private final Map<Object, Outcome> shared = new HashMap<>();

        private final KeyTable.Builder rows;
        boolean valid = true;
        /** Whether some row carries a window. */
        boolean windowed;
        /** The sum of the rows' hashes: see {@link RowHasher}. */
        long checksum;

        OverrideRows(
                SchemaField field,
                ConditionCompiler.Attribute key,
                OverrideEntries valueEntries,
                OverrideEntries rowEntries) {
            this.field = field;
            this.key = key;
            this.valueEntries = valueEntries;
            this.rowEntries = rowEntries;
            this.keyDefinition = schema.type(key.type().namedType()).orElse(null);
            int size = (valueEntries == null ? 0 : valueEntries.size()) + (rowEntries == null ? 0 : rowEntries.size());
            this.rows = new KeyTable.Builder(size);
            if (overrideKeys == null) {
                overrideKeys = new KeyTable.Builder(size);
            }
        }

        void addValues(Where where) {
            Object[] shared = new Object[valueEntries.size()];
            for (int i = 0; i < valueEntries.size(); i++) {
                String name = valueEntries.name(i);
                JsonNode node = valueEntries.value(i);
                Where at = where.key(name);
                Object keyValue = overrideKey(keyDefinition, problems, name, key.type(), at);
                Object value = values.fieldValue(node, field.definition(), at);
                if (keyValue == null || value == null) {
                    valid = false;
                    continue;
                }
                shared[i] = sharedKey(keyValue, i);
                put(shared[i], sharedOutcome(value), name);
                checksum += rowHasher.row(name, node, null, null);
            }
            lastTableKeys = shared;
        }

        /**
         * Puts a valid row into the table by its shared key.
         *
         * @throws OverrideEntries.RepeatedName if the key has a row already: its name is repeated in {@code values} or
         *     in {@code rows} (a key in both is a problem found before)
         */
        private void put(Object sharedKey, Object answer, String name) {
            if (rows.putIfAbsent(sharedKey, answer) != null) {
                throw new OverrideEntries.RepeatedName(name);
            }
        }

        OverrideTable table() {
            Map<Object, Outcome> outcomes = shared.size() <= MAX_SHARED_OUTCOMES ? shared : null;
            return new OverrideTable(key.reader(), key.type(), rows.build(), windowed, checksum, outcomes);
        }

        void addRows(Where where) {
            Set<String> inValues = valueEntries == null ? Set.of() : valueEntries.names();
            for (int i = 0; i < rowEntries.size(); i++) {
                String name = rowEntries.name(i);
                JsonNode node = rowEntries.value(i);
                Where at = where.child("rows").key(name);
                Object keyValue = overrideKey(keyDefinition, problems, name, key.type(), at);
                Object answer = row(node, at);
                if (keyValue != null && inValues.contains(name)) {
                    problem(at, "the key " + quote(name) + " has a row in \"values\" too; give it once");
                    keyValue = null;
                }
                if (keyValue == null || answer == null) {
                    valid = false;
                    continue;
                }
                put(sharedKey(keyValue), answer, name);
                checksum += rowHasher.rowObject(name, node);
            }
        }

        /** A row object's answer: its outcome, or a {@link WindowedRow} when it has a window; null if invalid. */
        private Object row(JsonNode node, Where where) {
            if (!node.isObject()) {
                problem(
                        where,
                        "expected a row object with \"value\" and optional \"from\" and \"until\" but found "
                                + describe(node));
                return null;
            }
            problems.knownKeys(node, ROW_KEYS, where);
            Object value = requiredValue(node, field, where);
            long[] window = windows.window(node, where);
            if (value == null || window == null) {
                return null;
            }
            Outcome outcome = sharedOutcome(value);
            boolean open = window[0] == Window.OPEN_FROM && window[1] == Window.OPEN_UNTIL;
            if (open) {
                return outcome;
            }
            windowed = true;
            return new WindowedRow(outcome, window[0], window[1]);
        }

        private Outcome sharedOutcome(Object value) {
            return shared.computeIfAbsent(
                    value, v -> outcome(Reason.override(key.reader().name()), v, field));
        }
    }

    /**
     * The key of an override row as the table holds it: the text for a String or enum attribute, an Integer for an Int
     * one; null after reporting a problem to {@code problems}.
     */
    static Object overrideKey(SchemaModel schema, Problems problems, String key, TypeRef type, Where where) {
        return overrideKey(schema.type(type.namedType()).orElse(null), problems, key, type, where);
    }

    /** {@link #overrideKey(SchemaModel, Problems, String, TypeRef, Where)} with {@code type}'s definition looked up. */
    private static Object overrideKey(
            TypeDefinition definition, Problems problems, String key, TypeRef type, Where where) {
        if (definition instanceof EnumTypeDefinition enumType) {
            if (!enumType.hasValue(key)) {
                problems.add(where, quote(key) + " is not a value of enum " + enumType.name());
                return null;
            }
            return key;
        }
        if (type.scalar() == ScalarType.INT) {
            try {
                Integer value = Integer.valueOf(key);
                if (!value.toString().equals(key)) {
                    problems.add(where, quote(key) + " is not written as a canonical Int key; write it as " + value);
                    return null;
                }
                return value;
            } catch (NumberFormatException e) {
                problems.add(where, quote(key) + " is not an Int key");
                return null;
            }
        }
        return key;
    }

    private List<Rule> rules(SchemaField field, JsonNode node, Where where) {
        List<Rule> rules = new ArrayList<>();
        if (node == null) {
            return rules;
        }
        if (!node.isArray()) {
            problem(where.child("rules"), "expected an array of rules but found " + describe(node));
            return null;
        }
        if (node.size() > limits.maxRulesPerField()) {
            problem(where.child("rules"), node.size() + " rules exceed the limit of " + limits.maxRulesPerField());
            return null;
        }
        Set<String> ids = new HashSet<>();
        boolean valid = true;
        for (int i = 0; i < node.size(); i++) {
            Rule rule = rule(field, node.get(i), where, i, ids);
            valid &= rule != null;
            rules.add(rule);
        }
        return valid ? rules : null;
    }

    private Rule rule(SchemaField field, JsonNode node, Where where, int index, Set<String> ids) {
        JsonNode idNode = node.isObject() ? node.get("id") : null;
        String id = idNode != null && idNode.isTextual() && !idNode.textValue().isEmpty() ? idNode.textValue() : null;
        Where at = where.child(id != null ? "rule " + quote(id) : "rules[" + index + "]");
        if (!node.isObject()) {
            problem(at, "expected a rule object but found " + describe(node));
            return null;
        }
        problems.knownKeys(node, RULE_KEYS, at);
        problems.optionalText(node, "description", at);
        Boolean softLimit = softLimit(node, field, at);
        int firstOutcome = outcomes.size();
        Rule rule = rule(field, node, at, id, ids);
        if (softLimit != null) {
            for (int outcome = firstOutcome; outcome < outcomes.size(); outcome++) {
                outcomes.get(outcome).softLimit = softLimit;
                softLimitSet.set(outcome);
            }
        }
        return rule;
    }

    /**
     * The {@code softLimit} of a field's logic or of a rule: whether usage of a metered field may pass the limit (and
     * is reported as over it) instead of being denied; null when absent or invalid.
     */
    private Boolean softLimit(JsonNode node, SchemaField field, Where where) {
        JsonNode soft = node.get("softLimit");
        if (soft == null) {
            return null;
        }
        if (!soft.isBoolean()) {
            problem(where.child("softLimit"), "expected true or false but found " + describe(soft));
            return null;
        }
        if (!field.definition().metered()) {
            problem(
                    where.child("softLimit"),
                    "softLimit applies to metered fields, but " + field.path() + " has no @metered in the schema");
            return null;
        }
        return soft.booleanValue();
    }

    private Rule rule(SchemaField field, JsonNode node, Where at, String id, Set<String> ids) {
        boolean valid = true;
        if (id == null) {
            problem(at, "a rule needs a non-empty string \"id\" but found " + describe(node.get("id")));
            valid = false;
        } else if (!ids.add(id)) {
            problem(at, "rule id " + quote(id) + " is used twice in this field");
            valid = false;
        }
        long[] window = windows.window(node, at);
        valid &= window != null;
        Condition condition = null;
        JsonNode ifNode = node.get("if");
        if (ifNode != null) {
            condition = conditions.condition(ifNode, field, at.child("if"), 1);
            valid &= condition != null;
        }
        JsonNode valueNode = node.get("value");
        JsonNode splitNode = node.get("split");
        if ((valueNode == null) == (splitNode == null)) {
            problem(at, "a rule needs exactly one of \"value\" and \"split\"");
            return null;
        }
        if (valueNode != null) {
            Object value = values.fieldValue(valueNode, field.definition(), at);
            if (value == null || !valid) {
                return null;
            }
            return new Rule(window[0], window[1], condition, outcome(Reason.rule(id), value, field), null);
        }
        Split split = split(field, splitNode, at.child("split"), id == null ? "" : id);
        return split == null || !valid ? null : new Rule(window[0], window[1], condition, null, split);
    }

    private Split split(SchemaField field, JsonNode node, Where where, String ruleId) {
        if (!node.isObject()) {
            problem(where, "expected a split object but found " + describe(node));
            return null;
        }
        problems.knownKeys(node, SPLIT_KEYS, where);
        ConditionCompiler.Attribute unit = conditions.keyAttribute(node.get("by"), field, where.child("by"), "splits");
        JsonNode seed = node.get("seed");
        if (seed == null || !seed.isTextual() || seed.textValue().isEmpty()) {
            problem(where.child("seed"), "expected a non-empty string but found " + describe(seed));
        }
        JsonNode arms = node.get("arms");
        if (arms == null || !arms.isArray() || arms.isEmpty()) {
            problem(where.child("arms"), "expected a non-empty array of arms but found " + describe(arms));
            return null;
        }
        Set<String> armIds = new HashSet<>();
        int[] upperBounds = new int[arms.size()];
        Outcome[] outcomes = new Outcome[arms.size()];
        int total = 0;
        boolean valid = unit != null
                && seed != null
                && seed.isTextual()
                && !seed.textValue().isEmpty();
        for (int i = 0; i < arms.size(); i++) {
            JsonNode arm = arms.get(i);
            String armId = armId(arm, armIds, where.child("arms[" + i + "]"), ARM_KEYS);
            Where at = armId == null ? where.child("arms[" + i + "]") : where.child("arm " + quote(armId));
            int weight = arm.isObject() ? weight(arm.get("weight"), at.child("weight")) : -1;
            Object value = arm.isObject() ? requiredValue(arm, field, at) : null;
            if (armId == null || weight < 0 || value == null) {
                valid = false;
                continue;
            }
            total += weight;
            upperBounds[i] = total;
            outcomes[i] = outcome(Reason.split(ruleId, armId), value, field);
        }
        if (total > SplitHash.BUCKETS) {
            problem(where.child("arms"), "weights add up to " + total / 100.0 + "%, more than 100%");
            valid = false;
        }
        Outcome defaultArm = null;
        JsonNode defaultNode = node.get("defaultArm");
        if (defaultNode != null) {
            String armId = armId(defaultNode, armIds, where.child("defaultArm"), DEFAULT_ARM_KEYS);
            Object value = defaultNode.isObject() ? requiredValue(defaultNode, field, where.child("defaultArm")) : null;
            valid &= armId != null && value != null;
            if (armId != null && value != null) {
                defaultArm = outcome(Reason.split(ruleId, armId), value, field);
            }
        } else if (valid && total < SplitHash.BUCKETS) {
            problem(where, "weights add up to " + total / 100.0 + "%; add a \"defaultArm\" for the rest");
            valid = false;
        }
        if (!valid) {
            return null;
        }
        Outcome missingUnit = Outcome.fallback(
                FallbackCause.MISSING_CONTEXT_ATTRIBUTE,
                "split of rule " + quote(ruleId) + " on " + field.path() + " needs "
                        + unit.reader().name() + ", which is absent");
        return new Split(
                unit.reader(),
                seed.textValue(),
                upperBounds,
                outcomes,
                defaultArm,
                missingUnit,
                field.path(),
                ruleId,
                exposures);
    }

    private String armId(JsonNode arm, Set<String> armIds, Where where, Set<String> keys) {
        if (!arm.isObject()) {
            problem(where, "expected an arm object but found " + describe(arm));
            return null;
        }
        problems.knownKeys(arm, keys, where);
        JsonNode id = arm.get("id");
        if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
            problem(where, "an arm needs a non-empty string \"id\" but found " + describe(id));
            return null;
        }
        if (!armIds.add(id.textValue())) {
            problem(where, "arm id " + quote(id.textValue()) + " is used twice in this split");
            return null;
        }
        return id.textValue();
    }

    /** A weight in percent with at most two decimals, as hundredths of a percent; -1 if invalid. */
    private int weight(JsonNode node, Where where) {
        if (node != null && node.isNumber() && Double.isFinite(node.doubleValue())) {
            Matcher matcher =
                    WEIGHT.matcher(node.decimalValue().stripTrailingZeros().toPlainString());
            double percent = node.doubleValue();
            if (matcher.matches() && percent >= 0 && percent <= 100) {
                return (int) Math.round(percent * 100);
            }
        }
        problem(where, "expected a percentage from 0 to 100 with at most two decimals but found " + describe(node));
        return -1;
    }

    private Object requiredValue(JsonNode owner, SchemaField field, Where where) {
        JsonNode node = owner.get("value");
        if (node == null) {
            problem(where, "missing \"value\"");
            return null;
        }
        return values.fieldValue(node, field.definition(), where);
    }

    // ---- outcomes and plans ----

    /**
     * A value outcome for {@code value} of {@code field}, numbered next and named by the field's path and the reason's
     * label; object values get prepared outcomes for every descendant, numbered before their own.
     */
    private Outcome outcome(Reason reason, Object value, SchemaField field) {
        Outcome[] descendants = field.isObject() ? descendants(reason, (Map<?, ?>) value, field) : null;
        int id = firstId + outcomes.size();
        OutcomeKey key = key(field.path(), reason.label());
        Outcome outcome = descendants == null
                ? Outcome.of(reason, value, id, key)
                : Outcome.ofObject(reason, value, descendants, id, key);
        outcomes.add(outcome);
        return outcome;
    }

    private OutcomeKey key(String fieldPath, String label) {
        OutcomeKey key = new OutcomeKey(fieldPath, label);
        OutcomeKey known = keys.putIfAbsent(key, key);
        return known == null ? key : known;
    }

    private Outcome[] descendants(Reason reason, Map<?, ?> object, SchemaField field) {
        Outcome[] descendants = new Outcome[descendantCount(field)];
        for (SchemaField child : field.children()) {
            Outcome childOutcome = outcome(reason, object.get(child.name()), child);
            int offset = child.index() - field.index() - 1;
            descendants[offset] = childOutcome;
            System.arraycopy(childOutcome.descendants, 0, descendants, offset + 1, childOutcome.descendants.length);
        }
        return descendants;
    }

    private static int descendantCount(SchemaField field) {
        int count = 0;
        for (SchemaField child : field.children()) {
            count += 1 + descendantCount(child);
        }
        return count;
    }

    private FieldPlan[] plans(Map<Integer, CompiledLogic> logic) {
        List<SchemaField> fields = schema.fields();
        FieldPlan[] plans = new FieldPlan[fields.size()];
        Map<Integer, EnumChoice> enumAttributes = enumContextAttributes(schema);
        for (SchemaField field : fields) {
            ValueKind kind = ValueKind.of(field.type(), schema);
            SchemaField owner = field.parent();
            while (owner != null && !logic.containsKey(owner.index())) {
                owner = owner.parent();
            }
            Outcome noLogic = Outcome.fallback(FallbackCause.NO_LOGIC, "the snapshot has no logic for " + field.path());
            CompiledLogic enclosing = owner == null ? null : logic.get(owner.index());
            int projection = owner == null ? -1 : field.index() - owner.index() - 1;
            CompiledLogic own = logic.get(field.index());
            EnumChoice[] choices = kind == ValueKind.INT ? choices(enumAttributes, own, enclosing) : NO_CHOICES;
            plans[field.index()] = new FieldPlan(kind, own, enclosing, projection, noLogic, choices, enumAttributes);
        }
        return plans;
    }

    /** The context's enum attributes (not lists of them) by slot. */
    private static Map<Integer, EnumChoice> enumContextAttributes(SchemaModel schema) {
        Map<Integer, EnumChoice> choices = new HashMap<>();
        for (InputAttribute attribute : schema.contextLayout().attributes()) {
            TypeRef type = attribute.type();
            if (type instanceof TypeRef.Named
                    && schema.type(type.namedType()).orElse(null) instanceof EnumTypeDefinition enumType) {
                List<String> values = new ArrayList<>();
                for (EnumValueDefinition value : enumType.values()) {
                    values.add(value.name());
                }
                choices.put(attribute.slot(), new EnumChoice("context." + attribute.path(), attribute.slot(), values));
            }
        }
        return choices;
    }

    /** The enum context attributes that {@code own} or {@code enclosing} logic reads, in slot order. */
    private static EnumChoice[] choices(
            Map<Integer, EnumChoice> enumAttributes, CompiledLogic own, CompiledLogic enclosing) {
        if (enumAttributes.isEmpty() || (own == null && enclosing == null)) {
            return NO_CHOICES;
        }
        List<AttributeReader> read = new ArrayList<>();
        if (own != null) {
            own.addAttributes(read);
        }
        if (enclosing != null) {
            enclosing.addAttributes(read);
        }
        TreeMap<Integer, EnumChoice> tested = new TreeMap<>();
        for (AttributeReader reader : read) {
            EnumChoice choice = enumAttributes.get(reader.contextSlot());
            if (choice != null) {
                tested.put(choice.slot(), choice);
            }
        }
        return tested.values().toArray(NO_CHOICES);
    }

    private void problem(Where where, String message) {
        problems.add(where, message);
    }
}
