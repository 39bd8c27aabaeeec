package dev.tollgate;

import java.util.Objects;

/**
 * One problem found in a snapshot: where (for example {@code entitlements.maxTeamSize: rule "pro"}) and what ({@code
 * value "twenty" is not an Int}). Printed as {@code path: message}.
 */
public record SnapshotProblem(String path, String message) {

    public SnapshotProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
