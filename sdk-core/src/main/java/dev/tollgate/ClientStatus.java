package dev.tollgate;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client is serving and how its snapshot sources are doing, at one moment. Immutable; take a fresh one with
 * {@link TollgateClient#status()} or receive each change through {@link TollgateClient#addStatusListener}.
 *
 * <p>Evaluation never depends on the state: whatever it is, roots answer from the installed snapshot, or with fallbacks
 * when there is none. The state says how much to trust that the installed snapshot is the newest one.
 */
public final class ClientStatus {
    /** How current the installed snapshot is known to be. */
    public enum State {
        /**
         * The live sources (file, server, custom) have not answered yet. A snapshot from the embedded resource or the
         * last-known-good copy may already be serving.
         */
        INITIALIZING,
        /** A live source delivered or confirmed the installed snapshot, and its latest attempt succeeded. */
        VALID,
        /**
         * The live sources failed before ever confirming anything, so the client serves a snapshot it could not check:
         * the embedded one or the last-known-good copy. They keep retrying.
         */
        STALE,
        /**
         * A live source confirmed the snapshot earlier, but its latest attempts failed; it keeps retrying and the client
         * serves the last good snapshot meanwhile.
         */
        INTERRUPTED,
        /**
         * No snapshot will arrive any more: the client was closed, or every live source stopped for good (for example
         * the server refused the token). Evaluation still answers from the last good snapshot.
         */
        OFF
    }

    private final State state;
    private final long revision;
    private final String source;
    private final boolean schemaHashMatches;
    private final Instant lastSuccess;
    private final SourceError lastError;
    private final long rejectedSnapshots;
    private final long signatureFailures;
    private final long schemaMismatches;

    ClientStatus(
            State state,
            long revision,
            String source,
            boolean schemaHashMatches,
            Instant lastSuccess,
            SourceError lastError,
            long rejectedSnapshots,
            long signatureFailures,
            long schemaMismatches) {
        this.state = Objects.requireNonNull(state, "state");
        this.revision = revision;
        this.source = source;
        this.schemaHashMatches = schemaHashMatches;
        this.lastSuccess = lastSuccess;
        this.lastError = lastError;
        this.rejectedSnapshots = rejectedSnapshots;
        this.signatureFailures = signatureFailures;
        this.schemaMismatches = schemaMismatches;
    }

    public State state() {
        return state;
    }

    /** The installed revision, or 0 when no snapshot is installed. */
    public long revision() {
        return revision;
    }

    /** The source the installed snapshot came from, such as {@code embedded(tollgate/snapshot.json)}. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /**
     * Whether the installed snapshot declares this client's schema hash. A snapshot written against another schema is
     * installed only when it validates against this client's schema as a whole; this says one was.
     */
    public boolean schemaHashMatches() {
        return schemaHashMatches;
    }

    /** When a source last delivered a snapshot or confirmed that it has nothing newer. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** The most recent failure, even if sources have recovered since; compare its time with {@link #lastSuccess()}. */
    public Optional<SourceError> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** How many snapshots were rejected since the client was built, for any reason, signatures included. */
    public long rejectedSnapshots() {
        return rejectedSnapshots;
    }

    /** How many of the rejected snapshots were unsigned or carried a signature that does not verify. */
    public long signatureFailures() {
        return signatureFailures;
    }

    /**
     * How many snapshots arrived declaring another schema hash than this client's, whether they validated (and were
     * installed) or not.
     */
    public long schemaMismatches() {
        return schemaMismatches;
    }

    /** Whether a listener should hear about the change from {@code previous} to this status. */
    boolean differsFrom(ClientStatus previous) {
        return previous == null
                || state != previous.state
                || revision != previous.revision
                || !Objects.equals(source, previous.source)
                || !Objects.equals(lastError, previous.lastError)
                || rejectedSnapshots != previous.rejectedSnapshots;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientStatus s
                && state == s.state
                && revision == s.revision
                && Objects.equals(source, s.source)
                && schemaHashMatches == s.schemaHashMatches
                && Objects.equals(lastSuccess, s.lastSuccess)
                && Objects.equals(lastError, s.lastError)
                && rejectedSnapshots == s.rejectedSnapshots
                && signatureFailures == s.signatureFailures
                && schemaMismatches == s.schemaMismatches;
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, revision, source, lastSuccess, lastError, rejectedSnapshots);
    }

    @Override
    public String toString() {
        return "ClientStatus[" + state + ", revision " + revision + (source == null ? "" : " from " + source)
                + (lastError == null ? "" : ", last error: " + lastError)
                + (rejectedSnapshots == 0 ? "" : ", rejected " + rejectedSnapshots)
                + (signatureFailures == 0 ? "" : ", bad signatures " + signatureFailures)
                + (schemaMismatches == 0 ? "" : ", schema mismatches " + schemaMismatches) + "]";
    }
}
