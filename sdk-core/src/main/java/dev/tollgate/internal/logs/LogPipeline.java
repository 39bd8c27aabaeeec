package dev.tollgate.internal.logs;

import dev.tollgate.LogOptions;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the counters and buffers hold into batches and sends them, one at a time, with retries.
 *
 * <p>Concurrency protocol. Every field below the constructor's arguments is confined to the client's scheduler thread:
 * {@link #flush()}, the interval tick, early-flush requests and sink completions all hop onto it before touching state.
 * A flush future joins {@code waiting}; the next batch built takes every waiting future and completes them when the
 * sink accepts it (or when it is given up), so a future completes only after everything recorded before its {@code
 * flush()} call, by the calling thread, was accepted. At most one batch is in flight; records made meanwhile wait in the
 * counters and bounded buffers for the next one.
 */
public final class LogPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(LogPipeline.class);

    private final LogOptions options;
    private final LogSink sink;
    private final EvaluationCounters counters;
    private final ExposureBuffer exposures;
    private final MessageLog messages;
    private final ScheduledExecutorService scheduler;
    private final String schemaHash;
    private final LongSupplier revision;
    private final AtomicBoolean earlyFlushRequested = new AtomicBoolean();

    private long[] reported = new long[0];
    private Instant windowStart = Instant.now();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private boolean inFlight;
    private long droppedEvaluations;
    private ScheduledFuture<?> tick;
    private boolean sinkFailing;

    public LogPipeline(
            LogOptions options,
            EvaluationCounters counters,
            MessageLog messages,
            ScheduledExecutorService scheduler,
            String schemaHash,
            LongSupplier revision) {
        this.options = options;
        this.sink = options.sink();
        this.counters = counters;
        this.messages = messages;
        this.scheduler = scheduler;
        this.schemaHash = schemaHash;
        this.revision = revision;
        this.exposures = new ExposureBuffer(
                options.maxExposures(),
                options.flushThreshold(),
                options.exposureDedupeCapacity(),
                options.exposureDedupeWindow().toMillis(),
                this::requestEarlyFlush);
    }

    public ExposureBuffer exposures() {
        return exposures;
    }

    /** Starts the background flush on the interval. */
    public void start() {
        long interval = options.flushInterval().toMillis();
        tick = scheduler.scheduleWithFixedDelay(() -> send(null), interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Completes when everything recorded before this call has been accepted by the sink, or exceptionally. */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        try {
            scheduler.execute(() -> send(accepted));
        } catch (RejectedExecutionException e) {
            accepted.completeExceptionally(new IllegalStateException("the client is closed", e));
        }
        return accepted;
    }

    /** Stops the interval; the caller flushes first if it wants the last records sent. */
    public void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }

    private void requestEarlyFlush() {
        if (earlyFlushRequested.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    earlyFlushRequested.set(false);
                    send(null);
                });
            } catch (RejectedExecutionException e) {
                earlyFlushRequested.set(false);
            }
        }
    }

    /** On the scheduler thread: queue {@code accepted} (may be null) and send a batch unless one is in flight. */
    private void send(CompletableFuture<Void> accepted) {
        if (accepted != null) {
            waiting.add(accepted);
        }
        if (inFlight) {
            return;
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>(waiting);
        waiting.clear();
        LogBatch batch = drain();
        if (batch.isEmpty()) {
            futures.forEach(f -> f.complete(null));
            return;
        }
        inFlight = true;
        attempt(batch, futures, 1);
    }

    private LogBatch drain() {
        long[] totals = counters == null ? new long[0] : counters.totals();
        List<LogBatch.EvaluationCount> counts = new ArrayList<>();
        for (int slot = 0; slot < totals.length; slot++) {
            long delta = totals[slot] - (slot < reported.length ? reported[slot] : 0);
            if (delta > 0) {
                counts.add(new LogBatch.EvaluationCount(counters.field(slot), counters.label(slot), delta));
            }
        }
        reported = totals;
        Instant now = Instant.now();
        LogBatch.Dropped dropped =
                new LogBatch.Dropped(exposures.takeDropped(), messages.takeDropped(), droppedEvaluations);
        droppedEvaluations = 0;
        LogBatch batch = new LogBatch(
                UUID.randomUUID().toString(),
                schemaHash,
                revision.getAsLong(),
                windowStart,
                now,
                counts,
                exposures.drain(),
                messages.drain(),
                dropped);
        windowStart = now;
        return batch;
    }

    private void attempt(LogBatch batch, List<CompletableFuture<Void>> futures, int attempt) {
        CompletionStage<Void> sent;
        try {
            sent = sink.send(batch);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> onScheduler(() -> completed(batch, futures, attempt, error)));
    }

    private void completed(LogBatch batch, List<CompletableFuture<Void>> futures, int attempt, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        if (cause == null) {
            if (sinkFailing) {
                sinkFailing = false;
                LOG.info("Log sink {} accepts batches again", sink);
            }
            finish(futures, null);
            return;
        }
        boolean retryable = !(cause instanceof LogSinkException failure) || failure.retryable();
        if (!sinkFailing) {
            sinkFailing = true;
            LOG.warn("Log sink {} failed ({}); retrying with backoff", sink, cause.getMessage());
        }
        if (retryable && attempt < options.maxAttempts()) {
            long delay = backoff(attempt);
            try {
                scheduler.schedule(() -> attempt(batch, futures, attempt + 1), delay, TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException e) {
                // closing: give the batch up below
            }
        }
        messages.error("log batch given up after " + attempt + " attempts: " + cause.getMessage());
        droppedEvaluations += batch.evaluations().stream()
                .mapToLong(LogBatch.EvaluationCount::count)
                .sum();
        droppedEvaluations += batch.dropped().evaluations();
        exposures.addDropped(batch.exposures().size() + batch.dropped().exposures());
        messages.addDropped(
                batch.messages().stream().mapToLong(LogBatch.SdkMessage::count).sum()
                        + batch.dropped().messages());
        finish(futures, cause);
    }

    private void finish(List<CompletableFuture<Void>> futures, Throwable cause) {
        inFlight = false;
        for (CompletableFuture<Void> future : futures) {
            if (cause == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(cause);
            }
        }
        if (!waiting.isEmpty()) {
            send(null);
        }
    }

    private long backoff(int attempt) {
        long initial = options.initialBackoff().toMillis();
        long max = options.maxBackoff().toMillis();
        long delay = initial << Math.min(attempt - 1, 20);
        return Math.min(delay <= 0 ? max : delay, max);
    }

    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }
}
