package dev.tollgate.internal.schema;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An {@code input} declaration: the shape of a context or of a structured field argument. */
public record InputTypeDefinition(
        String name, String description, List<InputValueDefinition> fields, SourceLocation location)
        implements TypeDefinition {

    public InputTypeDefinition {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
        Objects.requireNonNull(location, "location");
    }

    /** The input field called {@code fieldName}, if declared. */
    public Optional<InputValueDefinition> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }
}
