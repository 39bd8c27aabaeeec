package dev.tollgate.internal.source;

/**
 * What a {@link ServerSnapshotSource} is doing, which decides what comes after each response and stream event.
 *
 * <pre>
 *   mode       START     STREAM_OPENED  STREAM_DROPPED  REFUSED   CLOSE
 *   NEW        POLLING   NEW            NEW             NEW       CLOSED
 *   POLLING    POLLING   STREAMING      POLLING         STOPPED   CLOSED
 *   STREAMING  STREAMING STREAMING      POLLING         STOPPED   CLOSED
 *   STOPPED    STOPPED   STOPPED        STOPPED         STOPPED   CLOSED
 *   CLOSED     CLOSED    CLOSED         CLOSED          CLOSED    CLOSED
 * </pre>
 *
 * <p>A started source polls until its stream is up (and for good with streaming off), streams while it is, and polls
 * again while it is down. A refused token stops it for good; closing ends everything. Events a mode does not expect
 * (a stream event before the start or after the stop) leave it as it is, so a late callback changes nothing.
 */
enum DeliveryMode {
    /** Built, not started: no requests yet. */
    NEW,
    /** Every accepted or confirmed snapshot is followed by a poll a (jittered) poll interval later. */
    POLLING,
    /** The revision stream is up: announcements trigger fetches, and nothing is polled. */
    STREAMING,
    /** The server refused the token (401 or 403): no more requests until the client is built again. */
    STOPPED,
    /** Closed: no more requests, and the call and stream in flight are cancelled. */
    CLOSED;

    /** What happens to a source. */
    enum Event {
        /** {@code start(context)}: the first fetch and, when streaming, the first connection are scheduled. */
        START,
        /** The current stream connection answered 200 and is open. */
        STREAM_OPENED,
        /** The current stream connection ended, failed or was answered with an error other than 401 and 403. */
        STREAM_DROPPED,
        /** A snapshot request or a stream connection was answered with 401 or 403. */
        REFUSED,
        /** {@code close()}. */
        CLOSE
    }

    /** Whether the source still makes requests. */
    boolean active() {
        return this == POLLING || this == STREAMING;
    }

    /** The mode after {@code event}. */
    DeliveryMode on(Event event) {
        return switch (event) {
            case START -> this == NEW ? POLLING : this;
            case STREAM_OPENED -> active() ? STREAMING : this;
            case STREAM_DROPPED -> active() ? POLLING : this;
            case REFUSED -> active() ? STOPPED : this;
            case CLOSE -> CLOSED;
        };
    }
}
