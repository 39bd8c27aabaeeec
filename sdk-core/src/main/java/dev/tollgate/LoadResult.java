package dev.tollgate;

import java.util.Objects;

/**
 * What loading a snapshot did: installed it, found it unchanged or older than the one installed, or rejected it.
 * {@link TollgateClient#loadSnapshot(byte[])} throws {@link InvalidSnapshotException} for a snapshot it cannot install, so it never
 * returns {@link Status#REJECTED}; a {@link dev.tollgate.spi.SourceContext#deliver delivery} from a source never
 * throws and reports the rejection here instead.
 *
 * @param status whether the snapshot was installed and, if not, why
 * @param revision the loaded snapshot's revision; 0 when it was rejected
 * @param previousRevision the revision installed before, or 0 if there was none; after a rejection it is still the
 *     installed one
 * @param schemaHash the schema hash the snapshot declares; {@code null} when it was rejected
 * @param schemaHashMatches whether that hash is the client's schema hash; a snapshot written against another schema is
 *     still installed when it validates against the client's schema as a whole
 * @param problem why the snapshot was rejected (bad signature, malformed, over a limit or invalid, with the path and
 *     the rule it broke); {@code null} unless the status is {@link Status#REJECTED}
 */
public record LoadResult(
        Status status,
        long revision,
        long previousRevision,
        String schemaHash,
        boolean schemaHashMatches,
        String problem) {

    /** Whether the snapshot replaced the one installed. */
    public enum Status {
        /** The snapshot is now the current one. */
        INSTALLED,
        /** The client already has this revision; nothing changed. */
        UNCHANGED,
        /** The client has a newer revision; a source never installs an older one. */
        OLDER_IGNORED,
        /** The snapshot was not installed; {@link #problem()} says why. */
        REJECTED
    }

    public LoadResult {
        Objects.requireNonNull(status, "status");
        if ((status == Status.REJECTED) != (problem != null)) {
            throw new IllegalArgumentException(
                    status == Status.REJECTED
                            ? "a rejected load needs its problem"
                            : "only a rejected load has a problem, not a load " + status);
        }
    }

    /** A rejected snapshot: the client keeps {@code installedRevision} and reports {@code problem}. */
    public static LoadResult rejected(long installedRevision, String problem) {
        return new LoadResult(
                Status.REJECTED, 0, installedRevision, null, false, Objects.requireNonNull(problem, "problem"));
    }

    /** Whether the snapshot is now the current one. */
    public boolean installed() {
        return status == Status.INSTALLED;
    }

    /** Whether the snapshot was valid: installed, unchanged or older. */
    public boolean accepted() {
        return status != Status.REJECTED;
    }
}
