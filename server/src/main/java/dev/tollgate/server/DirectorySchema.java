package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.EnumValueDefinition;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.ScalarType;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the current schema allows in the organization directory: the values of {@code context.organization.plan} and
 * the context attributes a row may carry, with their types. Before the first schema upload anything goes: any plan
 * text, any attribute as text.
 */
final class DirectorySchema {
    /** The context attribute the directory's id is the value of. */
    static final String KEY = "organization.id";
    /** The context attribute the directory's plan is the value of. */
    static final String PLAN = "organization.plan";

    /** One attribute's type: the reference as written and, for an enum, its values. */
    private record Type(TypeRef ref, List<String> enumValues) {}

    private final boolean known;
    private final Map<String, Type> attributes;

    private DirectorySchema(boolean known, Map<String, Type> attributes) {
        this.known = known;
        this.attributes = attributes;
    }

    /** The rules of {@code schema}, or the anything-goes rules when it is null (no schema uploaded yet). */
    static DirectorySchema of(SchemaModel schema) {
        if (schema == null) {
            return new DirectorySchema(false, Map.of());
        }
        Map<String, Type> attributes = new LinkedHashMap<>();
        for (InputAttribute attribute : schema.contextLayout().attributes()) {
            attributes.put(attribute.path(), new Type(attribute.type(), enumValues(schema, attribute.type())));
        }
        return new DirectorySchema(true, attributes);
    }

    private static List<String> enumValues(SchemaModel schema, TypeRef type) {
        return schema.type(type.namedType())
                .filter(EnumTypeDefinition.class::isInstance)
                .map(t -> ((EnumTypeDefinition) t)
                        .values().stream().map(EnumValueDefinition::name).toList())
                .orElse(null);
    }

    /** Whether rows need a plan: the schema declares {@code organization.plan}. */
    boolean requiresPlan() {
        return attributes.containsKey(PLAN);
    }

    /** Whether a schema's Context lets the directory hold a plan at all (before any schema, it does). */
    boolean allowsPlan() {
        return !known || requiresPlan();
    }

    /** Why {@code plan} is not a value of the plan's type, or null when it is. */
    String planProblem(String plan) {
        Type type = attributes.get(PLAN);
        if (type == null || type.enumValues() == null || type.enumValues().contains(plan)) {
            return null;
        }
        return "plan \"" + plan + "\" is not one of " + String.join(", ", type.enumValues());
    }

    /** Why {@code path} cannot be an attribute column or key, or null when it can. */
    String attributeProblem(String path) {
        if (path.equals(KEY) || path.equals(PLAN)) {
            return "\"" + path + "\" is the " + (path.equals(KEY) ? "id" : "plan") + " column, not an attribute";
        }
        if (!known) {
            return null;
        }
        Type type = attributes.get(path);
        if (type == null) {
            return "\"" + path + "\" is not an attribute of the schema's Context; it has "
                    + String.join(", ", attributeNames());
        }
        if (type.ref() instanceof TypeRef.ListOf) {
            return "\"" + path + "\" is a list (" + type.ref() + "); the directory holds single values";
        }
        return null;
    }

    private List<String> attributeNames() {
        return attributes.keySet().stream()
                .filter(p -> !p.equals(KEY) && !p.equals(PLAN))
                .toList();
    }

    /**
     * The value of attribute {@code path} (already checked with {@link #attributeProblem}) as stored, from JSON or
     * from CSV text; throws {@link IllegalArgumentException} saying what the type needs.
     */
    JsonNode value(String path, JsonNode given) {
        Type type = known ? attributes.get(path) : null;
        if (type == null) {
            return text(path, given);
        }
        if (type.enumValues() != null) {
            String value = text(path, given).asText();
            if (!type.enumValues().contains(value)) {
                throw new IllegalArgumentException(
                        path + " \"" + value + "\" is not one of " + String.join(", ", type.enumValues()));
            }
            return TextNode.valueOf(value);
        }
        return scalar(path, type.ref().scalar(), given);
    }

    private static JsonNode scalar(String path, ScalarType scalar, JsonNode given) {
        if (scalar == ScalarType.INT) {
            return IntNode.valueOf(integer(path, given));
        }
        if (scalar == ScalarType.FLOAT) {
            return DoubleNode.valueOf(number(path, given));
        }
        if (scalar == ScalarType.BOOLEAN) {
            return BooleanNode.valueOf(bool(path, given));
        }
        return text(path, given);
    }

    private static TextNode text(String path, JsonNode given) {
        if (!given.isTextual()) {
            throw new IllegalArgumentException(path + " must be text, was " + given);
        }
        return TextNode.valueOf(given.asText());
    }

    private static int integer(String path, JsonNode given) {
        if (given.isIntegralNumber() && given.canConvertToInt()) {
            return given.intValue();
        }
        try {
            if (given.isTextual()) {
                return Integer.parseInt(given.asText().strip());
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(path + " must be a whole number (Int), was " + given);
    }

    private static double number(String path, JsonNode given) {
        if (given.isNumber()) {
            return given.doubleValue();
        }
        try {
            double value = given.isTextual() ? Double.parseDouble(given.asText().strip()) : Double.NaN;
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(path + " must be a number (Float), was " + given);
    }

    private static boolean bool(String path, JsonNode given) {
        if (given.isBoolean()) {
            return given.booleanValue();
        }
        String text = given.isTextual() ? given.asText().strip() : "";
        if (text.equals("true") || text.equals("false")) {
            return text.equals("true");
        }
        throw new IllegalArgumentException(path + " must be true or false (Boolean), was " + given);
    }
}
