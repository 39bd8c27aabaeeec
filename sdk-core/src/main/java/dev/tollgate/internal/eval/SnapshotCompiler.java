package dev.tollgate.internal.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.FallbackCause;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.Reason;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SnapshotProblem;
import dev.tollgate.internal.logs.LogHooks;
import dev.tollgate.internal.snapshot.SnapshotJson;
import dev.tollgate.schema.EnumTypeDefinition;
import dev.tollgate.schema.InputAttribute;
import dev.tollgate.schema.InputLayout;
import dev.tollgate.schema.ObjectTypeDefinition;
import dev.tollgate.schema.PathArgument;
import dev.tollgate.schema.Schema;
import dev.tollgate.schema.SchemaField;
import dev.tollgate.schema.TypeDefinition;
import dev.tollgate.schema.TypeRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Validates a snapshot document against a schema and compiles it into a {@link CompiledSnapshot}, in one pass that
 * records every problem with its path before failing. See {@code docs/snapshot-format.md} for the format.
 */
public final class SnapshotCompiler {
    /** The snapshot format version this compiler reads. */
    public static final int FORMAT = 1;

    private static final int MAX_REPORTED_PROBLEMS = 200;
    private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]*");
    private static final java.util.regex.Pattern WEIGHT = java.util.regex.Pattern.compile("\\d{1,3}(?:\\.(\\d{1,2}))?");
    private static final Set<String> TOP_LEVEL =
            Set.of("$schema", "format", "revision", "schemaHash", "meta", "segments", "fields");
    private static final Set<String> LOGIC_KEYS = Set.of("description", "overrides", "rules", "default");
    private static final Set<String> OVERRIDE_KEYS = Set.of("description", "by", "values");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "if", "value", "split");
    private static final Set<String> SPLIT_KEYS = Set.of("by", "seed", "arms", "defaultArm");
    private static final Set<String> ARM_KEYS = Set.of("id", "weight", "value");
    private static final Set<String> DEFAULT_ARM_KEYS = Set.of("id", "value");
    private static final Set<String> SEGMENT_KEYS = Set.of("description", "if");
    private static final List<String> CONDITION_FORMS = List.of("attribute", "all", "any", "not", "segment");
    private static final List<String> OPERATORS = List.of(
            "eq", "ne", "in", "notIn", "lt", "lte", "gt", "gte", "startsWith", "endsWith", "contains", "matches");

    private final Schema schema;
    private final SnapshotLimits limits;
    private final List<SnapshotProblem> problems = new ArrayList<>();
    private int droppedProblems;
    private final Map<String, JsonNode> segmentNodes = new LinkedHashMap<>();
    private final Map<String, Condition> segments = new HashMap<>();
    private final Deque<String> resolvingSegments = new ArrayDeque<>();

    private final LogHooks hooks;

    private SnapshotCompiler(Schema schema, SnapshotLimits limits, LogHooks hooks) {
        this.schema = schema;
        this.limits = limits;
        this.hooks = hooks;
    }

    /**
     * Parses, validates and compiles {@code json}.
     *
     * @throws InvalidSnapshotException with every problem found
     */
    public static CompiledSnapshot compile(Schema schema, SnapshotLimits limits, byte[] json) {
        return compile(schema, limits, json, null);
    }

    /**
     * Parses, validates and compiles {@code json} for a client whose logging reports into {@code hooks} (null when
     * logging is off): outcomes get counter slots and splits record exposures.
     *
     * @throws InvalidSnapshotException with every problem found
     */
    public static CompiledSnapshot compile(Schema schema, SnapshotLimits limits, byte[] json, LogHooks hooks) {
        return compile(schema, limits, SnapshotJson.parse(json, limits), hooks);
    }

    /** Validates and compiles an already parsed document. */
    public static CompiledSnapshot compile(Schema schema, SnapshotLimits limits, JsonNode document, LogHooks hooks) {
        return new SnapshotCompiler(schema, limits, hooks).run(document);
    }

    private CompiledSnapshot run(JsonNode document) {
        Where top = Where.ROOT;
        if (!document.isObject()) {
            throw failWith(top, "a snapshot is a JSON object, not " + describe(document));
        }
        knownKeys(document, TOP_LEVEL, top);
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
        collectSegments(document.get("segments"), top.child("segments"));
        Map<Integer, CompiledLogic> logic = compileFields(document.get("fields"), top.child("fields"));
        for (String name : segmentNodes.keySet()) {
            segment(name, top.child("segments").child(name));
        }
        if (!problems.isEmpty()) {
            throw failure();
        }
        return new CompiledSnapshot(schema, revision, hash, plans(logic));
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

    private void collectSegments(JsonNode node, Where where) {
        if (node == null) {
            return;
        }
        if (!node.isObject()) {
            problem(where, "expected an object of named segments but found " + describe(node));
            return;
        }
        if (node.size() > limits.maxSegments()) {
            problem(where, node.size() + " segments exceed the limit of " + limits.maxSegments());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!NAME.matcher(entry.getKey()).matches()) {
                problem(where.child(entry.getKey()), "segment names use letters, digits and _ . : -");
            }
            segmentNodes.put(entry.getKey(), entry.getValue());
        }
    }

    /** The compiled condition of a segment, compiling it on first use; null if it is invalid or part of a cycle. */
    private Condition segment(String name, Where where) {
        if (segments.containsKey(name)) {
            return segments.get(name);
        }
        if (resolvingSegments.contains(name)) {
            List<String> cycle = new ArrayList<>(resolvingSegments);
            Collections.reverse(cycle);
            cycle = cycle.subList(cycle.indexOf(name), cycle.size());
            problem(where, "segment cycle: " + String.join(" -> ", cycle) + " -> " + name);
            return null;
        }
        JsonNode node = segmentNodes.get(name);
        Where at = Where.ROOT.child("segments").child(name);
        if (resolvingSegments.size() >= limits.maxConditionDepth()) {
            problem(
                    where,
                    "segments refer to segments deeper than the condition depth limit of "
                            + limits.maxConditionDepth());
            return null;
        }
        resolvingSegments.push(name);
        Condition condition = null;
        if (!node.isObject()) {
            problem(at, "expected an object with \"if\" but found " + describe(node));
        } else {
            knownKeys(node, SEGMENT_KEYS, at);
            optionalText(node, "description", at);
            JsonNode body = node.get("if");
            if (body == null) {
                problem(at, "a segment needs \"if\": the condition its members meet");
            } else {
                condition = condition(body, null, at.child("if"), 1);
            }
        }
        resolvingSegments.pop();
        segments.put(name, condition);
        return condition;
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
        knownKeys(node, LOGIC_KEYS, where);
        optionalText(node, "description", where);
        List<OverrideTable> overrides = overrideTables(field, node.get("overrides"), where);
        List<Rule> rules = rules(field, node.get("rules"), where);
        Outcome otherwise;
        JsonNode defaultNode = node.get("default");
        if (defaultNode == null) {
            otherwise = Outcome.fallback(
                    FallbackCause.NO_MATCH, "no override or rule matched and " + field.path() + " has no default");
        } else {
            Object value = value(defaultNode, field.type(), where.child("default"));
            otherwise = value == null ? null : outcome(Reason.ofDefault(), value, field);
        }
        if (overrides == null || rules == null || otherwise == null) {
            return null;
        }
        return new CompiledLogic(overrides.toArray(new OverrideTable[0]), rules.toArray(new Rule[0]), otherwise);
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
            OverrideTable table = overrideTable(field, node.get(i), where.child("overrides[" + i + "]"));
            valid &= table != null;
            tables.add(table);
        }
        return valid ? tables : null;
    }

    private OverrideTable overrideTable(SchemaField field, JsonNode node, Where where) {
        if (!node.isObject()) {
            problem(where, "expected an object with \"by\" and \"values\" but found " + describe(node));
            return null;
        }
        knownKeys(node, OVERRIDE_KEYS, where);
        optionalText(node, "description", where);
        Attribute key = keyAttribute(node.get("by"), field, where.child("by"), "override tables");
        JsonNode values = node.get("values");
        if (values == null || !values.isObject()) {
            problem(where.child("values"), "expected an object mapping keys to values but found " + describe(values));
            return null;
        }
        if (values.size() > limits.maxOverrideRows()) {
            problem(where.child("values"), values.size() + " rows exceed the limit of " + limits.maxOverrideRows());
            return null;
        }
        if (key == null) {
            return null;
        }
        Map<Object, Outcome> shared = new HashMap<>();
        Map<Object, Outcome> rows = new HashMap<>(values.size() * 4 / 3 + 1);
        boolean valid = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> row = it.next();
            Where at = where.child("key " + quote(row.getKey()));
            Object keyValue = overrideKey(row.getKey(), key.type(), at);
            Object value = value(row.getValue(), field.type(), at);
            if (keyValue == null || value == null) {
                valid = false;
                continue;
            }
            rows.put(
                    keyValue,
                    shared.computeIfAbsent(
                            value, v -> outcome(Reason.override(key.reader().name()), v, field)));
        }
        return valid ? new OverrideTable(key.reader(), rows) : null;
    }

    private Object overrideKey(String key, TypeRef type, Where where) {
        TypeDefinition definition = schema.type(type.namedType()).orElse(null);
        if (definition instanceof EnumTypeDefinition enumType) {
            if (!enumType.hasValue(key)) {
                problem(where, quote(key) + " is not a value of enum " + enumType.name());
                return null;
            }
            return key;
        }
        if (type.namedType().equals("Int")) {
            try {
                Integer value = Integer.valueOf(key);
                if (!value.toString().equals(key)) {
                    problem(where, quote(key) + " is not written as a canonical Int key; write it as " + value);
                    return null;
                }
                return value;
            } catch (NumberFormatException e) {
                problem(where, quote(key) + " is not an Int key");
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
        knownKeys(node, RULE_KEYS, at);
        optionalText(node, "description", at);
        boolean valid = true;
        if (id == null) {
            problem(at, "a rule needs a non-empty string \"id\" but found " + describe(idNode));
            valid = false;
        } else if (!ids.add(id)) {
            problem(at, "rule id " + quote(id) + " is used twice in this field");
            valid = false;
        }
        Condition condition = null;
        JsonNode ifNode = node.get("if");
        if (ifNode != null) {
            condition = condition(ifNode, field, at.child("if"), 1);
            valid &= condition != null;
        }
        JsonNode valueNode = node.get("value");
        JsonNode splitNode = node.get("split");
        if ((valueNode == null) == (splitNode == null)) {
            problem(at, "a rule needs exactly one of \"value\" and \"split\"");
            return null;
        }
        if (valueNode != null) {
            Object value = value(valueNode, field.type(), at);
            if (value == null || !valid) {
                return null;
            }
            return new Rule(condition, outcome(Reason.rule(id), value, field), null);
        }
        Split split = split(field, splitNode, at.child("split"), id == null ? "" : id);
        return split == null || !valid ? null : new Rule(condition, null, split);
    }

    private Split split(SchemaField field, JsonNode node, Where where, String ruleId) {
        if (!node.isObject()) {
            problem(where, "expected a split object but found " + describe(node));
            return null;
        }
        knownKeys(node, SPLIT_KEYS, where);
        Attribute unit = keyAttribute(node.get("by"), field, where.child("by"), "splits");
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
                hooks == null ? null : hooks.exposures());
    }

    private String armId(JsonNode arm, Set<String> armIds, Where where, Set<String> keys) {
        if (!arm.isObject()) {
            problem(where, "expected an arm object but found " + describe(arm));
            return null;
        }
        knownKeys(arm, keys, where);
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
        if (node != null && node.isNumber()) {
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
        return value(node, field.type(), where);
    }

    // ---- conditions ----

    private Condition condition(JsonNode node, SchemaField scope, Where where, int depth) {
        if (depth > limits.maxConditionDepth()) {
            problem(where, "conditions nest deeper than the limit of " + limits.maxConditionDepth());
            return null;
        }
        if (!node.isObject()) {
            problem(where, "expected a condition object but found " + describe(node));
            return null;
        }
        String form = null;
        for (String candidate : CONDITION_FORMS) {
            if (node.has(candidate)) {
                if (form != null) {
                    problem(
                            where,
                            "a condition has one of attribute, all, any, not, segment; found both " + form + " and "
                                    + candidate);
                    return null;
                }
                form = candidate;
            }
        }
        if (form == null) {
            problem(
                    where,
                    "expected one of \"attribute\", \"all\", \"any\", \"not\", \"segment\" but found keys "
                            + keys(node));
            return null;
        }
        return switch (form) {
            case "all", "any" -> group(form, node, scope, where, depth);
            case "not" -> negation(node, scope, where, depth);
            case "segment" -> segmentReference(node, where, depth);
            default -> comparison(node, scope, where);
        };
    }

    private Condition group(String form, JsonNode node, SchemaField scope, Where where, int depth) {
        knownKeys(node, Set.of(form), where);
        JsonNode parts = node.get(form);
        if (!parts.isArray() || parts.isEmpty()) {
            problem(where.child(form), "expected a non-empty array of conditions but found " + describe(parts));
            return null;
        }
        List<Condition> compiled = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < parts.size(); i++) {
            Condition part = condition(parts.get(i), scope, where.child(form + "[" + i + "]"), depth + 1);
            valid &= part != null;
            compiled.add(part);
        }
        if (!valid) {
            return null;
        }
        return form.equals("all") ? Condition.all(compiled) : Condition.any(compiled);
    }

    private Condition negation(JsonNode node, SchemaField scope, Where where, int depth) {
        knownKeys(node, Set.of("not"), where);
        Condition operand = condition(node.get("not"), scope, where.child("not"), depth + 1);
        return operand == null ? null : Condition.not(operand);
    }

    /**
     * A segment's condition, used where it is referenced. A segment is compiled once and shared, so the nesting it
     * adds is checked here: the reference's depth plus the segment's own height must stay within the limit, which
     * keeps evaluation's recursion bounded however segments are chained.
     */
    private Condition segmentReference(JsonNode node, Where where, int depth) {
        knownKeys(node, Set.of("segment"), where);
        JsonNode name = node.get("segment");
        if (!name.isTextual()) {
            problem(where.child("segment"), "expected a segment name but found " + describe(name));
            return null;
        }
        if (!segmentNodes.containsKey(name.textValue())) {
            problem(where.child("segment"), "unknown segment " + quote(name.textValue()));
            return null;
        }
        Condition segment = segment(name.textValue(), where.child("segment"));
        if (segment != null && depth - 1 + segment.height() > limits.maxConditionDepth()) {
            problem(
                    where.child("segment"),
                    "conditions nest deeper than the limit of " + limits.maxConditionDepth() + " through segment "
                            + quote(name.textValue()));
            return null;
        }
        return segment;
    }

    private Condition comparison(JsonNode node, SchemaField scope, Where where) {
        knownKeys(node, Set.of("attribute", "op", "value"), where);
        Attribute attribute = attribute(node.get("attribute"), scope, where.child("attribute"));
        JsonNode opNode = node.get("op");
        JsonNode operand = node.get("value");
        if (opNode == null || !opNode.isTextual() || !OPERATORS.contains(opNode.textValue())) {
            problem(
                    where.child("op"),
                    "expected one of " + String.join(", ", OPERATORS) + " but found " + describe(opNode));
            return null;
        }
        if (operand == null) {
            problem(where, "missing \"value\" for operator " + opNode.textValue());
            return null;
        }
        if (attribute == null) {
            return null;
        }
        return operator(opNode.textValue(), attribute, operand, where.child(opNode.textValue()));
    }

    private Condition operator(String op, Attribute attribute, JsonNode operand, Where where) {
        TypeRef type = attribute.type();
        AttributeReader reader = attribute.reader();
        if (type instanceof TypeRef.ListOf list) {
            if (!op.equals("contains")) {
                return notApplicable(op, attribute, where, "list attributes take only contains");
            }
            Object element = value(operand, nullable(list.element()), where);
            return element == null ? null : Condition.listContains(reader, element);
        }
        String name = type.namedType();
        boolean numeric = name.equals("Int") || name.equals("Float");
        boolean text = name.equals("String");
        TypeRef scalar = nullable(type);
        switch (op) {
            case "eq", "ne" -> {
                Object value = value(operand, scalar, where);
                if (value == null) {
                    return null;
                }
                if (numeric) {
                    Condition.Comparison comparison =
                            op.equals("eq") ? Condition.Comparison.EQ : Condition.Comparison.NE;
                    return Condition.numeric(reader, comparison, ((Number) value).doubleValue());
                }
                return Condition.equalTo(reader, value, op.equals("ne"));
            }
            case "in", "notIn" -> {
                Object values = value(operand, new TypeRef.ListOf(scalar, true), where);
                return values == null
                        ? null
                        : Condition.member(reader, new HashSet<>((List<?>) values), op.equals("notIn"));
            }
            case "lt", "lte", "gt", "gte" -> {
                if (!numeric && !text) {
                    return notApplicable(op, attribute, where, "it applies to Int, Float and String attributes");
                }
                Object value = value(operand, scalar, where);
                if (value == null) {
                    return null;
                }
                Condition.Comparison comparison = Condition.Comparison.valueOf(op.toUpperCase(java.util.Locale.ROOT));
                return numeric
                        ? Condition.numeric(reader, comparison, ((Number) value).doubleValue())
                        : Condition.ordered(reader, comparison, (String) value);
            }
            case "matches" -> {
                return text
                        ? pattern(reader, operand, where)
                        : notApplicable(op, attribute, where, "it applies to String attributes");
            }
            default -> {
                if (!text) {
                    return notApplicable(
                            op, attribute, where, "it applies to String attributes, and contains also to lists");
                }
                Object value = value(operand, scalar, where);
                Condition.TextTest test =
                        switch (op) {
                            case "startsWith" -> Condition.TextTest.STARTS_WITH;
                            case "endsWith" -> Condition.TextTest.ENDS_WITH;
                            default -> Condition.TextTest.CONTAINS;
                        };
                return value == null ? null : Condition.text(reader, test, (String) value);
            }
        }
    }

    private Condition pattern(AttributeReader reader, JsonNode operand, Where where) {
        if (!operand.isTextual()) {
            problem(where, "expected a regular expression string but found " + describe(operand));
            return null;
        }
        String pattern = operand.textValue();
        if (pattern.length() > limits.maxPatternLength()) {
            problem(
                    where,
                    "pattern is " + pattern.length() + " characters, over the limit of " + limits.maxPatternLength());
            return null;
        }
        try {
            return Condition.matches(reader, Pattern.compile(pattern));
        } catch (PatternSyntaxException e) {
            problem(where, "invalid pattern " + quote(pattern) + ": " + e.getDescription());
            return null;
        }
    }

    private Condition notApplicable(String op, Attribute attribute, Where where, String hint) {
        problem(
                where,
                "operator " + op + " does not apply to " + attribute.reader().name() + " of type " + attribute.type()
                        + "; " + hint);
        return null;
    }

    // ---- attributes ----

    private record Attribute(AttributeReader reader, TypeRef type) {}

    /** An attribute that can key an override table or a split: a String, enum or Int, not a list. */
    private Attribute keyAttribute(JsonNode node, SchemaField scope, Where where, String usage) {
        Attribute attribute = attribute(node, scope, where);
        if (attribute == null) {
            return null;
        }
        TypeRef type = attribute.type();
        boolean scalarKey = type instanceof TypeRef.Named named
                && (named.name().equals("String")
                        || named.name().equals("Int")
                        || schema.type(named.name()).orElse(null) instanceof EnumTypeDefinition);
        if (!scalarKey) {
            problem(
                    where,
                    usage + " are keyed by String, Int or enum attributes; "
                            + attribute.reader().name() + " is " + type);
            return null;
        }
        return attribute;
    }

    private Attribute attribute(JsonNode node, SchemaField scope, Where where) {
        if (node == null || !node.isTextual()) {
            problem(
                    where,
                    "expected an attribute such as \"context.organization.id\" or \"args.endpoint\" but found "
                            + describe(node));
            return null;
        }
        String name = node.textValue();
        if (name.startsWith("context.")) {
            InputLayout layout = schema.contextLayout();
            InputAttribute attribute =
                    layout.attribute(name.substring("context.".length())).orElse(null);
            if (attribute == null) {
                problem(
                        where,
                        "unknown attribute " + name + "; " + layout.type().name() + " has "
                                + attributeNames("context.", layout));
                return null;
            }
            return new Attribute(AttributeReader.context(name, attribute.slot()), attribute.type());
        }
        if (name.startsWith("args.")) {
            return argumentAttribute(name, scope, where);
        }
        problem(where, "unknown attribute " + name + "; attributes start with \"context.\" or \"args.\"");
        return null;
    }

    private Attribute argumentAttribute(String name, SchemaField scope, Where where) {
        if (scope == null) {
            problem(where, "segments cannot read field arguments (" + name + "); use the argument in the rule");
            return null;
        }
        String rest = name.substring("args.".length());
        int dot = rest.indexOf('.');
        String argumentName = dot < 0 ? rest : rest.substring(0, dot);
        for (PathArgument argument : scope.arguments()) {
            if (!argument.name().equals(argumentName)) {
                continue;
            }
            InputLayout layout = schema.inputLayout(argument.type().namedType()).orElse(null);
            if (layout != null && argument.type() instanceof TypeRef.ListOf) {
                problem(
                        where,
                        "argument " + argumentName + " of " + scope.path() + " is a list of input objects ("
                                + argument.type()
                                + "); conditions read scalars, enums, lists of them and input fields");
                return null;
            }
            if (layout == null) {
                if (dot >= 0) {
                    problem(
                            where,
                            "unknown attribute " + name + "; argument " + argumentName + " is " + argument.type());
                    return null;
                }
                return new Attribute(AttributeReader.argument(name, argument.position()), argument.type());
            }
            InputAttribute attribute =
                    dot < 0 ? null : layout.attribute(rest.substring(dot + 1)).orElse(null);
            if (attribute == null) {
                problem(
                        where,
                        "unknown attribute " + name + "; argument " + argumentName + " has "
                                + attributeNames("args." + argumentName + ".", layout));
                return null;
            }
            return new Attribute(
                    AttributeReader.argumentSlot(name, argument.position(), attribute.slot()), attribute.type());
        }
        List<String> names = new ArrayList<>();
        for (PathArgument argument : scope.arguments()) {
            names.add("args." + argument.name());
        }
        problem(
                where,
                "unknown attribute " + name + "; " + scope.path()
                        + (names.isEmpty() ? " has no arguments" : " has " + String.join(", ", names)));
        return null;
    }

    private static String attributeNames(String prefix, InputLayout layout) {
        List<String> names = new ArrayList<>();
        for (InputAttribute attribute : layout.attributes()) {
            names.add(prefix + attribute.path());
        }
        return names.isEmpty() ? "no attributes" : String.join(", ", names);
    }

    // ---- values ----

    /** The value of {@code node} as a {@code type}, normalized; null (with a problem recorded) if it is not one. */
    private Object value(JsonNode node, TypeRef type, Where where) {
        if (type instanceof TypeRef.ListOf list) {
            if (!node.isArray()) {
                return mismatch(node, "a list " + type, where);
            }
            if (node.size() > limits.maxListLength()) {
                problem(where, "list of " + node.size() + " exceeds the limit of " + limits.maxListLength());
                return null;
            }
            List<Object> values = new ArrayList<>(node.size());
            boolean valid = true;
            for (int i = 0; i < node.size(); i++) {
                Object element = value(node.get(i), list.element(), where.child("[" + i + "]"));
                valid &= element != null;
                values.add(element);
            }
            return valid ? Collections.unmodifiableList(values) : null;
        }
        String name = type.namedType();
        switch (name) {
            case "Boolean":
                return node.isBoolean() ? Boolean.valueOf(node.booleanValue()) : mismatch(node, "a Boolean", where);
            case "Int":
                return node.isIntegralNumber() && node.canConvertToInt()
                        ? Integer.valueOf(node.intValue())
                        : mismatch(node, "an Int", where);
            case "Float":
                return node.isNumber() && Double.isFinite(node.doubleValue())
                        ? Double.valueOf(node.doubleValue())
                        : mismatch(node, "a Float", where);
            case "String":
                return node.isTextual() ? node.textValue() : mismatch(node, "a String", where);
            default:
                break;
        }
        TypeDefinition definition = schema.type(name).orElseThrow();
        if (definition instanceof EnumTypeDefinition enumType) {
            if (!node.isTextual()) {
                return mismatch(node, "a " + name + " value", where);
            }
            if (!enumType.hasValue(node.textValue())) {
                problem(
                        where,
                        "value " + describe(node) + " is not a value of enum " + name + " (" + enumValues(enumType)
                                + ")");
                return null;
            }
            return node.textValue();
        }
        if (!(definition instanceof ObjectTypeDefinition object)) {
            problem(where, "values of input type " + name + " cannot be written in a snapshot");
            return null;
        }
        return objectValue(node, object, where);
    }

    private Object objectValue(JsonNode node, ObjectTypeDefinition type, Where where) {
        if (!node.isObject()) {
            return mismatch(node, "a " + type.name() + " object", where);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        boolean valid = true;
        for (var field : type.fields()) {
            JsonNode child = node.get(field.name());
            if (child == null) {
                problem(where, type.name() + " value is missing field " + field.name());
                valid = false;
                continue;
            }
            Object value = value(child, field.type(), where.child(field.name()));
            valid &= value != null;
            values.put(field.name(), value);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String fieldName = names.next();
            if (type.field(fieldName).isEmpty()) {
                problem(where, type.name() + " has no field " + fieldName);
                valid = false;
            }
        }
        return valid ? Collections.unmodifiableMap(values) : null;
    }

    private static String enumValues(EnumTypeDefinition type) {
        List<String> names = new ArrayList<>();
        for (var value : type.values()) {
            names.add(value.name());
        }
        return String.join(", ", names);
    }

    private Object mismatch(JsonNode node, String expected, Where where) {
        problem(where, "value " + describe(node) + " is not " + expected);
        return null;
    }

    private static TypeRef nullable(TypeRef type) {
        return type instanceof TypeRef.ListOf list
                ? new TypeRef.ListOf(list.element(), false)
                : new TypeRef.Named(type.namedType(), false);
    }

    // ---- outcomes and plans ----

    /** An outcome for {@code value} of {@code field}; object values get prepared outcomes for every descendant. */
    private Outcome outcome(Reason reason, Object value, SchemaField field) {
        int slot = hooks == null ? -1 : hooks.counters().slot(field.path(), reason.label());
        if (!field.isObject()) {
            return Outcome.of(reason, value, slot);
        }
        Outcome[] descendants = new Outcome[descendantCount(field)];
        Map<?, ?> object = (Map<?, ?>) value;
        for (SchemaField child : field.children()) {
            Outcome childOutcome = outcome(reason, object.get(child.name()), child);
            int offset = child.index() - field.index() - 1;
            descendants[offset] = childOutcome;
            System.arraycopy(childOutcome.descendants, 0, descendants, offset + 1, childOutcome.descendants.length);
        }
        return Outcome.ofObject(reason, value, descendants, slot);
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
        for (SchemaField field : fields) {
            ValueKind kind = ValueKind.of(field.type(), schema);
            SchemaField owner = field.parent();
            while (owner != null && !logic.containsKey(owner.index())) {
                owner = owner.parent();
            }
            Outcome noLogic = Outcome.fallback(FallbackCause.NO_LOGIC, "the snapshot has no logic for " + field.path());
            CompiledLogic enclosing = owner == null ? null : logic.get(owner.index());
            int projection = owner == null ? -1 : field.index() - owner.index() - 1;
            plans[field.index()] = new FieldPlan(kind, logic.get(field.index()), enclosing, projection, noLogic);
        }
        return plans;
    }

    // ---- problems ----

    private void knownKeys(JsonNode node, Set<String> allowed, Where where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                List<String> sorted = new ArrayList<>(allowed);
                Collections.sort(sorted);
                problem(where, "unexpected key " + quote(name) + "; expected " + String.join(", ", sorted));
            }
        }
    }

    private void optionalText(JsonNode node, String key, Where where) {
        JsonNode value = node.get(key);
        if (value != null && !value.isTextual()) {
            problem(where.child(key), "expected a string but found " + describe(value));
        }
    }

    private static String keys(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private void problem(Where where, String message) {
        if (problems.size() < MAX_REPORTED_PROBLEMS) {
            problems.add(new SnapshotProblem(where.toString(), message));
        } else {
            droppedProblems++;
        }
    }

    private InvalidSnapshotException failWith(Where where, String message) {
        problem(where, message);
        return failure();
    }

    private InvalidSnapshotException failure() {
        if (droppedProblems > 0) {
            problems.add(new SnapshotProblem("", "and " + droppedProblems + " more problems"));
        }
        return new InvalidSnapshotException(problems);
    }

    static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String describe(JsonNode node) {
        if (node == null) {
            return "nothing";
        }
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.toString();
    }

    /** A problem's location: a field path or a top-level key, then segments such as {@code rule "pro"}. */
    private static final class Where {
        static final Where ROOT = new Where(null, "");

        private final Where parent;
        private final String segment;

        private Where(Where parent, String segment) {
            this.parent = parent;
            this.segment = segment;
        }

        static Where field(String path) {
            return new Where(ROOT, path);
        }

        Where child(String name) {
            return new Where(this, name);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "";
            }
            String head = parent.toString();
            return head.isEmpty() ? segment : head + ": " + segment;
        }
    }
}
