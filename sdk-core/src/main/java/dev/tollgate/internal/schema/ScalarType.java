package dev.tollgate.internal.schema;

import java.util.Optional;

/** The built-in scalar types a schema may use. */
public enum ScalarType {
    BOOLEAN("Boolean"),
    INT("Int"),
    FLOAT("Float"),
    STRING("String");

    private final String graphqlName;

    ScalarType(String graphqlName) {
        this.graphqlName = graphqlName;
    }

    /** The name used in SDL, for example {@code Int}. */
    public String graphqlName() {
        return graphqlName;
    }

    /** The scalar named {@code name} in SDL, if it is one. */
    public static Optional<ScalarType> byName(String name) {
        for (ScalarType type : values()) {
            if (type.graphqlName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
