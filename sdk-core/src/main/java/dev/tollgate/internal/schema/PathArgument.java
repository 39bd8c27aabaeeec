package dev.tollgate.internal.schema;

/**
 * An argument visible on a field path: its position in the path's argument array, its definition, and the path of the
 * field that declares it.
 */
public record PathArgument(int position, InputValueDefinition definition, String declaringPath) {

    public String name() {
        return definition.name();
    }

    public TypeRef type() {
        return definition.type();
    }
}
