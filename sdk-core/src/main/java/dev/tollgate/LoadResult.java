package dev.tollgate;

/**
 * What loading a valid snapshot did. An invalid snapshot throws {@link InvalidSnapshotException} instead.
 *
 * @param status whether the snapshot was installed
 * @param revision the loaded snapshot's revision
 * @param previousRevision the revision installed before, or 0 if there was none
 * @param schemaHash the schema hash the snapshot declares
 * @param schemaHashMatches whether that hash is the client's schema hash; a snapshot written against another schema is
 *     still installed when it validates against the client's schema as a whole
 */
public record LoadResult(
        Status status, long revision, long previousRevision, String schemaHash, boolean schemaHashMatches) {

    /** Whether the snapshot replaced the one installed. */
    public enum Status {
        /** The snapshot is now the current one. */
        INSTALLED,
        /** The client already has this revision; nothing changed. */
        UNCHANGED,
        /** The client has a newer revision; a source never installs an older one. */
        OLDER_IGNORED
    }

    public boolean installed() {
        return status == Status.INSTALLED;
    }
}
