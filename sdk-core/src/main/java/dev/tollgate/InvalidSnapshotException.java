package dev.tollgate;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a snapshot cannot be installed: it is not well-formed JSON, exceeds a limit, or does not validate against
 * the schema. The message lists every problem, one per line. The client keeps the snapshot it had.
 */
public final class InvalidSnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<SnapshotProblem> problems;

    public InvalidSnapshotException(List<SnapshotProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found (up to 200), fields first, then segments. Never empty. */
    public List<SnapshotProblem> problems() {
        return problems;
    }

    private static String format(List<SnapshotProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidSnapshotException needs at least one problem");
        }
        String header =
                problems.size() == 1 ? "invalid snapshot: " : "invalid snapshot (" + problems.size() + " problems):\n";
        return header + problems.stream().map(SnapshotProblem::toString).collect(Collectors.joining("\n"));
    }
}
