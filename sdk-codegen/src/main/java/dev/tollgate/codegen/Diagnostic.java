package dev.tollgate.codegen;

import dev.tollgate.SchemaProblem;
import java.util.Objects;

/**
 * Something the generator has to say about the schema or the request: an error that stops generation, or a warning.
 *
 * @param severity whether generation can go on
 * @param file the schema file it is about, or {@code null} when it is about the request as a whole
 * @param line the 1-based line in that file, 0 without a file
 * @param column the 1-based column, 0 without a file
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
        Objects.requireNonNull(message, "message");
    }

    /** A schema problem that stops generation. */
    public static Diagnostic error(SchemaProblem problem) {
        return of(Severity.ERROR, problem);
    }

    /** A problem with the request as a whole (for example its configuration) that stops generation. */
    public static Diagnostic error(String message) {
        return new Diagnostic(Severity.ERROR, null, 0, 0, message);
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

    /** {@code file:line:col: message}, or just the message when there is no file. */
    @Override
    public String toString() {
        return file == null ? message : file + ":" + line + ":" + column + ": " + message;
    }
}
