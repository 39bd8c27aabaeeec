package dev.tollgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A rule or segment condition for {@link SnapshotBuilder}, written in Java instead of JSON. Attributes are named as in
 * snapshots: {@code context.organization.plan}, {@code args.endpoint}. Immutable.
 *
 * <pre>{@code
 * ConditionSpec.all(ConditionSpec.eq("context.organization.plan", "PRO"), ConditionSpec.not(ConditionSpec.segment("churned")))
 * }</pre>
 */
public final class ConditionSpec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode json;

    private ConditionSpec(ObjectNode json) {
        this.json = json;
    }

    public static ConditionSpec eq(String attribute, Object value) {
        return compare(attribute, "eq", value);
    }

    public static ConditionSpec ne(String attribute, Object value) {
        return compare(attribute, "ne", value);
    }

    public static ConditionSpec in(String attribute, Collection<?> values) {
        return compare(attribute, "in", List.copyOf(values));
    }

    public static ConditionSpec notIn(String attribute, Collection<?> values) {
        return compare(attribute, "notIn", List.copyOf(values));
    }

    public static ConditionSpec lt(String attribute, Object value) {
        return compare(attribute, "lt", value);
    }

    public static ConditionSpec lte(String attribute, Object value) {
        return compare(attribute, "lte", value);
    }

    public static ConditionSpec gt(String attribute, Object value) {
        return compare(attribute, "gt", value);
    }

    public static ConditionSpec gte(String attribute, Object value) {
        return compare(attribute, "gte", value);
    }

    public static ConditionSpec startsWith(String attribute, String prefix) {
        return compare(attribute, "startsWith", prefix);
    }

    public static ConditionSpec endsWith(String attribute, String suffix) {
        return compare(attribute, "endsWith", suffix);
    }

    /** A substring test on a String attribute, or membership in a list attribute. */
    public static ConditionSpec contains(String attribute, Object value) {
        return compare(attribute, "contains", value);
    }

    /** An RE2 regular expression that must match somewhere in the attribute. */
    public static ConditionSpec matches(String attribute, String pattern) {
        return compare(attribute, "matches", pattern);
    }

    public static ConditionSpec all(ConditionSpec... parts) {
        return group("all", parts);
    }

    public static ConditionSpec any(ConditionSpec... parts) {
        return group("any", parts);
    }

    public static ConditionSpec not(ConditionSpec operand) {
        ObjectNode node = NODES.objectNode();
        node.set("not", operand.json.deepCopy());
        return new ConditionSpec(node);
    }

    public static ConditionSpec segment(String name) {
        ObjectNode node = NODES.objectNode();
        node.put("segment", Objects.requireNonNull(name, "name"));
        return new ConditionSpec(node);
    }

    /** The condition as snapshot JSON. */
    public JsonNode toJson() {
        return json.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConditionSpec c && json.equals(c.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json.toString();
    }

    private static ConditionSpec compare(String attribute, String op, Object value) {
        ObjectNode node = NODES.objectNode();
        node.put("attribute", Objects.requireNonNull(attribute, "attribute"));
        node.put("op", op);
        node.set("value", JsonValues.toJson(value));
        return new ConditionSpec(node);
    }

    private static ConditionSpec group(String form, ConditionSpec[] parts) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray(form);
        for (ConditionSpec part : parts) {
            array.add(part.json.deepCopy());
        }
        return new ConditionSpec(node);
    }
}
