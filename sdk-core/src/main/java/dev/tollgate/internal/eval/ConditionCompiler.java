package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;
import static dev.tollgate.internal.eval.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.InputLayout;
import dev.tollgate.internal.schema.PathArgument;
import dev.tollgate.internal.schema.ScalarType;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles conditions, segments and attribute references: resolves each attribute to a reader and its type, checks
 * each operator against the attribute's type and its operand, and keeps segment references acyclic and their nesting
 * within the depth limit.
 */
final class ConditionCompiler {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]*");
    private static final Set<String> SEGMENT_KEYS = Set.of("description", "from", "until", "if");
    private static final List<String> CONDITION_FORMS = List.of("attribute", "all", "any", "not", "segment");

    private final SchemaModel schema;
    private final SnapshotLimits limits;
    private final Problems problems;
    private final WindowReader windows;
    private final Operator.Compilation operands;
    private final Map<String, JsonNode> segmentNodes = new LinkedHashMap<>();
    private final Map<String, Condition> segments = new HashMap<>();
    private final Deque<String> resolvingSegments = new ArrayDeque<>();

    ConditionCompiler(SchemaModel schema, SnapshotLimits limits, Problems problems, ValueReader values) {
        this.schema = schema;
        this.limits = limits;
        this.problems = problems;
        this.windows = new WindowReader(problems);
        this.operands = new Operator.Compilation(values, limits, problems);
    }

    /** Whether a segment or a condition compiled so far has a time window. */
    boolean readsTime() {
        return windows.anyGiven();
    }

    record Attribute(AttributeReader reader, TypeRef type) {}

    /** Compiles every segment, referenced or not, so that unused segments are validated too. */
    void compileSegments() {
        for (String name : segmentNodes.keySet()) {
            segment(name, Where.ROOT.child("segments").child(name));
        }
    }

    void collectSegments(JsonNode node, Where where) {
        if (node == null) {
            return;
        }
        if (!node.isObject()) {
            problems.add(where, "expected an object of named segments but found " + describe(node));
            return;
        }
        if (node.size() > limits.maxSegments()) {
            problems.add(where, node.size() + " segments exceed the limit of " + limits.maxSegments());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!NAME.matcher(entry.getKey()).matches()) {
                problems.add(where.child(entry.getKey()), "segment names use letters, digits and _ . : -");
            }
            segmentNodes.put(entry.getKey(), entry.getValue());
        }
    }

    /** The compiled condition of a segment, compiling it on first use; null if it is invalid or part of a cycle. */
    Condition segment(String name, Where where) {
        if (segments.containsKey(name)) {
            return segments.get(name);
        }
        if (resolvingSegments.contains(name)) {
            List<String> cycle = new ArrayList<>(resolvingSegments);
            Collections.reverse(cycle);
            cycle = cycle.subList(cycle.indexOf(name), cycle.size());
            problems.add(where, "segment cycle: " + String.join(" -> ", cycle) + " -> " + name);
            return null;
        }
        JsonNode node = segmentNodes.get(name);
        Where at = Where.ROOT.child("segments").child(name);
        if (resolvingSegments.size() >= limits.maxConditionDepth()) {
            problems.add(
                    where,
                    "segments refer to segments deeper than the condition depth limit of "
                            + limits.maxConditionDepth());
            return null;
        }
        resolvingSegments.push(name);
        Condition condition = null;
        if (!node.isObject()) {
            problems.add(at, "expected an object with \"if\" but found " + describe(node));
        } else {
            problems.knownKeys(node, SEGMENT_KEYS, at);
            problems.optionalText(node, "description", at);
            long[] window = windows.window(node, at);
            JsonNode body = node.get("if");
            if (body == null) {
                problems.add(at, "a segment needs \"if\": the condition its members meet");
            } else {
                condition = condition(body, null, at.child("if"), 1);
            }
            condition = condition == null || window == null ? null : windowed(condition, window);
        }
        resolvingSegments.pop();
        segments.put(name, condition);
        return condition;
    }

    private static Condition windowed(Condition condition, long[] window) {
        boolean open = window[0] == Window.OPEN_FROM && window[1] == Window.OPEN_UNTIL;
        return open ? condition : Condition.within(condition, window[0], window[1]);
    }

    Condition condition(JsonNode node, SchemaField scope, Where where, int depth) {
        if (depth > limits.maxConditionDepth()) {
            problems.add(where, "conditions nest deeper than the limit of " + limits.maxConditionDepth());
            return null;
        }
        if (!node.isObject()) {
            problems.add(where, "expected a condition object but found " + describe(node));
            return null;
        }
        String form = null;
        for (String candidate : CONDITION_FORMS) {
            if (node.has(candidate)) {
                if (form != null) {
                    problems.add(
                            where,
                            "a condition has one of attribute, all, any, not, segment; found both " + form + " and "
                                    + candidate);
                    return null;
                }
                form = candidate;
            }
        }
        if (form == null) {
            problems.add(
                    where,
                    "expected one of \"attribute\", \"all\", \"any\", \"not\", \"segment\" but found keys "
                            + Problems.keys(node));
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
        problems.knownKeys(node, Set.of(form), where);
        JsonNode parts = node.get(form);
        if (!parts.isArray() || parts.isEmpty()) {
            problems.add(where.child(form), "expected a non-empty array of conditions but found " + describe(parts));
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
        problems.knownKeys(node, Set.of("not"), where);
        Condition operand = condition(node.get("not"), scope, where.child("not"), depth + 1);
        return operand == null ? null : Condition.not(operand);
    }

    /**
     * A segment's condition, used where it is referenced. A segment is compiled once and shared, so the nesting it
     * adds is checked here: the reference is one level, and the segment's own levels come below it; the total must
     * stay within the limit, which keeps evaluation's recursion bounded however segments are chained.
     */
    private Condition segmentReference(JsonNode node, Where where, int depth) {
        problems.knownKeys(node, Set.of("segment"), where);
        JsonNode name = node.get("segment");
        if (!name.isTextual()) {
            problems.add(where.child("segment"), "expected a segment name but found " + describe(name));
            return null;
        }
        if (!segmentNodes.containsKey(name.textValue())) {
            problems.add(where.child("segment"), "unknown segment " + quote(name.textValue()));
            return null;
        }
        Condition segment = segment(name.textValue(), where.child("segment"));
        if (segment == null) {
            return null;
        }
        Condition reference = Condition.segmentReference(segment);
        if (depth - 1 + reference.height() > limits.maxConditionDepth()) {
            problems.add(
                    where.child("segment"),
                    "conditions nest deeper than the limit of " + limits.maxConditionDepth() + " through segment "
                            + quote(name.textValue()));
            return null;
        }
        return reference;
    }

    private Condition comparison(JsonNode node, SchemaField scope, Where where) {
        problems.knownKeys(node, Set.of("attribute", "op", "value"), where);
        Attribute attribute = attribute(node.get("attribute"), scope, where.child("attribute"));
        JsonNode opNode = node.get("op");
        JsonNode operand = node.get("value");
        Operator operator = opNode != null && opNode.isTextual()
                ? Operator.named(opNode.textValue()).orElse(null)
                : null;
        if (operator == null) {
            problems.add(where.child("op"), "expected one of " + Operator.names() + " but found " + describe(opNode));
            return null;
        }
        if (operand == null) {
            problems.add(where, "missing \"value\" for operator " + operator.jsonName());
            return null;
        }
        if (attribute == null) {
            return null;
        }
        ValueKind kind = ValueKind.of(attribute.type(), schema);
        return operator.compile(
                attribute.reader(), attribute.type(), kind, operand, where.child(operator.jsonName()), operands);
    }

    /** An attribute that can key an override table or a split: a String, enum or Int, not a list. */
    Attribute keyAttribute(JsonNode node, SchemaField scope, Where where, String usage) {
        Attribute attribute = attribute(node, scope, where);
        if (attribute == null) {
            return null;
        }
        TypeRef type = attribute.type();
        boolean scalarKey = type instanceof TypeRef.Named
                && (type.scalar() == ScalarType.STRING
                        || type.scalar() == ScalarType.INT
                        || schema.type(type.namedType()).orElse(null) instanceof EnumTypeDefinition);
        if (!scalarKey) {
            problems.add(
                    where,
                    usage + " are keyed by String, Int or enum attributes; "
                            + attribute.reader().name() + " is " + type);
            return null;
        }
        return attribute;
    }

    private Attribute attribute(JsonNode node, SchemaField scope, Where where) {
        if (node == null || !node.isTextual()) {
            problems.add(
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
                problems.add(
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
        problems.add(where, "unknown attribute " + name + "; attributes start with \"context.\" or \"args.\"");
        return null;
    }

    private Attribute argumentAttribute(String name, SchemaField scope, Where where) {
        if (scope == null) {
            problems.add(where, "segments cannot read field arguments (" + name + "); use the argument in the rule");
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
                problems.add(
                        where,
                        "argument " + argumentName + " of " + scope.path() + " is a list of input objects ("
                                + argument.type()
                                + "); conditions read scalars, enums, lists of them and input fields");
                return null;
            }
            if (layout == null) {
                if (dot >= 0) {
                    problems.add(
                            where,
                            "unknown attribute " + name + "; argument " + argumentName + " is " + argument.type());
                    return null;
                }
                return new Attribute(AttributeReader.argument(name, argument.position()), argument.type());
            }
            InputAttribute attribute =
                    dot < 0 ? null : layout.attribute(rest.substring(dot + 1)).orElse(null);
            if (attribute == null) {
                problems.add(
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
        problems.add(
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
}
