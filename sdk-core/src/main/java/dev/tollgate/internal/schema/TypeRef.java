package dev.tollgate.internal.schema;

import java.util.Objects;

/** A reference to a type as written at a use site: a named type or a list, either of them possibly non-null. */
public sealed interface TypeRef permits TypeRef.Named, TypeRef.ListOf {

    /** Whether the reference ends in {@code !}. */
    boolean nonNull();

    /** The innermost named type, for example {@code String} for {@code [String!]!}. */
    String namedType();

    /** A named type such as {@code Int!} or {@code Plan}. */
    record Named(String name, boolean nonNull) implements TypeRef {
        public Named {
            Objects.requireNonNull(name, "name");
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
        public String toString() {
            return "[" + element + "]" + (nonNull ? "!" : "");
        }
    }
}
