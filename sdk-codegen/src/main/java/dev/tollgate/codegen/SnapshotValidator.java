package dev.tollgate.codegen;

import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.LoadResult;
import dev.tollgate.Schema;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SnapshotProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a snapshot against a schema exactly as a client does before installing it, for teams that keep their logic in
 * Git and check it in CI.
 */
public final class SnapshotValidator {

    private SnapshotValidator() {}

    /** Validates with the default {@link SnapshotLimits}. */
    public static ValidationResult validate(Schema schema, byte[] snapshot) {
        return validate(schema, SnapshotLimits.defaults(), snapshot);
    }

    public static ValidationResult validate(Schema schema, SnapshotLimits limits, byte[] snapshot) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(snapshot, "snapshot");
        LoadResult compiled;
        try {
            compiled = schema.validateSnapshot(snapshot, limits);
        } catch (InvalidSnapshotException e) {
            return new ValidationResult(e.problems(), List.of(), 0, null);
        }
        List<String> warnings = new ArrayList<>();
        if (!compiled.schemaHashMatches()) {
            warnings.add("the snapshot declares schema " + compiled.schemaHash() + " but the schema is " + schema.hash()
                    + "; it validates against the schema as a whole, so clients install it, but it was written for"
                    + " another version of the schema");
        }
        return new ValidationResult(List.of(), warnings, compiled.revision(), compiled.schemaHash());
    }

    /**
     * What validation found.
     *
     * @param problems every problem, each naming the flag path; empty when the snapshot is valid
     * @param warnings things worth knowing about a valid snapshot, such as a schema hash from another schema version
     * @param revision the snapshot's revision, or 0 when it is invalid
     * @param schemaHash the schema hash the snapshot declares, or {@code null} when it is invalid
     */
    public record ValidationResult(
            List<SnapshotProblem> problems, List<String> warnings, long revision, String schemaHash) {

        public ValidationResult {
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        public boolean valid() {
            return problems.isEmpty();
        }
    }
}
