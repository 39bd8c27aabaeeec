package dev.tollgate;

import dev.tollgate.internal.logs.MessageLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the pipeline and the sources report into the client's {@link ClientStatus}, its readiness, its log lines
 * (one per state change or new error) and its status events.
 *
 * <p>Each live source (file, server, custom) has a health: pending until its first answer, healthy after a delivery
 * or confirmation, failing after a failed attempt, stopped for good. The state follows from those healths, from whether
 * any live source ever confirmed a snapshot, and from whether one is installed; see {@link ClientStatus.State}.
 *
 * <p>Readiness completes once: ready when a live source delivers or confirms a snapshot, when the caller loads one by
 * hand, or, for a client without live sources, when its embedded or last-known-good snapshot is installed; failed when
 * every live source stops or the client is closed first.
 *
 * <p>Concurrency: every field is guarded by {@code lock}; reports come from the scheduler thread, from threads loading
 * snapshots by hand and from {@code close()}. The pipeline calls {@link #installed} while holding its install monitor,
 * so the lock order is always pipeline, then tracker; this class never calls back into the pipeline. Listener events
 * are queued under the lock (which keeps them in order) and run later by {@link EventDispatch}; the readiness future is
 * completed after the lock is released, since completing it runs the caller's dependent actions.
 */
final class StatusTracker {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateClient.class);
    private static final Duration REPEATED_WARNING_INTERVAL = Duration.ofMinutes(10);
    private static final int MAX_MESSAGE_CHARS = 2_000;

    private enum Health {
        PENDING,
        HEALTHY,
        FAILING,
        STOPPED
    }

    private final Object lock = new Object();
    private final EventDispatch events;
    private final MessageLog messages;
    private final CompletableFuture<ReadyResult> readiness = new CompletableFuture<>();
    private final Health[] health;

    private boolean readinessDecided;
    private ReadyResult undeliveredReadiness;
    private boolean confirmed;
    private boolean closed;
    private long revision;
    private String source;
    private boolean schemaHashMatches = true;
    private Instant lastSuccess;
    private SourceError lastError;
    private SourceError lastWarning; // the last warning logged
    private long rejected;
    private long signatureFailures;
    private long schemaMismatches;
    private ClientStatus published;

    /** {@code messages} receives every warning as an SDK message for the evaluation logs; null when logging is off. */
    StatusTracker(int liveSources, EventDispatch events, MessageLog messages) {
        this.events = events;
        this.messages = messages;
        this.health = new Health[liveSources];
        Arrays.fill(health, Health.PENDING);
        this.published = build();
    }

    ClientStatus status() {
        synchronized (lock) {
            return build();
        }
    }

    /** Completes once, with a result that {@link ReadyResult#isReady() is ready} or {@link ReadyResult#isFailed() failed}. */
    CompletableFuture<ReadyResult> readiness() {
        return readiness;
    }

    /**
     * A snapshot was installed; called under the pipeline's install monitor, so in revision order. When a live source
     * ({@code liveIndex >= 0}) delivered it, its health changes in the same step, so that no status shows the new
     * revision with the old health; the readiness this decides is completed by the {@link #delivered} call that
     * follows, outside the monitor. {@code publish} makes the snapshot visible to readers; it runs under this lock,
     * before the status changes, so that no status is read between the two.
     */
    void installed(long newRevision, String newSource, boolean hashMatches, int liveIndex, Runnable publish) {
        synchronized (lock) {
            publish.run();
            revision = newRevision;
            source = newSource;
            schemaHashMatches = hashMatches;
            if (liveIndex >= 0) {
                markDelivered(liveIndex, newSource);
            }
            publish(null);
        }
    }

    /** Embedded and last-known-good loading is done: a client without live sources is ready if it has a snapshot. */
    void bootstrapped() {
        ReadyResult decided = null;
        synchronized (lock) {
            if (health.length == 0 && revision > 0) {
                lastSuccess = Instant.now();
                decided = decideReady(source);
                publish(null);
            }
        }
        complete(decided);
    }

    /** Live source {@code index} delivered a valid snapshot or confirmed it has nothing newer. */
    void delivered(int index, String sourceName) {
        ReadyResult decided;
        synchronized (lock) {
            markDelivered(index, sourceName);
            decided = undeliveredReadiness;
            undeliveredReadiness = null;
            publish(null);
        }
        complete(decided);
    }

    private void markDelivered(int index, String sourceName) {
        if (health[index] != Health.STOPPED) {
            health[index] = Health.HEALTHY;
        }
        confirmed = true;
        lastSuccess = Instant.now();
        if (revision > 0 && !readinessDecided) {
            undeliveredReadiness = decideReady(sourceName);
        }
    }

    /** The caller loaded a snapshot by hand and the client now has one. */
    void loadedByHand(String sourceName) {
        ReadyResult decided;
        synchronized (lock) {
            lastSuccess = Instant.now();
            decided = decideReady(sourceName);
            publish(null);
        }
        complete(decided);
    }

    /** An attempt failed; {@code index} is the live source's, or -1 for embedded, last-known-good or manual loads. */
    void failed(int index, SourceError error) {
        synchronized (lock) {
            if (index >= 0 && health[index] != Health.STOPPED) {
                health[index] = Health.FAILING;
            }
            publish(error);
        }
    }

    /** A snapshot was rejected; counted, and a failed attempt of its source. */
    void rejected(int index, SourceError error) {
        synchronized (lock) {
            rejected++;
            if (error.kind() == SourceError.Kind.BAD_SIGNATURE) {
                signatureFailures++;
            }
            if (index >= 0 && health[index] != Health.STOPPED) {
                health[index] = Health.FAILING;
            }
            publish(error);
        }
    }

    /**
     * A problem that does not make the snapshot stale. The same warning again is logged at most every ten minutes,
     * successes in between or not: a stream that keeps dropping while polling works is not a line per reconnect.
     */
    void warning(SourceError error) {
        synchronized (lock) {
            boolean repeated = error.sameFailure(lastWarning)
                    && Duration.between(lastWarning.time(), error.time()).compareTo(REPEATED_WARNING_INTERVAL) < 0;
            if (!repeated) {
                lastWarning = error;
            }
            publish(error, !repeated);
        }
    }

    /** Live source {@code index} gave up for good. */
    void stopped(int index, SourceError error) {
        ReadyResult decided = null;
        synchronized (lock) {
            health[index] = Health.STOPPED;
            if (Arrays.stream(health).allMatch(h -> h == Health.STOPPED)) {
                decided = decideFailed(error.source() + ": " + error.message());
            }
            publish(error);
        }
        complete(decided);
    }

    /** A snapshot declared another schema hash than the client's. */
    void schemaMismatch() {
        synchronized (lock) {
            schemaMismatches++;
            published = build();
        }
    }

    void close() {
        ReadyResult decided;
        synchronized (lock) {
            closed = true;
            decided = decideFailed("the client was closed before it became ready");
            publish(null);
        }
        complete(decided);
    }

    private ReadyResult decideReady(String by) {
        if (readinessDecided) {
            return null;
        }
        readinessDecided = true;
        return ReadyResult.ready(by, build());
    }

    private ReadyResult decideFailed(String why) {
        if (readinessDecided) {
            return null;
        }
        readinessDecided = true;
        return ReadyResult.failed(why, build());
    }

    private void complete(ReadyResult decided) {
        if (decided != null) {
            readiness.complete(decided);
        }
    }

    /**
     * Records a failure (if any), logs one line if the state changed or the failure is new (another failure than the
     * last, or the first since a success), and notifies.
     */
    private void publish(SourceError error) {
        boolean newError = error != null
                && (!error.sameFailure(lastError) || (lastSuccess != null && lastSuccess.isAfter(lastError.time())));
        publish(error, newError);
    }

    private void publish(SourceError error, boolean newError) {
        if (error != null) {
            lastError = error;
            recordMessage(error);
        }
        ClientStatus next = build();
        ClientStatus.State before = published.state();
        if (next.state() != before) {
            logTransition(before, next, error);
        } else if (newError) {
            LOG.warn("Tollgate {}, revision {}: {}: {}", next.state(), revision, error.source(), error.message());
        } else if (error != null) {
            LOG.debug("Tollgate {}: again {}: {}", next.state(), error.source(), error.message());
        }
        if (next.differsFrom(published)) {
            events.statusChanged(next);
        }
        published = next;
    }

    /** Every error, repeated or not, is counted among the SDK's messages in the evaluation logs. */
    private void recordMessage(SourceError error) {
        if (messages != null) {
            String text = error.source() + ": " + error.message();
            messages.warn(text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text);
        }
    }

    private void logTransition(ClientStatus.State before, ClientStatus next, SourceError error) {
        if (error != null) {
            LOG.warn(
                    "Tollgate {} -> {}, revision {}: {}: {}",
                    before,
                    next.state(),
                    revision,
                    error.source(),
                    error.message());
        } else if (closed) {
            LOG.info("Tollgate {} -> {}: closed, revision {}", before, next.state(), revision);
        } else {
            LOG.info(
                    "Tollgate {} -> {}, revision {}{}",
                    before,
                    next.state(),
                    revision,
                    source == null ? "" : " from " + source);
        }
    }

    private ClientStatus build() {
        return new ClientStatus(
                state(),
                revision,
                source,
                schemaHashMatches,
                lastSuccess,
                lastError,
                rejected,
                signatureFailures,
                schemaMismatches);
    }

    private ClientStatus.State state() {
        if (closed) {
            return ClientStatus.State.OFF;
        }
        if (health.length == 0) {
            return revision > 0 ? ClientStatus.State.VALID : ClientStatus.State.INITIALIZING;
        }
        boolean anyFailing = false;
        boolean allStopped = true;
        for (Health h : health) {
            if (h == Health.HEALTHY) {
                return ClientStatus.State.VALID;
            }
            anyFailing |= h == Health.FAILING;
            allStopped &= h == Health.STOPPED;
        }
        if (allStopped) {
            return ClientStatus.State.OFF;
        }
        if (confirmed) {
            return ClientStatus.State.INTERRUPTED;
        }
        return anyFailing && revision > 0 ? ClientStatus.State.STALE : ClientStatus.State.INITIALIZING;
    }
}
