package dev.tollgate.spi;

import dev.tollgate.LoadResult;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SourceError;
import java.time.Duration;
import java.util.concurrent.Future;

/**
 * The client's side of a {@link SnapshotSource}: where snapshots go and where the source reports how its attempts went.
 * Thread-safe; every method returns quickly except {@link #deliver}, which verifies, parses and compiles the snapshot
 * on the calling thread.
 *
 * <p>The client derives its state from these reports: a delivered or confirmed snapshot makes the source healthy (and
 * the client ready), {@link #failed} makes it failing until its next success, {@link #stopped} takes it out for good.
 */
public interface SourceContext {
    /**
     * Offers a snapshot: its exact bytes and, if it has one, its detached Ed25519 signature in base64. The client
     * verifies the signature when it has a public key, validates the snapshot against its schema, compiles it, and
     * installs it unless it already has the same or a newer revision. Never throws for a bad snapshot: a rejection is
     * reported in the result and counted in the client's status.
     */
    LoadResult deliver(byte[] snapshot, String signature);

    /**
     * Whether the client takes deltas ({@link #deliverDelta}): false when it verifies signatures, since a delta carries
     * none. A source that can ask its server for deltas asks only when this is true. The default is false.
     */
    default boolean acceptsDeltas() {
        return false;
    }

    /**
     * Offers a delta: the data of a {@code delta} event of the server's stream ({@code docs/protocol.md}, "The delta
     * event"), the override rows one revision changed from the installed one. The client applies it to the installed
     * snapshot without reading the whole snapshot, and installs the result, when it applies exactly: its base is the
     * installed revision and every table's row count and checksum match. Otherwise it installs nothing and returns
     * false, and the source fetches the whole snapshot instead. Never throws for a bad delta. The default takes none.
     *
     * @return whether the delta was applied and its revision installed
     */
    default boolean deliverDelta(byte[] delta) {
        return false;
    }

    /** The source checked and has nothing newer than what it delivered before (for example an HTTP 304). */
    void upToDate();

    /**
     * An attempt failed; the source keeps trying. The client serves the last good snapshot and reports the failure. For
     * a snapshot that could not even be read whole (for example one over {@link #limits()}), use {@link
     * SourceError.Kind#INVALID_SNAPSHOT}: it is counted as a rejected snapshot.
     */
    void failed(SourceError.Kind kind, String message);

    /**
     * Something went wrong that does not make the snapshot stale, for example a push channel dropped while polling
     * takes over. Recorded as the last error; the source's health is unchanged.
     */
    void warning(SourceError.Kind kind, String message);

    /** The source gave up for good, for example because its credentials were refused. */
    void stopped(SourceError.Kind kind, String message);

    /** The revision the client has installed, 0 if none: a source can skip fetching what the client already has. */
    long revision();

    /** The caps every snapshot must fit; read no more than {@link SnapshotLimits#maxBytes()}. */
    SnapshotLimits limits();

    /** The client's schema hash, for a source that can ask its server for a matching snapshot. */
    String schemaHash();

    /**
     * Runs {@code task} on the client's background thread after {@code delay}. Tasks run one at a time, never on an
     * evaluating thread; an exception a task throws is logged. After the client is closed, tasks no longer run and the
     * returned future is cancelled.
     */
    Future<?> schedule(Runnable task, Duration delay);
}
