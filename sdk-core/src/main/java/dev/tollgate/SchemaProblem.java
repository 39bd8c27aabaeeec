package dev.tollgate;

import java.util.Objects;

/**
 * One problem found in a schema: where it is and what is wrong.
 *
 * @param file the schema source's name, as given to {@link Schema#parse(String, String)} or the file's path
 * @param line the 1-based line
 * @param column the 1-based column
 * @param message what is wrong and, where possible, how to fix it
 */
public record SchemaProblem(String file, int line, int column, String message) {

    public SchemaProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** Where the problem is, as {@code file:line:col}. */
    public String location() {
        return file + ":" + line + ":" + column;
    }

    /** {@code file:line:col: message}. */
    @Override
    public String toString() {
        return location() + ": " + message;
    }
}
