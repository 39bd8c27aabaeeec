package dev.tollgate;

import dev.tollgate.spi.SourceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What one live source of a client sees of it: the pipeline, the status tracker and the scheduler. */
final class ClientSourceContext implements SourceContext {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateClient.class);

    private final SnapshotPipeline pipeline;
    private final StatusTracker tracker;
    private final ScheduledExecutorService scheduler;
    private final SnapshotPipeline.Origin origin;
    private final SnapshotLimits limits;
    private final String schemaHash;

    ClientSourceContext(
            SnapshotPipeline pipeline,
            StatusTracker tracker,
            ScheduledExecutorService scheduler,
            SnapshotPipeline.Origin origin,
            SnapshotLimits limits,
            String schemaHash) {
        this.pipeline = pipeline;
        this.tracker = tracker;
        this.scheduler = scheduler;
        this.origin = origin;
        this.limits = limits;
        this.schemaHash = schemaHash;
    }

    @Override
    public LoadResult deliver(byte[] snapshot, String signature) {
        return pipeline.deliver(Objects.requireNonNull(snapshot, "snapshot"), signature, origin);
    }

    @Override
    public boolean acceptsDeltas() {
        return !pipeline.verifiesSignatures();
    }

    @Override
    public boolean deliverDelta(byte[] delta) {
        return pipeline.applyDelta(Objects.requireNonNull(delta, "delta"), origin);
    }

    @Override
    public void upToDate() {
        if (pipeline.revision() > 0) {
            pipeline.confirmed(origin);
        }
    }

    @Override
    public void failed(SourceError.Kind kind, String message) {
        SourceError error = error(kind, message);
        if (kind == SourceError.Kind.INVALID_SNAPSHOT || kind == SourceError.Kind.BAD_SIGNATURE) {
            pipeline.rejectedBeforeLoad();
            tracker.rejected(origin.liveIndex(), error);
        } else {
            tracker.failed(origin.liveIndex(), error);
        }
    }

    @Override
    public void warning(SourceError.Kind kind, String message) {
        tracker.warning(error(kind, message));
    }

    @Override
    public void stopped(SourceError.Kind kind, String message) {
        tracker.stopped(origin.liveIndex(), error(kind, message));
    }

    @Override
    public long revision() {
        return pipeline.revision();
    }

    @Override
    public SnapshotLimits limits() {
        return limits;
    }

    @Override
    public String schemaHash() {
        return schemaHash;
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        try {
            return scheduler.schedule(() -> run(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            CompletableFuture<Void> dropped = new CompletableFuture<>();
            dropped.cancel(false);
            return dropped;
        }
    }

    /**
     * Runs a source's task, reporting whatever it throws, {@link Error}s included: the scheduler would otherwise keep
     * the throwable in the task's future, where nobody looks. Not rethrown, for the same reason.
     */
    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable e) {
            LOG.error("A task of {} failed", origin.name(), e);
            tracker.warning(error(SourceError.Kind.UNEXPECTED, "a scheduled task failed: " + e));
        }
    }

    private SourceError error(SourceError.Kind kind, String message) {
        return SourceError.of(
                Instant.now(),
                origin.name(),
                Objects.requireNonNull(kind, "kind"),
                Objects.requireNonNull(message, "message"));
    }

    @Override
    public String toString() {
        return "SourceContext[" + origin.name() + "]";
    }
}
