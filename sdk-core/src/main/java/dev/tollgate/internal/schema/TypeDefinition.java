package dev.tollgate.internal.schema;

/** A named type declared in a schema: an object type, an input type or an enum. */
public sealed interface TypeDefinition permits ObjectTypeDefinition, InputTypeDefinition, EnumTypeDefinition {

    String name();

    /** The description written before the declaration, or {@code null}. */
    String description();

    SourceLocation location();
}
