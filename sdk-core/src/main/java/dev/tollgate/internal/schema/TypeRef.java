package dev.tollgate.internal.schema;

import java.util.Objects;

/** A reference to a type as written at a use site: a named type or a list, either of them possibly non-null. */
public sealed interface TypeRef permits TypeRef.Named, TypeRef.ListOf {

    /** Whether the reference ends in {@code !}. */
    boolean nonNull();

    /** The innermost named type, for example {@code String} for {@code [String!]!}. */
    String namedType();

    /**
     * The built-in scalar the innermost named type is, for example {@link ScalarType#STRING} for {@code [String!]!}, or
     * {@code null} when it names an enum, input or object type. Resolved once, when the reference is made; code that
     * needs to know which scalar a type is switches on this instead of comparing type names.
     */
    ScalarType scalar();

    /**
     * A named type such as {@code Int!} or {@code Plan}, with the scalar it names resolved from its name (a schema may
     * not declare a type under a scalar's name, so the name alone decides).
     */
    record Named(String name, boolean nonNull, ScalarType scalar) implements TypeRef {
        public Named {
            Objects.requireNonNull(name, "name");
            if (scalar != ScalarType.byName(name).orElse(null)) {
                throw new IllegalArgumentException("type " + name + " is not the scalar " + scalar);
            }
        }

        public Named(String name, boolean nonNull) {
            this(name, nonNull, ScalarType.byName(name).orElse(null));
        }

        @Override
        public String namedType() {
            return name;
        }

        @Override
        public String toString() {
            return nonNull ? name + "!" : name;
        }
    }

    /** A list type such as {@code [String!]!}. */
    record ListOf(TypeRef element, boolean nonNull) implements TypeRef {
        public ListOf {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String namedType() {
            return element.namedType();
        }

        @Override
        public ScalarType scalar() {
            return element.scalar();
        }

        @Override
        public String toString() {
            return "[" + element + "]" + (nonNull ? "!" : "");
        }
    }
}
