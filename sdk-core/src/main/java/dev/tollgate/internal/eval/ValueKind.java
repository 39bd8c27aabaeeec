package dev.tollgate.internal.eval;

import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.ObjectTypeDefinition;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.TypeRef;

/** The broad kind of a field's value, which decides which accessor may read it. */
public enum ValueKind {
    BOOLEAN,
    INT,
    FLOAT,
    STRING,
    ENUM,
    LIST,
    OBJECT;

    public static ValueKind of(TypeRef type, SchemaModel schema) {
        if (type instanceof TypeRef.ListOf) {
            return LIST;
        }
        String name = type.namedType();
        return switch (name) {
            case "Boolean" -> BOOLEAN;
            case "Int" -> INT;
            case "Float" -> FLOAT;
            case "String" -> STRING;
            default -> {
                var definition = schema.type(name).orElseThrow();
                if (definition instanceof EnumTypeDefinition) {
                    yield ENUM;
                }
                if (definition instanceof ObjectTypeDefinition) {
                    yield OBJECT;
                }
                throw new IllegalArgumentException("no value kind for input type " + name);
            }
        };
    }

    /** The name used in messages, such as {@code an Int}. */
    public String article() {
        return switch (this) {
            case BOOLEAN -> "a Boolean";
            case INT -> "an Int";
            case FLOAT -> "a Float";
            case STRING -> "a String";
            case ENUM -> "an enum";
            case LIST -> "a list";
            case OBJECT -> "an object";
        };
    }
}
