package dev.tollgate.internal.eval;

import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.ObjectTypeDefinition;
import dev.tollgate.internal.schema.ScalarType;
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
        ScalarType scalar = type.scalar();
        if (scalar != null) {
            return of(scalar);
        }
        var definition = schema.type(type.namedType()).orElseThrow();
        if (definition instanceof EnumTypeDefinition) {
            return ENUM;
        }
        if (definition instanceof ObjectTypeDefinition) {
            return OBJECT;
        }
        throw new IllegalArgumentException("no value kind for input type " + type.namedType());
    }

    public static ValueKind of(ScalarType scalar) {
        return switch (scalar) {
            case BOOLEAN -> BOOLEAN;
            case INT -> INT;
            case FLOAT -> FLOAT;
            case STRING -> STRING;
        };
    }

    /** The name used in messages, such as {@code an Int}. */
    public String article() {
        return ("AEIOUaeiou".indexOf(label().charAt(0)) >= 0 ? "an " : "a ") + label();
    }

    /** The type's name in messages: the scalar's name in a schema, {@code enum}, {@code list} or {@code object}. */
    public String label() {
        return switch (this) {
            case BOOLEAN -> ScalarType.BOOLEAN.graphqlName();
            case INT -> ScalarType.INT.graphqlName();
            case FLOAT -> ScalarType.FLOAT.graphqlName();
            case STRING -> ScalarType.STRING.graphqlName();
            case ENUM -> "enum";
            case LIST -> "list";
            case OBJECT -> "object";
        };
    }

    /** Whether values of this kind are numbers, which compare arithmetically. */
    public boolean isNumber() {
        return this == INT || this == FLOAT;
    }
}
