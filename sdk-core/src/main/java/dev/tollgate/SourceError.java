package dev.tollgate;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that went wrong while delivering snapshots: which source, when, what kind of failure and a message that
 * says exactly what happened. Never contains a token.
 */
public final class SourceError {
    /** The broad kind of a failure, for alerting and metrics. */
    public enum Kind {
        /** The server could not be reached or the connection broke: refused, timed out, truncated body. */
        NETWORK,
        /** The server answered with an unexpected HTTP status, such as 404, 429 or 500. */
        HTTP_STATUS,
        /** The server refused the credentials (401 or 403); the source stopped. */
        UNAUTHORIZED,
        /** A snapshot was rejected: malformed, over a limit, or not valid against the schema. */
        INVALID_SNAPSHOT,
        /** A snapshot was rejected because its Ed25519 signature is missing or does not verify. */
        BAD_SIGNATURE,
        /** A local file could not be read or written: the snapshot file, or the last-known-good copy. */
        STORAGE,
        /**
         * A source served or announced a revision older than the installed one (a lagging replica, a restored backup).
         * The client never goes back, so the source confirms nothing until it catches up; a served older snapshot is a
         * failed attempt of its source (not a rejected snapshot), an announced one a warning.
         */
        OLDER_REVISION,
        /**
         * A source failed in a way it did not report itself: it threw from {@code start} or from a scheduled task, or
         * loading its snapshot failed with an unexpected exception or error (such as a stack overflow); the snapshot
         * is then counted as rejected.
         */
        UNEXPECTED
    }

    private final Instant time;
    private final String source;
    private final Kind kind;
    private final String message;

    private SourceError(Instant time, String source, Kind kind, String message) {
        this.time = Objects.requireNonNull(time, "time");
        this.source = Objects.requireNonNull(source, "source");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.message = Objects.requireNonNull(message, "message");
    }

    public static SourceError of(Instant time, String source, Kind kind, String message) {
        return new SourceError(time, source, kind, message);
    }

    public Instant time() {
        return time;
    }

    /** The name of the source, such as {@code server(https://flags.example.com)} or {@code file(/etc/snapshot.json)}. */
    public String source() {
        return source;
    }

    public Kind kind() {
        return kind;
    }

    public String message() {
        return message;
    }

    /** Whether {@code other} reports the same failure, ignoring when it happened. */
    boolean sameFailure(SourceError other) {
        return other != null && kind == other.kind && source.equals(other.source) && message.equals(other.message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceError e && time.equals(e.time) && sameFailure(e);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, source, kind, message);
    }

    @Override
    public String toString() {
        return source + ": " + message + " (" + kind + " at " + time + ")";
    }
}
