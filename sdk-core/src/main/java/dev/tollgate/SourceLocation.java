package dev.tollgate;

import java.util.Objects;

/**
 * A position in a schema source: file name, 1-based line and 1-based column. Printed as {@code file:line:col}.
 */
public record SourceLocation(String file, int line, int column) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
