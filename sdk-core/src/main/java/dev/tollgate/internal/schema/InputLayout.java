package dev.tollgate.internal.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The readable attributes of an input type, flattened through nested input types, each with a dense slot index.
 * Attributes are scalars, enums and lists of them; a list of input objects is carried by the type but is not an
 * attribute.
 */
public final class InputLayout {
    private final InputTypeDefinition type;
    private final List<InputAttribute> attributes;
    private final Map<String, InputAttribute> byPath;

    InputLayout(InputTypeDefinition type, List<InputAttribute> attributes) {
        this.type = type;
        this.attributes = List.copyOf(attributes);
        this.byPath = this.attributes.stream()
                .collect(Collectors.toUnmodifiableMap(InputAttribute::path, Function.identity()));
    }

    public InputTypeDefinition type() {
        return type;
    }

    /** The attributes in slot order. */
    public List<InputAttribute> attributes() {
        return attributes;
    }

    /** The attribute at a dotted path such as {@code organization.id}. */
    public Optional<InputAttribute> attribute(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public int size() {
        return attributes.size();
    }
}
