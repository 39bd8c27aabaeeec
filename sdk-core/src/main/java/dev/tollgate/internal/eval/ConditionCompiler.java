package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;
import static dev.tollgate.internal.eval.Problems.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.InputLayout;
import dev.tollgate.internal.schema.PathArgument;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeRef;
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

/**
 * Compiles conditions, segments and attribute references: resolves each attribute to a reader and its type, checks
 * each operator against the attribute's type and its operand, and keeps segment references acyclic and their nesting
 * within the depth limit.
 */
final class ConditionCompiler {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:-]*");
    private static final Set<String> SEGMENT_KEYS = Set.of("description", "if");
    private static final List<String> CONDITION_FORMS = List.of("attribute", "all", "any", "not", "segment");
    private static final List<String> OPERATORS = List.of(
            "eq", "ne", "in", "notIn", "lt", "lte", "gt", "gte", "startsWith", "endsWith", "contains", "matches");

    private final SchemaModel schema;
    private final SnapshotLimits limits;
    private final Problems problems;
    private final ValueReader values;
    private final Map<String, JsonNode> segmentNodes = new LinkedHashMap<>();
    private final Map<String, Condition> segments = new HashMap<>();
    private final Deque<String> resolvingSegments = new ArrayDeque<>();

    ConditionCompiler(SchemaModel schema, SnapshotLimits limits, Problems problems, ValueReader values) {
        this.schema = schema;
        this.limits = limits;
        this.problems = problems;
        this.values = values;
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
            JsonNode body = node.get("if");
            if (body == null) {
                problems.add(at, "a segment needs \"if\": the condition its members meet");
            } else {
                condition = condition(body, null, at.child("if"), 1);
            }
        }
        resolvingSegments.pop();
        segments.put(name, condition);
        return condition;
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
        if (opNode == null || !opNode.isTextual() || !OPERATORS.contains(opNode.textValue())) {
            problems.add(
                    where.child("op"),
                    "expected one of " + String.join(", ", OPERATORS) + " but found " + describe(opNode));
            return null;
        }
        if (operand == null) {
            problems.add(where, "missing \"value\" for operator " + opNode.textValue());
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
            Object element = values.value(operand, ValueReader.nullable(list.element()), where);
            return element == null ? null : Condition.listContains(reader, element);
        }
        String name = type.namedType();
        boolean numeric = name.equals("Int") || name.equals("Float");
        boolean text = name.equals("String");
        TypeRef scalar = ValueReader.nullable(type);
        switch (op) {
            case "eq", "ne" -> {
                Object value = values.value(operand, scalar, where);
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
                Object members = values.value(operand, new TypeRef.ListOf(scalar, true), where);
                return members == null
                        ? null
                        : Condition.member(reader, new HashSet<>((List<?>) members), op.equals("notIn"));
            }
            case "lt", "lte", "gt", "gte" -> {
                if (!numeric && !text) {
                    return notApplicable(op, attribute, where, "it applies to Int, Float and String attributes");
                }
                Object value = values.value(operand, scalar, where);
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
                Object value = values.value(operand, scalar, where);
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
            problems.add(where, "expected a regular expression string but found " + describe(operand));
            return null;
        }
        String pattern = operand.textValue();
        if (pattern.length() > limits.maxPatternLength()) {
            problems.add(
                    where,
                    "pattern is " + pattern.length() + " characters, over the limit of " + limits.maxPatternLength());
            return null;
        }
        NestedRepetition.Result scan = NestedRepetition.scan(pattern);
        if (scan.tooLarge()) {
            long repetitions = scan.product();
            problems.add(
                    where,
                    "pattern " + quote(pattern) + " repeats "
                            + (repetitions == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : repetitions)
                            + " times through nested counted repetitions, over the limit of " + NestedRepetition.LIMIT
                            + " (the product of nested {n} counts)");
            return null;
        }
        try {
            return Condition.matches(reader, Pattern.compile(pattern));
        } catch (PatternSyntaxException e) {
            problems.add(where, "invalid pattern " + quote(pattern) + ": " + e.getDescription());
            return null;
        }
    }

    private Condition notApplicable(String op, Attribute attribute, Where where, String hint) {
        problems.add(
                where,
                "operator " + op + " does not apply to " + attribute.reader().name() + " of type " + attribute.type()
                        + "; " + hint);
        return null;
    }

    /** An attribute that can key an override table or a split: a String, enum or Int, not a list. */
    Attribute keyAttribute(JsonNode node, SchemaField scope, Where where, String usage) {
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
