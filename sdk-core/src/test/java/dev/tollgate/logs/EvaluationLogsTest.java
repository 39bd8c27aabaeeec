package dev.tollgate.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.internal.logs.LogPipeline;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import dev.tollgate.testing.SplitSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EvaluationLogsTest {
    static final Schema SCHEMA = Schema.parse(
            """
            input Context { org: String!  plan: String!  user: String }
            type Root { seats: Int!  beta: Boolean!  label: String! }
            """,
            "logs.graphql");

    @Test
    void flushLogs_countsEveryEvaluationByFieldAndOutcome() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink)) {
            snapshot(1, "rule").installInto(client);
            UntypedRoot pro = client.root(context("o1", "pro", "u1"));
            UntypedRoot free = client.root(context("o2", "free", "u2"));
            for (int i = 0; i < 3; i++) {
                pro.intValue("seats", 0);
            }
            free.intValue("seats", 0);
            free.booleanValue("beta", false);
            pro.intValue("label", 0);

            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.count("seats", "rule:rule")).isEqualTo(3);
            assertThat(sink.count("seats", "default")).isEqualTo(1);
            assertThat(sink.count("beta", "fallback:NO_LOGIC")).isEqualTo(1);
            assertThat(sink.count("label", "fallback:TYPE_MISMATCH")).isEqualTo(1);
            assertThat(sink.batches).hasSize(1);
            assertThat(sink.batches.get(0).messages())
                    .extracting(LogBatch.SdkMessage::level, LogBatch.SdkMessage::message, LogBatch.SdkMessage::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            "WARN", "TYPE_MISMATCH: label is a String, not an Int", 1L));
            assertThat(sink.batches.get(0).revision()).isEqualTo(1);
        }
    }

    @Test
    void nullArgs_areCountedAndReportedAsInvalidArguments() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink)) {
            snapshot(1, "rule").installInto(client);
            UntypedRoot root = client.root(context("o1", "pro", null));

            assertThat(root.intValue("seats", null, 7)).isEqualTo(7);
            assertThat(root.detail("seats", null, 7).value()).isEqualTo(7);
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.counts("seats")).isEqualTo(Map.of("fallback:INVALID_ARGUMENTS", 2L));
            assertThat(sink.batches.get(0).messages())
                    .extracting(LogBatch.SdkMessage::level, LogBatch.SdkMessage::message, LogBatch.SdkMessage::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(
                            "WARN",
                            "INVALID_ARGUMENTS: seats: the arguments are null; pass Map.of() for a field without"
                                    + " arguments",
                            2L));
        }
    }

    @Test
    void flushLogs_withNothingRecorded_completesWithoutSending() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink)) {
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.batches).isEmpty();
        }
    }

    @Test
    void exposures_areRecordedWhenASplitIsReached_onceperUnitAndArm() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink)) {
            SnapshotBuilder.forSchema(SCHEMA)
                    .field("beta", f -> f.rule("staff", ConditionSpec.eq("context.plan", "staff"), true)
                            .splitRule(
                                    "rollout",
                                    null,
                                    SplitSpec.by("context.user")
                                            .seed("beta-1")
                                            .arm("on", 50, true)
                                            .defaultArm("off", false)))
                    .installInto(client);
            for (int repeat = 0; repeat < 3; repeat++) {
                for (int user = 0; user < 10; user++) {
                    client.root(context("o", "free", "u" + user)).booleanValue("beta", false);
                }
            }
            client.root(context("o", "staff", "u99")).booleanValue("beta", false);

            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.exposures()).hasSize(10);
            assertThat(sink.exposures()).allSatisfy(e -> {
                assertThat(e.field()).isEqualTo("beta");
                assertThat(e.rule()).isEqualTo("rollout");
                assertThat(e.arm()).isIn("on", "off");
            });
            assertThat(sink.exposures()).extracting(LogBatch.Exposure::unit).doesNotContain("u99");
            assertThat(sink.count("beta", "split:rollout:on") + sink.count("beta", "split:rollout:off"))
                    .isEqualTo(30);
        }
    }

    @Test
    void exposures_overTheBufferCapacity_areDroppedAndCountedInTheNextBatch() throws Exception {
        RecordingSink sink = new RecordingSink();
        LogOptions options = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .maxExposures(5)
                .flushThreshold(1_000)
                .build();
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(options).build()) {
            installEveryoneInSplit(client);
            for (int user = 0; user < 12; user++) {
                client.root(context("o", "free", "u" + user)).booleanValue("beta", false);
            }

            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.batches).hasSize(1);
            assertThat(sink.batches.get(0).exposures()).hasSize(5);
            assertThat(HttpLogSinkTest.dropped(sink.batches.get(0))).containsExactly(7L, 0L, 0L);
        }
    }

    @Test
    void exposures_pastTheThreshold_flushEarly() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink() {
            @Override
            public java.util.concurrent.CompletionStage<Void> send(LogBatch batch) {
                java.util.concurrent.CompletionStage<Void> accepted = super.send(batch);
                sent.countDown();
                return accepted;
            }
        };
        LogOptions options = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .flushThreshold(4)
                .build();
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(options).build()) {
            installEveryoneInSplit(client);
            for (int user = 0; user < 4; user++) {
                client.root(context("o", "free", "u" + user)).booleanValue("beta", false);
            }

            assertThat(sent.await(5, TimeUnit.SECONDS))
                    .as("a batch was sent before the hour-long interval")
                    .isTrue();
            assertThat(sink.batches.get(0).exposures()).hasSize(4);
        }
    }

    @Test
    void interval_sendsBatchesWithoutAnyFlushCall() throws Exception {
        RecordingSink sink = new RecordingSink();
        LogOptions options = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofMillis(50))
                .build();
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(options).build()) {
            snapshot(1, "rule").installInto(client);
            client.root(context("o1", "pro", null)).intValue("seats", 0);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sink.batches.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }

            assertThat(sink.count("seats", "rule:rule")).isEqualTo(1);
        }
    }

    @Test
    void close_flushesAndClosesTheSink() {
        RecordingSink sink = new RecordingSink();
        TollgateClient client = client(sink);
        snapshot(1, "rule").installInto(client);
        client.root(context("o1", "pro", null)).intValue("seats", 0);

        client.close();
        client.close();

        assertThat(sink.count("seats", "rule:rule")).isEqualTo(1);
        assertThat(sink.closed).isTrue();
        assertThat(client.flushLogs()).isCompletedExceptionally();
    }

    /**
     * A flush whose batch waits for a retry when the client closes: the scheduler drops the retry, and the flushes it
     * would have completed fail instead of staying pending forever; what they covered is counted in one warning.
     */
    @Test
    void close_whileARetryIsPending_failsTheWaitingFlushes_andWarnsWithWhatWasDropped() throws Exception {
        ControlledSink sink = new ControlledSink();
        SchedulerProbe probe = new SchedulerProbe();
        LogSinkException unavailable = new LogSinkException("logs endpoint answered HTTP 503", true);
        try (CapturedLog log = new CapturedLog()) {
            TollgateClient client = TollgateClient.builder(SCHEMA)
                    .logs(retryingAMinuteLater(sink))
                    .source(probe)
                    .build();
            seatsAndEveryoneInBeta().installInto(client);
            UntypedRoot pro = client.root(context("o1", "pro", "u1"));
            for (int i = 0; i < 3; i++) {
                pro.intValue("seats", 0);
            }
            CompletableFuture<Void> first = client.flushLogs();
            sink.next().completeExceptionally(unavailable);
            probe.awaitTasksQueuedSoFar(); // the failure was handled: the retry is a minute away
            pro.booleanValue("beta", false); // one exposure
            pro.intValue("label", 0); // one TYPE_MISMATCH message
            CompletableFuture<Void> second = client.flushLogs();

            client.close();

            for (CompletableFuture<Void> flushed : List.of(first, second)) {
                assertFailedByClose(flushed, unavailable);
            }
            assertThat(sink.sent).as("the retry never ran").hasSize(1);
            assertThat(sink.sent.get(0).evaluations())
                    .containsExactly(new LogBatch.EvaluationCount("seats", "rule:pro", 3));
            assertThat(log.messages("WARN", LogPipeline.class))
                    .containsExactly(
                            "Log sink ControlledSink failed (logs endpoint answered HTTP 503); retrying with backoff",
                            "The client closed before log sink ControlledSink accepted its last records"
                                    + " (last failure: logs endpoint answered HTTP 503); dropped evaluations=5,"
                                    + " exposures=1, messages=1");
            assertThatThrownBy(() -> client.flushLogs().get(5, TimeUnit.SECONDS))
                    .as("a flush after close")
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the client is closed: no more logs are sent")
                    .cause()
                    .isSameAs(unavailable);
        }
    }

    @Test
    void close_whileTheSinkHasNotAnswered_failsTheFlushAfterTheCloseTimeout() throws Exception {
        ControlledSink sink = new ControlledSink();
        try (CapturedLog log = new CapturedLog()) {
            TollgateClient client = TollgateClient.builder(SCHEMA)
                    .logs(retryingAMinuteLater(sink))
                    .build();
            snapshot(1, "rule").installInto(client);
            client.root(context("o1", "pro", null)).intValue("seats", 0);
            CompletableFuture<Void> flushed = client.flushLogs();
            CompletableFuture<Void> unanswered = sink.next();

            client.close();

            assertThatThrownBy(() -> flushed.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the client was closed before the log sink accepted these records")
                    .hasNoCause();
            assertThat(log.messages("WARN", LogPipeline.class))
                    .containsExactly("The client closed before log sink ControlledSink accepted its last records"
                            + " (the sink had not answered); dropped evaluations=1, exposures=0, messages=0");
            unanswered.complete(null); // a late acceptance changes nothing
            assertThat(flushed).isCompletedExceptionally();
            assertThat(sink.sent).hasSize(1);
        }
    }

    /** Closing from a listener, on the client's own thread, cannot wait; the pending flush still fails. */
    @Test
    void close_fromAListener_whileARetryIsPending_failsTheWaitingFlush() throws Exception {
        ControlledSink sink = new ControlledSink();
        SchedulerProbe probe = new SchedulerProbe();
        LogSinkException unavailable = new LogSinkException("logs endpoint answered HTTP 503", true);
        TollgateClient client = TollgateClient.builder(SCHEMA)
                .logs(retryingAMinuteLater(sink))
                .source(probe)
                .build();
        snapshot(1, "rule").installInto(client);
        client.root(context("o1", "pro", null)).intValue("seats", 0);
        CompletableFuture<Void> flushed = client.flushLogs();
        sink.next().completeExceptionally(unavailable);
        probe.awaitTasksQueuedSoFar();
        client.addSnapshotListener(change -> client.close());

        snapshot(2, "rule").installInto(client);

        assertFailedByClose(flushed, unavailable);
        assertThat(client.isClosed()).isTrue();
    }

    private static LogOptions retryingAMinuteLater(LogSink sink) {
        return LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .backoff(Duration.ofMinutes(1), Duration.ofMinutes(1))
                .closeTimeout(Duration.ZERO)
                .build();
    }

    private static SnapshotBuilder seatsAndEveryoneInBeta() {
        return SnapshotBuilder.forSchema(SCHEMA)
                .field("seats", f -> f.rule("pro", ConditionSpec.eq("context.plan", "pro"), 20)
                        .defaultValue(5))
                .field(
                        "beta",
                        f -> f.splitRule(
                                "rollout",
                                null,
                                SplitSpec.by("context.user").seed("s").arm("on", 100, true)));
    }

    /** A sink whose answers the test gives: every batch gets a future the test completes. */
    static final class ControlledSink implements LogSink {
        final List<LogBatch> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final BlockingQueue<CompletableFuture<Void>> answers = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            sent.add(batch);
            CompletableFuture<Void> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        /** The answer to the next batch sent, once it is. */
        CompletableFuture<Void> next() throws InterruptedException {
            CompletableFuture<Void> answer = answers.poll(5, TimeUnit.SECONDS);
            assertThat(answer).as("a batch was sent").isNotNull();
            return answer;
        }

        @Override
        public String toString() {
            return "ControlledSink";
        }
    }

    /** A source that delivers nothing; it reaches the client's scheduler, to wait until queued tasks have run. */
    static final class SchedulerProbe implements SnapshotSource {
        private volatile SourceContext context;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public void start(SourceContext context) {
            this.context = context;
        }

        /** Returns once every task queued on the client's scheduler before this call has run. */
        void awaitTasksQueuedSoFar() throws InterruptedException {
            CountDownLatch ran = new CountDownLatch(1);
            context.schedule(ran::countDown, Duration.ZERO);
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() {}
    }

    @Test
    void close_leavesNoThreadBehind() throws Exception {
        java.util.Set<Thread> before = tollgateThreads();
        TollgateClient client = client(new RecordingSink());
        snapshot(1, "rule").installInto(client);
        client.root(context("o1", "pro", null)).intValue("seats", 0);
        client.flushLogs().get(5, TimeUnit.SECONDS);
        java.util.Set<Thread> started = tollgateThreads();
        started.removeAll(before);
        assertThat(started).as("the client's background thread").isNotEmpty();

        client.close();

        assertThat(started).noneMatch(Thread::isAlive);
    }

    private static java.util.Set<Thread> tollgateThreads() {
        java.util.Set<Thread> threads = new java.util.HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("tollgate-") && thread.isAlive()) {
                threads.add(thread);
            }
        }
        return threads;
    }

    @Test
    void disabled_recordsAndSendsNothing() throws Exception {
        RecordingSink sink = new RecordingSink();
        LogOptions off = LogOptions.builder().sink(sink).enabled(false).build();
        try (TollgateClient client = TollgateClient.builder(SCHEMA).logs(off).build()) {
            snapshot(1, "rule").installInto(client);
            client.root(context("o1", "pro", null)).intValue("seats", 0);

            client.flushLogs().get(1, TimeUnit.SECONDS);
        }

        assertThat(sink.batches).isEmpty();
        assertThat(sink.closed).isFalse();
    }

    /**
     * Several threads times a million evaluations, with snapshots swapping meanwhile, add up exactly. Every 20th
     * snapshot names its rule anew, so new counter slots keep appearing while older roots still count into the arrays
     * they were given.
     */
    @Test
    void counts_underConcurrencyAndSnapshotSwaps_addUpExactly() throws Exception {
        RecordingSink sink = new RecordingSink();
        int threads = 4;
        int perThread = 1_000_000;
        try (TollgateClient client = client(sink)) {
            snapshot(1, "odd").installInto(client);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    DynamicInput context = context("o1", "pro", null);
                    for (int i = 0; i < perThread; i += 100) {
                        UntypedRoot root = client.root(context);
                        for (int j = 0; j < 100; j++) {
                            root.intValue("seats", Map.of(), 0);
                        }
                    }
                });
                workers.add(worker);
                worker.start();
            }
            for (int revision = 2; workers.stream().anyMatch(Thread::isAlive); revision++) {
                String rule = revision % 20 == 0 ? "new" + revision : revision % 2 == 0 ? "even" : "odd";
                snapshot(revision, rule).installInto(client);
                if (revision % 10 == 0) {
                    client.flushLogs();
                }
                Thread.sleep(1);
            }
            for (Thread worker : workers) {
                worker.join();
            }

            client.flushLogs().get(10, TimeUnit.SECONDS);

            Map<String, Long> counts = sink.counts("seats");
            assertThat(counts.values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo((long) threads * perThread);
            assertThat(counts.keySet()).allMatch(outcome -> outcome.startsWith("rule:"));
            assertThat(counts.keySet().stream().filter(outcome -> outcome.startsWith("rule:new")))
                    .as("rules named while the threads were counting")
                    .isNotEmpty();
            assertThat(sink.batches)
                    .allSatisfy(b -> assertThat(b.droppedEvaluations()).isZero());
        }
    }

    /**
     * Regression: each {@code flushLogs()} used to send a batch of its own as soon as the one before was accepted, so a
     * service flushing after every request sent hundreds of batches a second. Now calls made while a batch is in flight
     * or just after a burst of batches share the next one, and each future still completes only once the sink has
     * accepted what its thread recorded before the call.
     */
    @Test
    void flushLogs_afterEveryRequestFromManyThreads_coalescesIntoAFewBatches_eachCoveringWhatWasRecordedBefore()
            throws Exception {
        RecordingSink sink = new RecordingSink();
        int threads = 8;
        int requests = 50;
        List<String> uncovered = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> flushes = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TollgateClient client = client(sink)) {
            SnapshotBuilder.forSchema(SCHEMA)
                    .field("seats", f -> {
                        for (int t = 0; t < threads; t++) {
                            f.rule("t" + t, ConditionSpec.eq("context.org", "o" + t), 20);
                        }
                        f.defaultValue(5);
                    })
                    .installInto(client);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String rule = "rule:t" + t;
                DynamicInput context = context("o" + t, "pro", null);
                workers.add(new Thread(() -> {
                    for (int request = 1; request <= requests; request++) {
                        client.root(context).intValue("seats", 0);
                        long recorded = request;
                        CompletableFuture<Void> flushed = client.flushLogs();
                        flushes.add(flushed.thenRun(() -> {
                            if (sink.count("seats", rule) < recorded) {
                                uncovered.add(rule + " #" + recorded);
                            }
                        }));
                        pause(); // requests keep coming while batches go, as in a service
                    }
                }));
            }
            workers.forEach(Thread::start);
            for (Thread worker : workers) {
                worker.join();
            }

            CompletableFuture.allOf(flushes.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);

            assertThat(flushes).hasSize(threads * requests);
            assertThat(uncovered)
                    .as("flushes completed before the sink had their records")
                    .isEmpty();
            assertThat(sink.counts("seats").values().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .isEqualTo((long) threads * requests);
            assertThat(sink.batches)
                    .as("a burst of five batches, then one for every flush made meanwhile")
                    .hasSizeBetween(2, 6);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code flushed} failed because the client closed first, with the sink's last failure as the cause. */
    private static void assertFailedByClose(CompletableFuture<Void> flushed, Throwable lastFailure) {
        assertThatThrownBy(() -> flushed.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the client was closed before the log sink accepted these records")
                .cause()
                .isSameAs(lastFailure);
    }

    /** A snapshot whose field {@code beta} puts every unit in arm "on" of split "rollout". */
    static void installEveryoneInSplit(TollgateClient client) {
        SnapshotBuilder.forSchema(SCHEMA)
                .field(
                        "beta",
                        f -> f.splitRule(
                                "rollout",
                                null,
                                SplitSpec.by("context.user").seed("s").arm("on", 100, true)))
                .installInto(client);
    }

    static TollgateClient client(RecordingSink sink) {
        return TollgateClient.builder(SCHEMA)
                .logs(LogOptions.builder()
                        .sink(sink)
                        .flushInterval(Duration.ofHours(1))
                        .build())
                .build();
    }

    static SnapshotBuilder snapshot(long revision, String ruleId) {
        return SnapshotBuilder.forSchema(SCHEMA).revision(revision).field("seats", f -> f.rule(
                        ruleId, ConditionSpec.eq("context.plan", "pro"), 20)
                .defaultValue(5));
    }

    static DynamicInput context(String org, String plan, String user) {
        Map<String, Object> values = new java.util.HashMap<>(Map.of("org", org, "plan", plan));
        if (user != null) {
            values.put("user", user);
        }
        return DynamicInput.context(SCHEMA, values);
    }
}
