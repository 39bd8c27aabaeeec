package dev.tollgate.internal.schema;

import dev.tollgate.SchemaProblem;
import java.util.Objects;

/**
 * A position in a schema source: file name, 1-based line and 1-based column. Printed as {@code file:line:col}.
 */
public record SourceLocation(String file, int line, int column) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    /** A problem found at this position. */
    public SchemaProblem problem(String message) {
        return new SchemaProblem(file, line, column, message);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
