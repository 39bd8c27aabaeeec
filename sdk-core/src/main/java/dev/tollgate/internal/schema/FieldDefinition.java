package dev.tollgate.internal.schema;

import java.util.List;
import java.util.Objects;

/**
 * A field of an object type: an entitlement value or a nested namespace. {@code deprecationReason} is {@code null}
 * unless the field is {@code @deprecated}; {@code constraints} are those of its {@code @range}, {@code @length} and
 * {@code @pattern} directives, {@link ValueConstraints#NONE} without any; {@code meter} is {@code null} unless the field
 * is {@code @metered}.
 */
public record FieldDefinition(
        String name,
        String description,
        TypeRef type,
        List<InputValueDefinition> arguments,
        String deprecationReason,
        ValueConstraints constraints,
        MeterDefinition meter,
        SourceLocation location) {

    public FieldDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        arguments = List.copyOf(arguments);
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(location, "location");
    }

    public boolean metered() {
        return meter != null;
    }

    public boolean deprecated() {
        return deprecationReason != null;
    }
}
