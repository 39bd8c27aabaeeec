package dev.tollgate.internal.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A {@code type} declaration: a namespace of entitlement fields. */
public record ObjectTypeDefinition(
        String name, String description, List<FieldDefinition> fields, SourceLocation location)
        implements TypeDefinition {

    public ObjectTypeDefinition {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
        Objects.requireNonNull(location, "location");
    }

    /** The field called {@code fieldName}, if declared. */
    public Optional<FieldDefinition> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}
