package dev.tollgate.internal.schema;

import java.util.Objects;

/** One value of an enum; {@code deprecationReason} is {@code null} unless the value is {@code @deprecated}. */
public record EnumValueDefinition(String name, String description, String deprecationReason, SourceLocation location) {

    public EnumValueDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
    }

    public boolean deprecated() {
        return deprecationReason != null;
    }
}
