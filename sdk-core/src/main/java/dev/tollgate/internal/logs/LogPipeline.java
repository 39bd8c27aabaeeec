package dev.tollgate.internal.logs;

import dev.tollgate.LogOptions;
import dev.tollgate.internal.meter.MeterLedger;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the counters and buffers hold into batches and sends them, one at a time, with retries.
 *
 * <p>Concurrency protocol. Every field below the constructor's arguments is guarded by this object's monitor (the
 * loss tally {@code givenUp} is written under it and read without it, by {@link #lost()}). While the
 * client runs, only its scheduler thread takes it: {@link #flush()}, the interval tick, early-flush requests, retries
 * and sink completions all hop onto that thread before touching state, so the monitor is uncontended. Once the
 * scheduler is shut down, a sink completion can no longer hop and runs on the sink's thread, and {@link
 * #abandonUnsent()} runs on the closing thread; the monitor keeps those apart.
 *
 * <p>A flush future joins {@code waiting}; the next batch built takes every waiting future and completes them when the
 * sink accepts it (or when it is given up), so a future completes only after everything recorded before its {@code
 * flush()} call, by the calling thread, was accepted. At most one batch is in flight and at most one more is pending:
 * flushes made while a batch is in flight, or while the {@link FlushBudget} holds the next one back because batches
 * went just before, all wait for the same next batch, which {@code due} sends when the budget allows (or {@link
 * #finish} when the batch in flight is done). So {@code flush()} after every request coalesces into a few batches a
 * minute instead of one batch per call. The exposure threshold and the final flush on close do not wait for the
 * budget. Records made meanwhile wait in the counters and bounded buffers for the next batch. When the scheduler stops,
 * {@link #abandonUnsent()} fails the futures still outstanding: a pending retry is dropped with the scheduler, and
 * nothing would complete them.
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
    private final FlushBudget budget;
    private final MeterLedger meters;
    /** Usage lost since the pipeline started: refused by the sink, or unsent when the client closed. */
    private final java.util.concurrent.atomic.AtomicLong usageLost = new java.util.concurrent.atomic.AtomicLong();

    private long[] reported = new long[0];
    private Instant windowStart = Instant.now();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** The batch being sent or waiting for its retry, with the futures it completes; null when none. */
    private InFlight inFlight;

    private long droppedEvaluations;
    /**
     * Records of batches given up or abandoned, since the pipeline started: evaluations, exposures, messages. Written
     * under the monitor, read by {@link #lost()} without it, so that reading metrics never waits for a sink.
     */
    private final AtomicLongArray givenUp = new AtomicLongArray(3);

    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> usageTick;
    /** The send of the pending batch, scheduled for when the budget allows it; null when none is scheduled. */
    private ScheduledFuture<?> due;
    /** Set by {@link #stop()}: the final flush goes at once, whatever the budget says. */
    private boolean stopping;

    private boolean sinkFailing;
    /** The failure last logged at WARN in the current failing streak. */
    private String warnedFailure;
    /** The sink's last failure since it last accepted a batch; null when it accepted the last one. */
    private Throwable lastFailure;
    /** Set by {@link #abandonUnsent()}: nothing is sent any more and late sink answers are ignored. */
    private boolean closed;
    /** What flushes after close fail with as their cause: the last failure when the client closed. */
    private volatile Throwable failureAtClose;

    private static final class InFlight {
        final LogBatch batch;
        final List<CompletableFuture<Void>> futures;
        /** The usage the batch carries, with the counters it came from; null without a ledger. */
        final MeterLedger.Report usage;

        int attempts;

        InFlight(LogBatch batch, List<CompletableFuture<Void>> futures, MeterLedger.Report usage) {
            this.batch = batch;
            this.futures = futures;
            this.usage = usage;
        }

        boolean carriesUsage() {
            return usage != null && usage.size() > 0;
        }
    }

    /** {@code meters} is null when the schema has no metered field. */
    public LogPipeline(
            LogOptions options,
            EvaluationCounters counters,
            MessageLog messages,
            ScheduledExecutorService scheduler,
            String schemaHash,
            LongSupplier revision,
            MeterLedger meters) {
        this.meters = meters;
        this.options = options;
        this.sink = options.sink();
        this.counters = counters;
        this.messages = messages;
        this.scheduler = scheduler;
        this.schemaHash = schemaHash;
        this.revision = revision;
        this.budget = new FlushBudget(options.flushInterval());
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
    public synchronized void start() {
        long interval = options.flushInterval().toMillis();
        tick = scheduler.scheduleWithFixedDelay(() -> send(null, false), interval, interval, TimeUnit.MILLISECONDS);
        if (meters != null) {
            long usage = options.usageInterval().toMillis();
            usageTick = scheduler.scheduleWithFixedDelay(this::sendUsage, usage, usage, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends a batch now if usage of metered fields waits and no batch is in flight, whatever the budget says. */
    private void sendUsage() {
        if (meters.hasChanges()) {
            send(null, true);
        }
    }

    /** Usage of metered fields lost since the pipeline started: refused by the sink, or unsent at close. */
    public long usageLost() {
        return usageLost.get();
    }

    /**
     * Completes when everything recorded before this call has been accepted by the sink, or exceptionally: with the
     * sink's failure once the batch is given up, or with an {@link IllegalStateException} when the client closes first
     * (or was closed already). While a batch is in flight or batches went just before, the future waits for the next
     * batch, which every such call shares.
     */
    public CompletableFuture<Void> flush() {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        try {
            scheduler.execute(() -> send(accepted, false));
        } catch (RejectedExecutionException e) {
            accepted.completeExceptionally(
                    new IllegalStateException("the client is closed: no more logs are sent", failureAtClose));
        }
        return accepted;
    }

    /**
     * Stops the interval and the pending send; flushes after this one go at once. The caller flushes next if it wants
     * the last records sent: that batch also carries the flushes that were waiting for the pending one.
     */
    public synchronized void stop() {
        stopping = true;
        if (tick != null) {
            tick.cancel(false);
        }
        if (usageTick != null) {
            usageTick.cancel(false);
        }
        if (due != null) {
            due.cancel(false);
            due = null;
        }
    }

    /**
     * When the client closes, after its scheduler has stopped (or, closing from the scheduler's own thread, after the
     * tasks queued before): fails every flush future still outstanding (the batch in flight or
     * waiting for a retry that the scheduler dropped, and the flushes waiting for the next batch) with an {@link
     * IllegalStateException} whose cause is the sink's last failure, and logs one warning counting what was never
     * accepted, which no later batch can report. Later answers from the sink are ignored. Idempotent.
     */
    public void abandonUnsent() {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        long[] lost = new long[3];
        boolean unanswered;
        Throwable failure;
        long usage;
        synchronized (this) {
            if (closed) {
                return;
            }
            long usageBefore = usageLost.get();
            closed = true;
            unanswered = inFlight != null;
            if (inFlight != null) {
                futures.addAll(inFlight.futures);
                addUp(lost, inFlight.batch);
                givenUp(inFlight.batch);
                usageRefused(inFlight.usage);
                inFlight = null;
            }
            futures.addAll(waiting);
            waiting.clear();
            MeterLedger.Report unsent = meters == null ? null : meters.takeReport();
            LogBatch last = drain(unsent);
            addUp(lost, last);
            givenUp(last);
            usageRefused(unsent);
            usage = usageLost.get() - usageBefore;
            failure = lastFailure;
            failureAtClose = failure;
        }
        if (usage > 0) {
            LOG.warn(
                    "The client closed before log sink {} accepted {} of usage of metered fields; the fleet's usage"
                            + " will not count it",
                    sink,
                    usage);
        }
        if (lost[0] + lost[1] + lost[2] > 0 || !futures.isEmpty()) {
            LOG.warn(
                    "The client closed before log sink {} accepted its last records ({}); dropped evaluations={},"
                            + " exposures={}, messages={}",
                    sink,
                    failure != null
                            ? "last failure: " + failure.getMessage()
                            : unanswered ? "the sink had not answered" : "recorded after the last flush",
                    lost[0],
                    lost[1],
                    lost[2]);
        }
        IllegalStateException closedFirst =
                new IllegalStateException("the client was closed before the log sink accepted these records", failure);
        for (CompletableFuture<Void> future : futures) {
            future.completeExceptionally(closedFirst);
        }
    }

    /** Adds what {@code batch} holds, and the losses it carries, to {@code lost}: evaluations, exposures, messages. */
    private static void addUp(long[] lost, LogBatch batch) {
        long[] contents = contents(batch);
        lost[0] += contents[0] + batch.droppedEvaluations();
        lost[1] += contents[1] + batch.droppedExposures();
        lost[2] += contents[2] + batch.droppedMessages();
    }

    /** Holding the monitor: counts the records {@code batch} holds, not the earlier losses it reports, as given up. */
    private void givenUp(LogBatch batch) {
        long[] contents = contents(batch);
        for (int i = 0; i < contents.length; i++) {
            givenUp.addAndGet(i, contents[i]);
        }
    }

    /** The records {@code batch} holds: evaluations, exposures, messages. */
    private static long[] contents(LogBatch batch) {
        return new long[] {
            batch.evaluations().stream()
                    .mapToLong(LogBatch.EvaluationCount::count)
                    .sum(),
            batch.exposures().size(),
            batch.messages().stream().mapToLong(LogBatch.SdkMessage::count).sum()
        };
    }

    /**
     * Records lost since the pipeline started, each counted once, when it was lost: evaluation counts, exposures and
     * SDK messages of batches the sink gave up on or that were unsent at close, plus exposures and messages that
     * found their buffer full. The batches' own {@code dropped*} fields report the same losses to the sink, again
     * after each failed batch, so they cannot be summed. Two edges: evaluations made after the client closed are
     * neither sent nor counted here, and a batch the sink accepts only after the close gave it up stays counted. Takes
     * no lock, so a sink that is slow to answer never delays it.
     *
     * @return {evaluations, exposures, messages}
     */
    public long[] lost() {
        return new long[] {
            givenUp.get(0), exposures.overflowed() + givenUp.get(1), messages.overflowed() + givenUp.get(2)
        };
    }

    private void requestEarlyFlush() {
        if (earlyFlushRequested.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    earlyFlushRequested.set(false);
                    send(null, true);
                });
            } catch (RejectedExecutionException e) {
                earlyFlushRequested.set(false);
            }
        }
    }

    /**
     * Queues {@code accepted} (may be null) and sends a batch unless one is in flight or, unless {@code urgent}, the
     * budget holds it back: then the batch is sent when the budget allows, if any flush waits for it.
     */
    private synchronized void send(CompletableFuture<Void> accepted, boolean urgent) {
        if (closed) {
            if (accepted != null) {
                accepted.completeExceptionally(
                        new IllegalStateException("the client is closed: no more logs are sent", failureAtClose));
            }
            return;
        }
        if (accepted != null) {
            waiting.add(accepted);
        }
        if (inFlight != null) {
            return;
        }
        long wait = urgent || stopping ? 0 : budget.waitNanos();
        if (wait > 0) {
            if (!waiting.isEmpty()) {
                sendWhenDue(wait);
            }
            return;
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>(waiting);
        waiting.clear();
        MeterLedger.Report usage = meters == null ? null : meters.takeReport();
        LogBatch batch = drain(usage);
        if (batch.isEmpty()) {
            futures.forEach(f -> f.complete(null));
            return;
        }
        budget.take();
        inFlight = new InFlight(batch, futures, usage);
        attempt(inFlight);
    }

    /** Holding the monitor: schedules the pending batch in {@code nanos}, unless it is scheduled already. */
    private void sendWhenDue(long nanos) {
        if (due != null) {
            return;
        }
        try {
            due = scheduler.schedule(this::sendDue, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: the final flush sends what waits, or abandonUnsent fails it
        }
    }

    private synchronized void sendDue() {
        due = null;
        send(null, false);
    }

    /** Holding the monitor: counts the usage of {@code report}, if any, as lost, and keeps it counted locally. */
    private void usageRefused(MeterLedger.Report report) {
        if (report != null && report.size() > 0) {
            meters.refused(report);
            usageLost.addAndGet(report.total());
        }
    }

    private LogBatch drain(MeterLedger.Report usage) {
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
        long droppedExposures = exposures.takeDropped();
        long droppedMessages = messages.takeDropped();
        long droppedEvaluationCounts = droppedEvaluations;
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
                droppedExposures,
                droppedMessages,
                droppedEvaluationCounts,
                usage == null ? List.of() : usage.deltas());
        windowStart = now;
        return batch;
    }

    /** Holding the monitor: hands {@code current} to the sink once more. */
    private void attempt(InFlight current) {
        int attempt = ++current.attempts;
        CompletionStage<Void> sent;
        try {
            sent = sink.send(current.batch);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> onScheduler(() -> completed(current, attempt, error)));
    }

    private synchronized void retry(InFlight current) {
        if (!closed && inFlight == current) {
            attempt(current);
        }
    }

    private synchronized void completed(InFlight current, int attempt, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        if (closed || inFlight != current) {
            LOG.debug(
                    "Log sink {} answered after the client closed ({}); its batch was already counted as dropped",
                    sink,
                    cause == null ? "accepted" : cause.getMessage());
            return;
        }
        if (cause == null) {
            if (sinkFailing) {
                sinkFailing = false;
                warnedFailure = null;
                LOG.info("Log sink {} accepts batches again", sink);
            }
            lastFailure = null;
            if (current.carriesUsage()) {
                meters.accepted(current.usage, current.batch.batchId());
            }
            finish(current.futures, null);
            return;
        }
        lastFailure = cause;
        boolean retryable = !(cause instanceof LogSinkException failure) || failure.retryable();
        // A batch with usage is retried, with the same id, until the sink answers: sent again under a new id, usage
        // the server had counted before the connection failed would be counted twice.
        boolean retry = retryable && (attempt < options.maxAttempts() || current.carriesUsage());
        // Once per failing streak, and again for a different failure that is not retryable (a refused token after a
        // run of outages); a sink that refuses every batch alike is reported once, not once per batch.
        if (!sinkFailing || (!retryable && !Objects.equals(cause.getMessage(), warnedFailure))) {
            sinkFailing = true;
            warnedFailure = cause.getMessage();
            LOG.warn(
                    "Log sink {} failed ({}); {}",
                    sink,
                    cause.getMessage(),
                    retry ? "retrying with backoff" : "the batch is given up");
        }
        if (retry) {
            long delay = backoff(attempt);
            try {
                scheduler.schedule(() -> retry(current), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closing: the batch stays in flight, and abandonUnsent (which runs once the scheduler has stopped)
                // fails its flushes as closed first and counts it, whether this answer came before or after shutdown.
            }
            return;
        }
        LogBatch batch = current.batch;
        givenUp(batch);
        usageRefused(current.usage);
        messages.error("log batch given up after " + attempt + " attempts: " + cause.getMessage());
        droppedEvaluations += batch.evaluations().stream()
                .mapToLong(LogBatch.EvaluationCount::count)
                .sum();
        droppedEvaluations += batch.droppedEvaluations();
        exposures.addDropped(batch.exposures().size() + batch.droppedExposures());
        messages.addDropped(
                batch.messages().stream().mapToLong(LogBatch.SdkMessage::count).sum() + batch.droppedMessages());
        finish(current.futures, cause);
    }

    /** Holding the monitor: the batch in flight is done; completes its futures and sends the next if any wait. */
    private void finish(List<CompletableFuture<Void>> futures, Throwable cause) {
        inFlight = null;
        for (CompletableFuture<Void> future : futures) {
            if (cause == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(cause);
            }
        }
        if (!waiting.isEmpty()) {
            send(null, false);
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
