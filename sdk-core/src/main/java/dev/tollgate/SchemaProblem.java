package dev.tollgate;

import java.util.Objects;

/** One problem found in a schema: where it is and what is wrong. */
public record SchemaProblem(SourceLocation location, String message) {

    public SchemaProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
