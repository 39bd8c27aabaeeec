package dev.tollgate;

import java.util.List;
import java.util.Objects;

/**
 * A new snapshot revision was installed. Says which field paths' logic changed, so that their values may differ from
 * before for some context; fields outside {@link #changedPaths()} answer exactly as they did.
 *
 * <p>A path is listed when its own logic, the logic of the enclosing object field that answers for it when its own
 * logic has no default, or a segment either of them uses differs between the two revisions. Both leaf paths ({@code entitlements.maxTeamSize}) and object
 * paths ({@code entitlements}) appear, in schema order. On the first install every path with logic is listed.
 */
public final class SnapshotChange {
    private final long previousRevision;
    private final long revision;
    private final String source;
    private final List<String> changedPaths;

    SnapshotChange(long previousRevision, long revision, String source, List<String> changedPaths) {
        this.previousRevision = previousRevision;
        this.revision = revision;
        this.source = Objects.requireNonNull(source, "source");
        this.changedPaths = List.copyOf(changedPaths);
    }

    /** The revision replaced, or 0 when this is the first snapshot. */
    public long previousRevision() {
        return previousRevision;
    }

    public long revision() {
        return revision;
    }

    /** The source the new snapshot came from. */
    public String source() {
        return source;
    }

    /** The field paths whose logic changed, in schema order. */
    public List<String> changedPaths() {
        return changedPaths;
    }

    /** Whether the logic of {@code path} changed. */
    public boolean changed(String path) {
        return changedPaths.contains(path);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotChange c
                && previousRevision == c.previousRevision
                && revision == c.revision
                && source.equals(c.source)
                && changedPaths.equals(c.changedPaths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(previousRevision, revision, source, changedPaths);
    }

    @Override
    public String toString() {
        return "SnapshotChange[" + previousRevision + " -> " + revision + " from " + source + ", changed "
                + changedPaths + "]";
    }
}
