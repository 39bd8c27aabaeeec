package dev.tollgate.codegen;

import dev.tollgate.SchemaProblem;
import java.util.Objects;

/**
 * Something the generator has to say about the schema: an error that stops generation, or a warning.
 *
 * @param severity whether generation can go on
 * @param file the schema file it is about
 * @param line the 1-based line in that file
 * @param column the 1-based column
 * @param message what is wrong and, where possible, how to fix it
 */
public record Diagnostic(Severity severity, String file, int line, int column, String message) {

    /** How serious a diagnostic is. */
    public enum Severity {
        /** Nothing is generated. */
        ERROR,
        /** Generation goes on. */
        WARNING
    }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** A schema problem that stops generation. */
    public static Diagnostic error(SchemaProblem problem) {
        return of(Severity.ERROR, problem);
    }

    /** A schema problem generation goes on despite. */
    public static Diagnostic warning(SchemaProblem problem) {
        return of(Severity.WARNING, problem);
    }

    private static Diagnostic of(Severity severity, SchemaProblem problem) {
        return new Diagnostic(severity, problem.file(), problem.line(), problem.column(), problem.message());
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
