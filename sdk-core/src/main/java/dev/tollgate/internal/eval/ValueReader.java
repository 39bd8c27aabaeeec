package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.FieldDefinition;
import dev.tollgate.internal.schema.ObjectTypeDefinition;
import dev.tollgate.internal.schema.ScalarType;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeDefinition;
import dev.tollgate.internal.schema.TypeRef;
import dev.tollgate.internal.schema.ValueConstraints;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads snapshot values against schema types into their normalized Java form: Boolean, Integer (32-bit), Double
 * (finite), String, enum names as String, unmodifiable lists and maps. A value that does not fit is a problem.
 */
final class ValueReader {
    private final SchemaModel schema;
    private final SnapshotLimits limits;
    private final Problems problems;

    ValueReader(SchemaModel schema, SnapshotLimits limits, Problems problems) {
        this.schema = schema;
        this.limits = limits;
        this.problems = problems;
    }

    /**
     * The value of {@code node} for {@code field}: of its type, and within its constraints ({@code @range},
     * {@code @length}, {@code @pattern}, on each element of a list); null, with a problem recorded, if it is not.
     */
    Object fieldValue(JsonNode node, FieldDefinition field, Where where) {
        Object value = value(node, field.type(), where);
        ValueConstraints constraints = field.constraints();
        if (value == null || constraints.isEmpty()) {
            return value;
        }
        if (value instanceof List<?> list) {
            boolean valid = true;
            for (int i = 0; i < list.size(); i++) {
                valid &= within(constraints, list.get(i), where.child("[" + i + "]"));
            }
            return valid ? value : null;
        }
        return within(constraints, value, where) ? value : null;
    }

    private boolean within(ValueConstraints constraints, Object value, Where where) {
        String violation = constraints.violation(value);
        if (violation != null) {
            problems.add(where, violation);
            return false;
        }
        return true;
    }

    /** The value of {@code node} as a {@code type}, normalized; null (with a problem recorded) if it is not one. */
    Object value(JsonNode node, TypeRef type, Where where) {
        if (type instanceof TypeRef.ListOf list) {
            if (!node.isArray()) {
                return mismatch(node, "a list " + type, where);
            }
            if (node.size() > limits.maxListLength()) {
                problems.add(where, "list of " + node.size() + " exceeds the limit of " + limits.maxListLength());
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
        ScalarType scalar = type.scalar();
        if (scalar != null) {
            return scalar(node, scalar, where);
        }
        String name = type.namedType();
        TypeDefinition definition = schema.type(name).orElseThrow();
        if (definition instanceof EnumTypeDefinition enumType) {
            if (!node.isTextual()) {
                return mismatch(node, "a " + name + " value", where);
            }
            if (!enumType.hasValue(node.textValue())) {
                problems.add(
                        where,
                        "value " + describe(node) + " is not a value of enum " + name + " (" + enumValues(enumType)
                                + ")");
                return null;
            }
            return node.textValue();
        }
        if (!(definition instanceof ObjectTypeDefinition object)) {
            problems.add(where, "values of input type " + name + " cannot be written in a snapshot");
            return null;
        }
        return objectValue(node, object, where);
    }

    private Object scalar(JsonNode node, ScalarType scalar, Where where) {
        Object value =
                switch (scalar) {
                    case BOOLEAN -> node.isBoolean() ? Boolean.valueOf(node.booleanValue()) : null;
                    case INT -> node.isIntegralNumber() && node.canConvertToInt()
                            ? Integer.valueOf(node.intValue())
                            : null;
                    case FLOAT -> node.isNumber() && Double.isFinite(node.doubleValue())
                            ? Double.valueOf(node.doubleValue())
                            : null;
                    case STRING -> node.isTextual() ? node.textValue() : null;
                };
        return value != null ? value : mismatch(node, ValueKind.of(scalar).article(), where);
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
                problems.add(where, type.name() + " value is missing field " + field.name());
                valid = false;
                continue;
            }
            Object value = fieldValue(child, field, where.child(field.name()));
            valid &= value != null;
            values.put(field.name(), value);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String fieldName = names.next();
            if (type.field(fieldName).isEmpty()) {
                problems.add(where, type.name() + " has no field " + fieldName);
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
        problems.add(where, (node.isContainerNode() ? "" : "value ") + describe(node) + " is not " + expected);
        return null;
    }

    static TypeRef nullable(TypeRef type) {
        return type instanceof TypeRef.ListOf list
                ? new TypeRef.ListOf(list.element(), false)
                : new TypeRef.Named(type.namedType(), false);
    }
}
