package dev.tollgate.internal.schema;

import java.util.List;

/**
 * A leaf attribute of an input type that conditions can read, such as {@code organization.plan} in {@code Context}.
 * Its slot is the index an {@link dev.tollgate.runtime.InputValue} answers for.
 */
public record InputAttribute(int slot, String path, List<String> segments, TypeRef type) {

    public InputAttribute {
        segments = List.copyOf(segments);
    }
}
