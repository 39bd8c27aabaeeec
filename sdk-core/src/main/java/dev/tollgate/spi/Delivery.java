package dev.tollgate.spi;

import java.util.Objects;
import java.util.Optional;

/** What the client did with a snapshot a source delivered. */
public final class Delivery {
    /** Whether the snapshot was installed and, if not, why. */
    public enum Outcome {
        /** It is now the current snapshot. */
        INSTALLED,
        /** The client already has this revision. */
        UNCHANGED,
        /** The client has a newer revision; it never goes back. */
        OLDER_IGNORED,
        /** It was not installed: bad signature, malformed, over a limit or invalid; see {@link #problem()}. */
        REJECTED
    }

    private final Outcome outcome;
    private final long revision;
    private final long installedRevision;
    private final String problem;

    private Delivery(Outcome outcome, long revision, long installedRevision, String problem) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.revision = revision;
        this.installedRevision = installedRevision;
        this.problem = problem;
    }

    /** An accepted snapshot: installed, unchanged or older. */
    public static Delivery accepted(Outcome outcome, long revision, long installedRevision) {
        if (outcome == Outcome.REJECTED) {
            throw new IllegalArgumentException("use Delivery.rejected for a rejected snapshot");
        }
        return new Delivery(outcome, revision, installedRevision, null);
    }

    public static Delivery rejected(long installedRevision, String problem) {
        return new Delivery(Outcome.REJECTED, 0, installedRevision, Objects.requireNonNull(problem, "problem"));
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether the snapshot was valid: installed, unchanged or older. */
    public boolean accepted() {
        return outcome != Outcome.REJECTED;
    }

    /** The delivered snapshot's revision; 0 when it was rejected. */
    public long revision() {
        return revision;
    }

    /** The client's revision after the delivery. */
    public long installedRevision() {
        return installedRevision;
    }

    /** Why the snapshot was rejected. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Delivery d
                && outcome == d.outcome
                && revision == d.revision
                && installedRevision == d.installedRevision
                && Objects.equals(problem, d.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, revision, installedRevision, problem);
    }

    @Override
    public String toString() {
        return "Delivery[" + outcome + (revision == 0 ? "" : " revision " + revision) + ", installed "
                + installedRevision + (problem == null ? "" : ": " + problem) + "]";
    }
}
