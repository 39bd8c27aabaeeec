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
 * Condition.all(Condition.eq("context.organization.plan", "PRO"), Condition.not(Condition.segment("churned")))
 * }</pre>
 */
public final class Condition {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode json;

    private Condition(ObjectNode json) {
        this.json = json;
    }

    public static Condition eq(String attribute, Object value) {
        return compare(attribute, "eq", value);
    }

    public static Condition ne(String attribute, Object value) {
        return compare(attribute, "ne", value);
    }

    public static Condition in(String attribute, Collection<?> values) {
        return compare(attribute, "in", List.copyOf(values));
    }

    public static Condition notIn(String attribute, Collection<?> values) {
        return compare(attribute, "notIn", List.copyOf(values));
    }

    public static Condition lt(String attribute, Object value) {
        return compare(attribute, "lt", value);
    }

    public static Condition lte(String attribute, Object value) {
        return compare(attribute, "lte", value);
    }

    public static Condition gt(String attribute, Object value) {
        return compare(attribute, "gt", value);
    }

    public static Condition gte(String attribute, Object value) {
        return compare(attribute, "gte", value);
    }

    public static Condition startsWith(String attribute, String prefix) {
        return compare(attribute, "startsWith", prefix);
    }

    public static Condition endsWith(String attribute, String suffix) {
        return compare(attribute, "endsWith", suffix);
    }

    /** A substring test on a String attribute, or membership in a list attribute. */
    public static Condition contains(String attribute, Object value) {
        return compare(attribute, "contains", value);
    }

    /** An RE2 regular expression that must match somewhere in the attribute. */
    public static Condition matches(String attribute, String pattern) {
        return compare(attribute, "matches", pattern);
    }

    public static Condition all(Condition... parts) {
        return group("all", parts);
    }

    public static Condition any(Condition... parts) {
        return group("any", parts);
    }

    public static Condition not(Condition operand) {
        ObjectNode node = NODES.objectNode();
        node.set("not", operand.json.deepCopy());
        return new Condition(node);
    }

    public static Condition segment(String name) {
        ObjectNode node = NODES.objectNode();
        node.put("segment", Objects.requireNonNull(name, "name"));
        return new Condition(node);
    }

    /** The condition as snapshot JSON. */
    public JsonNode toJson() {
        return json.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && json.equals(c.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json.toString();
    }

    private static Condition compare(String attribute, String op, Object value) {
        ObjectNode node = NODES.objectNode();
        node.put("attribute", Objects.requireNonNull(attribute, "attribute"));
        node.put("op", op);
        node.set("value", JsonValues.toJson(value));
        return new Condition(node);
    }

    private static Condition group(String form, Condition[] parts) {
        ObjectNode node = NODES.objectNode();
        ArrayNode array = node.putArray(form);
        for (Condition part : parts) {
            array.add(part.json.deepCopy());
        }
        return new Condition(node);
    }
}
