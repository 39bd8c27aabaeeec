package dev.tollgate.internal.schema;

import java.util.List;

/**
 * One field path reachable from the root type, such as {@code entitlements.maxTeamSize}. Leaf paths carry values
 * (scalars, enums and lists of them); object paths are namespaces whose whole value may also be given at once.
 *
 * <p>Indices are dense, assigned depth-first in declaration order, and stable for a given schema: generated code and
 * compiled snapshots address fields by index.
 */
public final class SchemaField {
    private final int index;
    private final String path;
    private final FieldDefinition definition;
    private final SchemaField parent;
    private final List<PathArgument> arguments;
    private final ObjectTypeDefinition objectType;
    private List<SchemaField> children = List.of();

    SchemaField(
            int index,
            String path,
            FieldDefinition definition,
            SchemaField parent,
            List<PathArgument> arguments,
            ObjectTypeDefinition objectType) {
        this.index = index;
        this.path = path;
        this.definition = definition;
        this.parent = parent;
        this.arguments = List.copyOf(arguments);
        this.objectType = objectType;
    }

    public int index() {
        return index;
    }

    /** The dotted path from the root, for example {@code entitlements.maxTeamSize}. */
    public String path() {
        return path;
    }

    public String name() {
        return definition.name();
    }

    public FieldDefinition definition() {
        return definition;
    }

    public TypeRef type() {
        return definition.type();
    }

    /** The enclosing object field, or {@code null} for a field of the root type. */
    public SchemaField parent() {
        return parent;
    }

    /**
     * Every argument visible on this path, outermost field first: the arguments of each enclosing field, then this
     * field's own. Argument values are passed to the evaluator in this order.
     */
    public List<PathArgument> arguments() {
        return arguments;
    }

    /** Whether this field's type is an object type (a namespace), rather than a value. */
    public boolean isObject() {
        return objectType != null;
    }

    /** The object type of this field, or {@code null} for a leaf. */
    public ObjectTypeDefinition objectType() {
        return objectType;
    }

    /** The fields of this field's object type, in declaration order; empty for a leaf. */
    public List<SchemaField> children() {
        return children;
    }

    void children(List<SchemaField> children) {
        this.children = List.copyOf(children);
    }

    @Override
    public String toString() {
        return path + ": " + definition.type();
    }
}
