package dev.tollgate.internal.schema;

import java.util.Objects;

/** A field of an input type or an argument of a field. */
public record InputValueDefinition(
        String name, String description, TypeRef type, String deprecationReason, SourceLocation location) {

    public InputValueDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(location, "location");
    }

    public boolean deprecated() {
        return deprecationReason != null;
    }
}
