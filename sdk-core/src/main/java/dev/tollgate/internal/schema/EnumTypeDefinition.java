package dev.tollgate.internal.schema;

import java.util.List;
import java.util.Objects;

/** An {@code enum} declaration. */
public record EnumTypeDefinition(
        String name, String description, List<EnumValueDefinition> values, SourceLocation location)
        implements TypeDefinition {

    public EnumTypeDefinition {
        Objects.requireNonNull(name, "name");
        values = List.copyOf(values);
        Objects.requireNonNull(location, "location");
    }

    /** Whether {@code valueName} is one of the enum's values. */
    public boolean hasValue(String valueName) {
        for (EnumValueDefinition value : values) {
            if (value.name().equals(valueName)) {
                return true;
            }
        }
        return false;
    }
}
