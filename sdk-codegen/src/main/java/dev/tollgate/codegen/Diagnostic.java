package dev.tollgate.codegen;

import dev.tollgate.SourceLocation;
import java.util.Objects;

/**
 * Something the generator has to say about the schema or the request: an error that stops generation, or a warning.
 *
 * @param severity whether generation can go on
 * @param location where in the schema, or {@code null} when the diagnostic is about the request as a whole
 * @param message what is wrong and, where possible, how to fix it
 */
public record Diagnostic(Severity severity, SourceLocation location, String message) {

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

    public static Diagnostic error(SourceLocation location, String message) {
        return new Diagnostic(Severity.ERROR, location, message);
    }

    public static Diagnostic warning(SourceLocation location, String message) {
        return new Diagnostic(Severity.WARNING, location, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:col: message}, or just the message when there is no location. */
    @Override
    public String toString() {
        return location == null ? message : location + ": " + message;
    }
}
