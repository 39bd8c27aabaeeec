package dev.tollgate.internal.logs;

import static dev.tollgate.MeteringFixtures.REQUESTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.LogOptions;
import dev.tollgate.MeteringFixtures;
import dev.tollgate.MeteringFixtures.MutableClock;
import dev.tollgate.Reason;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.meter.MeterLedger;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LogPipeline} with a {@link MeterLedger}: usage rides in batches, a batch carrying usage is retried with its id
 * until the sink answers, and usage that never reaches the sink is kept counted locally and tallied in {@link
 * LogPipeline#usageLost()}.
 */
class LogPipelineUsageTest {
    private static final SchemaModel MODEL = ApiAccess.model(MeteringFixtures.SCHEMA);
    private static final int FIELD = MODEL.fieldIndex(REQUESTS);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MeterLedger meters = MeterLedger.create(MODEL, new MutableClock(), 100);
    private final MessageLog messages = new MessageLog(10);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private LogPipeline pipeline(LogSink sink, int maxAttempts, Duration usageInterval) {
        LogOptions options = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .usageInterval(usageInterval)
                .maxAttempts(maxAttempts)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(10))
                .build();
        LogPipeline pipeline =
                new LogPipeline(options, null, messages, scheduler, "sha256:" + "0".repeat(64), () -> 1, meters);
        pipeline.start();
        return pipeline;
    }

    private Consumption consume(int amount) {
        return meters.consume(
                FIELD,
                MeteringFixtures.context("org_1", "PRO"),
                new Object[] {"search"},
                amount,
                10,
                false,
                Reason.ofDefault());
    }

    @Test
    void flush_refusedForGood_keepsTheUsageCounted_countsItLost_andDoesNotSendItAgain() throws Exception {
        ScriptedSink sink = new ScriptedSink(new LogSinkException("logs endpoint answered HTTP 400", false));
        LogPipeline pipeline = pipeline(sink, 3, Duration.ofHours(1));
        consume(6);

        CompletableFuture<Void> refused = pipeline.flush();
        ExecutionException error =
                catchThrowableOfType(ExecutionException.class, () -> refused.get(5, TimeUnit.SECONDS));
        consume(1);
        pipeline.flush().get(5, TimeUnit.SECONDS);

        assertThat(error).cause().hasMessage("logs endpoint answered HTTP 400");
        assertThat(pipeline.usageLost()).isEqualTo(6);
        assertThat(consume(0).used()).as("the refused 6 still count here").isEqualTo(7);
        assertThat(consume(4).status()).isEqualTo(Consumption.Status.DENIED);
        assertThat(sink.batches).hasSize(2);
        assertThat(sink.batches.get(0).usage())
                .extracting(LogBatch.UsageDelta::amount)
                .containsExactly(6L);
        assertThat(sink.batches.get(1).usage())
                .extracting(LogBatch.UsageDelta::amount)
                .containsExactly(1L);
    }

    @Test
    void flush_ofUsage_isRetriedWithTheSameBatchIdPastMaxAttempts_untilTheSinkAccepts() throws Exception {
        LogSinkException unavailable = new LogSinkException("logs endpoint answered HTTP 503", true);
        ScriptedSink sink = new ScriptedSink(unavailable, unavailable, unavailable, unavailable, unavailable);
        LogPipeline pipeline = pipeline(sink, 2, Duration.ofHours(1));
        consume(6);

        pipeline.flush().get(5, TimeUnit.SECONDS);

        assertThat(sink.batches).hasSize(6);
        assertThat(sink.batches)
                .extracting(LogBatch::batchId)
                .containsOnly(sink.batches.get(0).batchId());
        assertThat(sink.batches.get(5).usage())
                .extracting(LogBatch.UsageDelta::amount)
                .containsExactly(6L);
        assertThat(pipeline.usageLost()).isZero();
        assertThat(consume(0).used()).isEqualTo(6);
        assertThat(meters.takeReport().deltas()).isEmpty();
    }

    @Test
    void flush_withoutUsage_isStillGivenUpAfterMaxAttempts() throws Exception {
        LogSinkException unavailable = new LogSinkException("logs endpoint answered HTTP 503", true);
        ScriptedSink sink = new ScriptedSink(unavailable, unavailable, unavailable);
        LogPipeline pipeline = pipeline(sink, 2, Duration.ofHours(1));
        messages.warn("something to send");

        CompletableFuture<Void> flushed = pipeline.flush();
        ExecutionException error =
                catchThrowableOfType(ExecutionException.class, () -> flushed.get(5, TimeUnit.SECONDS));

        assertThat(error).cause().isSameAs(unavailable);
        assertThat(sink.batches).hasSize(2);
        assertThat(sink.batches.get(0).usage()).isEmpty();
    }

    @Test
    void abandonUnsent_countsTheUsageOfTheBatchInFlightAndTheUnsentAsLost_andKeepsItCounted() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        sink.neverAnswer = true;
        LogPipeline pipeline = pipeline(sink, 3, Duration.ofHours(1));
        consume(4);
        CompletableFuture<Void> inFlight = pipeline.flush();
        sink.awaitBatches(1);
        consume(3);

        pipeline.stop();
        scheduler.shutdown();
        assertThat(scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        pipeline.abandonUnsent();

        assertThat(pipeline.usageLost()).isEqualTo(7);
        assertThat(consume(0).used()).isEqualTo(7);
        assertThat(inFlight).isCompletedExceptionally();
    }

    @Test
    void usageInterval_sendsWaitingUsage_withoutAFlush() throws Exception {
        ScriptedSink sink = new ScriptedSink();
        pipeline(sink, 3, Duration.ofMillis(20));

        consume(2);
        sink.awaitBatches(1);

        assertThat(sink.batches.get(0).usage())
                .containsExactly(new LogBatch.UsageDelta(
                        REQUESTS, Map.of("endpoint", "search"), "org_1", "DAY", MeteringFixtures.TODAY, 2));
    }

    /** Fails the first sends with the given failures, then accepts; records every batch it is handed. */
    private static final class ScriptedSink implements LogSink {
        final List<LogBatch> batches = new CopyOnWriteArrayList<>();
        private final BlockingQueue<RuntimeException> failures;
        volatile boolean neverAnswer;

        ScriptedSink(RuntimeException... failures) {
            this.failures = new LinkedBlockingQueue<>(List.of(failures));
        }

        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            batches.add(batch);
            if (neverAnswer) {
                return new CompletableFuture<>();
            }
            RuntimeException failure = failures.poll();
            return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
        }

        void awaitBatches(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (batches.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(batches).hasSizeGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() {}
    }
}
