package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.EnumValueDefinition;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.MeterDefinition;
import dev.tollgate.internal.schema.PathArgument;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeDefinition;
import dev.tollgate.internal.schema.TypeRef;
import dev.tollgate.internal.schema.ValueConstraints;

/**
 * The schema as the dashboard needs it to build forms: every field path with its type, arguments and description (and,
 * for a metered field, what its usage is counted by and over), and every context attribute that rules and override
 * tables can read, with enum values spelled out.
 */
final class SchemaJson {
    private SchemaJson() {}

    /** A field's {@code @range}, {@code @length} and {@code @pattern}, for the dashboard's inputs; absent keys when unset. */
    private static void constraints(ValueConstraints constraints, ObjectNode node) {
        if (constraints.isEmpty()) {
            return;
        }
        ObjectNode out = node.putObject("constraints");
        if (constraints.min() != null) {
            out.put("min", constraints.min());
        }
        if (constraints.max() != null) {
            out.put("max", constraints.max());
        }
        if (constraints.minLength() != null) {
            out.put("minLength", constraints.minLength());
        }
        if (constraints.maxLength() != null) {
            out.put("maxLength", constraints.maxLength());
        }
        if (constraints.pattern() != null) {
            out.put("pattern", constraints.pattern().pattern());
        }
        out.put("description", constraints.describe());
    }

    /**
     * A field's {@code @metered} as {@code "metered": {"period": "DAY", "by": "context.organization.id"}}: the UTC
     * calendar period usage is counted over and the context attribute it is counted by, with {@code "window":
     * "ROLLING"} when the limit holds over a rolling window; absent when the field is not metered.
     */
    private static void metered(MeterDefinition meter, ObjectNode node) {
        if (meter == null) {
            return;
        }
        ObjectNode out = node.putObject("metered");
        out.put("period", meter.period().name());
        out.put("by", MeterDefinition.CONTEXT_PREFIX + meter.contextPath());
        if (meter.rolling()) {
            out.put("window", "ROLLING");
        }
    }

    static ArrayNode fields(SchemaModel schema) {
        ArrayNode fields = Json.array();
        for (SchemaField field : schema.fields()) {
            ObjectNode node = fields.addObject();
            node.put("path", field.path());
            node.put("type", field.type().toString());
            node.put("object", field.isObject());
            node.put("description", field.definition().description());
            node.put("deprecationReason", field.definition().deprecationReason());
            constraints(field.definition().constraints(), node);
            metered(field.definition().meter(), node);
            ArrayNode arguments = node.putArray("arguments");
            for (PathArgument argument : field.arguments()) {
                ObjectNode a = arguments.addObject();
                a.put("name", argument.name());
                a.put("type", argument.type().toString());
                a.put("attribute", "args." + argument.name());
                a.put("declaredOn", argument.declaringPath());
            }
            enumValues(schema, field.type(), node);
        }
        return fields;
    }

    static ArrayNode contextAttributes(SchemaModel schema) {
        ArrayNode attributes = Json.array();
        for (InputAttribute attribute : schema.contextLayout().attributes()) {
            ObjectNode node = attributes.addObject();
            node.put("attribute", "context." + attribute.path());
            node.put("type", attribute.type().toString());
            enumValues(schema, attribute.type(), node);
        }
        return attributes;
    }

    private static void enumValues(SchemaModel schema, TypeRef type, ObjectNode node) {
        TypeDefinition definition = schema.type(type.namedType()).orElse(null);
        if (definition instanceof EnumTypeDefinition enumType) {
            ArrayNode values = node.putArray("enumValues");
            for (EnumValueDefinition value : enumType.values()) {
                values.add(value.name());
            }
        }
    }
}
