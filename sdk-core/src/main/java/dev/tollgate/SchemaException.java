package dev.tollgate;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a schema cannot be parsed or does not describe a valid Tollgate schema. The message lists every problem
 * found, one per line, each as {@code file:line:col: cause}.
 */
public final class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<SchemaProblem> problems;

    public SchemaException(List<SchemaProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in source order. Never empty. */
    public List<SchemaProblem> problems() {
        return problems;
    }

    private static String format(List<SchemaProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SchemaException needs at least one problem");
        }
        return problems.stream().map(SchemaProblem::toString).collect(Collectors.joining("\n"));
    }
}
