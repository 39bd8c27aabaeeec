package dev.tollgate;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TollgateClient#awaitReady(java.time.Duration)} found: the client is ready (and which source made it so),
 * the wait timed out, or the client can no longer become ready (and why). In every case {@link #status()} says what the
 * client serves meanwhile; a timed-out client may well answer from its embedded or last-known-good snapshot.
 */
public final class ReadyResult {
    /** How the wait ended: {@link #isReady()}, {@link #isTimedOut()} or {@link #isFailed()}. */
    private enum Outcome {
        /** A source delivered or confirmed a snapshot; see {@link #source()}. */
        READY,
        /** The deadline passed first; the sources keep trying. */
        TIMED_OUT,
        /** The client will not become ready: it was closed, or every live source stopped for good. */
        FAILED
    }

    private final Outcome outcome;
    private final String source;
    private final String message;
    private final ClientStatus status;

    private ReadyResult(Outcome outcome, String source, String message, ClientStatus status) {
        this.outcome = outcome;
        this.source = source;
        this.message = message;
        this.status = Objects.requireNonNull(status, "status");
    }

    static ReadyResult ready(String source, ClientStatus status) {
        return new ReadyResult(Outcome.READY, Objects.requireNonNull(source, "source"), null, status);
    }

    static ReadyResult timedOut(String message, ClientStatus status) {
        return new ReadyResult(Outcome.TIMED_OUT, null, message, status);
    }

    static ReadyResult failed(String message, ClientStatus status) {
        return new ReadyResult(Outcome.FAILED, null, Objects.requireNonNull(message, "message"), status);
    }

    /** A source delivered or confirmed a snapshot; see {@link #source()}. */
    public boolean isReady() {
        return outcome == Outcome.READY;
    }

    /** The deadline passed first; the sources keep trying. */
    public boolean isTimedOut() {
        return outcome == Outcome.TIMED_OUT;
    }

    /** The client will not become ready: it was closed, or every live source stopped for good; see {@link #message()}. */
    public boolean isFailed() {
        return outcome == Outcome.FAILED;
    }

    /** When ready: the source that delivered or confirmed the snapshot, such as {@code server(...)}. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** Why the client failed, or what was going wrong when the wait timed out (the last error), if anything. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    /** The revision being served when the wait ended; 0 if none. */
    public long revision() {
        return status.revision();
    }

    /** The client's status when the wait ended. */
    public ClientStatus status() {
        return status;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadyResult r
                && outcome == r.outcome
                && Objects.equals(source, r.source)
                && Objects.equals(message, r.message)
                && status.equals(r.status);
    }

    @Override
    public int hashCode() {
        return Objects.hash(outcome, source, message, status);
    }

    @Override
    public String toString() {
        return "ReadyResult[" + outcome + (source == null ? "" : " from " + source)
                + (message == null ? "" : ": " + message) + ", revision " + revision() + "]";
    }
}
