package dev.tollgate.logs;

import static dev.tollgate.logs.EvaluationLogsTest.SCHEMA;
import static dev.tollgate.logs.EvaluationLogsTest.context;
import static dev.tollgate.logs.EvaluationLogsTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.ClientMetrics;
import dev.tollgate.ClientMetrics.EvaluationTotal;
import dev.tollgate.FallbackCause;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.LoadResult;
import dev.tollgate.LogOptions;
import dev.tollgate.Reason;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import dev.tollgate.testing.SnapshotBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClientMetrics}: the cumulative counts a metrics library reads from a client. */
class ClientMetricsTest {

    @Test
    void evaluations_areCumulativeByFieldAndOutcome_andSurviveFlushes() throws Exception {
        try (TollgateClient client = EvaluationLogsTest.client(new RecordingSink())) {
            client.root(context("o1", "pro", "u1")).intValue("seats", 0);
            snapshot(1, "pro").installInto(client);
            UntypedRoot pro = client.root(context("o1", "pro", "u1"));
            pro.intValue("seats", 0);
            pro.intValue("seats", 0);
            client.root(context("o2", "free", "u2")).intValue("seats", 0);
            pro.intValue("label", 0);
            client.flushLogs().get(5, TimeUnit.SECONDS);
            pro.intValue("seats", 0);

            assertThat(nonZero(client.metrics()))
                    .containsExactlyInAnyOrder(
                            tuple("seats", "fallback:NOT_READY", Reason.Kind.FALLBACK, FallbackCause.NOT_READY, 1L),
                            tuple("seats", "rule:pro", Reason.Kind.RULE, null, 3L),
                            tuple("seats", "default", Reason.Kind.DEFAULT, null, 1L),
                            tuple(
                                    "label",
                                    "fallback:TYPE_MISMATCH",
                                    Reason.Kind.FALLBACK,
                                    FallbackCause.TYPE_MISMATCH,
                                    1L));
        }
    }

    /** Override labels are {@code override}, whatever key matched: no organization id reaches a metric. */
    @Test
    void overrideOutcomes_doNotNameTheKeyThatMatched() {
        try (TollgateClient client = EvaluationLogsTest.client(new RecordingSink())) {
            SnapshotBuilder.forSchema(SCHEMA)
                    .revision(1)
                    .field("seats", f -> f.override("context.org", "org_hooli", 50)
                            .override("context.org", "org_piper", 60)
                            .defaultValue(5))
                    .installInto(client);
            assertThat(client.root(context("org_hooli", "pro", null)).intValue("seats", 0))
                    .isEqualTo(50);
            assertThat(client.root(context("org_piper", "pro", null)).intValue("seats", 0))
                    .isEqualTo(60);

            assertThat(nonZero(client.metrics()))
                    .containsExactly(tuple("seats", "override", Reason.Kind.OVERRIDE, null, 2L));
        }
    }

    @Test
    void splitOutcomes_nameRuleAndArm() {
        try (TollgateClient client = EvaluationLogsTest.client(new RecordingSink())) {
            EvaluationLogsTest.installEveryoneInSplit(client);
            client.root(context("o", "free", "u1")).booleanValue("beta", false);

            assertThat(nonZero(client.metrics()))
                    .containsExactly(tuple("beta", "split:rollout:on", Reason.Kind.SPLIT, null, 1L));
        }
    }

    @Test
    void loads_areCountedByResult_fromEveryOrigin() {
        try (TollgateClient client = EvaluationLogsTest.client(new RecordingSink())) {
            ClientMetrics metrics = client.metrics();
            assertThat(metrics.installedAt()).isEmpty();
            Instant before = Instant.now();

            snapshot(2, "pro").installInto(client);
            snapshot(2, "pro").installInto(client);
            snapshot(1, "pro").installInto(client);
            assertThatThrownBy(() -> client.loadSnapshot("{\"schemaHash\": 1}"))
                    .isInstanceOf(InvalidSnapshotException.class);

            assertThat(metrics.loads(LoadResult.Status.INSTALLED)).isEqualTo(1);
            assertThat(metrics.loads(LoadResult.Status.UNCHANGED)).isEqualTo(1);
            assertThat(metrics.loads(LoadResult.Status.OLDER_IGNORED)).isEqualTo(1);
            assertThat(metrics.loads(LoadResult.Status.REJECTED)).isEqualTo(1);
            assertThat(metrics.installedAt())
                    .hasValueSatisfying(at -> assertThat(at).isBetween(before, Instant.now()));
        }
    }

    /**
     * Snapshots refused before they reach validation, for their size, are rejected loads too: from a live source (which
     * reports them through its context) and from {@code loadSnapshot}'s bounded reads.
     */
    @Test
    void snapshotsRefusedForTheirSize_areRejectedLoads_fromSourcesAndLoadSnapshot(@TempDir Path directory)
            throws Exception {
        Path file = directory.resolve("snapshot.json");
        Files.writeString(file, snapshot(1, "pro").toJson());
        SnapshotLimits tiny = SnapshotLimits.builder().maxBytes(64).build();
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .limits(tiny)
                .snapshotFile(file)
                .logs(LogOptions.disabled())
                .build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (client.status().rejectedSnapshots() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(client.status().rejectedSnapshots()).isEqualTo(1);
            assertThat(client.metrics().loads(LoadResult.Status.REJECTED)).isEqualTo(1);

            assertThatThrownBy(() -> client.loadSnapshot(file)).isInstanceOf(InvalidSnapshotException.class);
            assertThatThrownBy(() -> client.loadSnapshot(Files.newInputStream(file)))
                    .isInstanceOf(InvalidSnapshotException.class);

            assertThat(client.metrics().loads(LoadResult.Status.REJECTED)).isEqualTo(3);
            assertThat(client.metrics().loads(LoadResult.Status.INSTALLED)).isZero();
        }
    }

    /** Records still unsent when the client closes, because the sink never answered, are lost and counted. */
    @Test
    void recordsUnsentAtClose_areCountedAsDropped() {
        LogOptions options = LogOptions.builder()
                .sink(new SilentSink())
                .flushInterval(Duration.ofHours(1))
                .closeTimeout(Duration.ofMillis(100))
                .build();
        TollgateClient client = TollgateClient.builder(SCHEMA).logs(options).build();
        snapshot(1, "pro").installInto(client);
        UntypedRoot root = client.root(context("o1", "pro", "u1"));
        for (int i = 0; i < 3; i++) {
            root.intValue("seats", 0);
        }

        client.close();

        assertThat(client.metrics().droppedEvaluations()).isEqualTo(3);
    }

    /**
     * Each lost record is counted once. A batch the sink gives up on reports its losses again in the next batch (the
     * sink never saw them), so summing the batches' {@code dropped*} fields would count the first loss twice.
     */
    @Test
    void droppedRecords_areCountedOnce_acrossRepeatedFailures() throws Exception {
        RefusingSink sink = new RefusingSink();
        LogOptions options = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .maxAttempts(1)
                .build();
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(options).build()) {
            snapshot(1, "pro").installInto(client);
            UntypedRoot root = client.root(context("o1", "pro", "u1"));
            for (int i = 0; i < 3; i++) {
                root.intValue("seats", 0);
            }
            assertThatThrownBy(() -> client.flushLogs().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThat(client.metrics().droppedEvaluations()).isEqualTo(3);

            root.intValue("seats", 0);
            root.intValue("seats", 0);
            assertThatThrownBy(() -> client.flushLogs().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);

            assertThat(sink.batches).hasSize(2);
            assertThat(sink.batches.get(1).droppedEvaluations()).isEqualTo(3);
            assertThat(client.metrics().droppedEvaluations()).isEqualTo(5);
            // The first give-up recorded one SDK message, which the second batch carried and lost with it.
            assertThat(client.metrics().droppedMessages()).isEqualTo(1);
            assertThat(client.metrics().droppedExposures()).isZero();
        }
    }

    @Test
    void exposuresThatFindTheBufferFull_areCountedAsDropped() {
        LogOptions options = LogOptions.builder()
                .sink(new RecordingSink())
                .flushInterval(Duration.ofHours(1))
                .maxExposures(5)
                .flushThreshold(1_000)
                .build();
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(options).build()) {
            EvaluationLogsTest.installEveryoneInSplit(client);
            for (int user = 0; user < 12; user++) {
                client.root(context("o", "free", "u" + user)).booleanValue("beta", false);
            }

            assertThat(client.metrics().droppedExposures()).isEqualTo(7);
        }
    }

    @Test
    void withLoggingOff_nothingIsCounted_butLoadsAre() {
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).logs(LogOptions.disabled()).build()) {
            snapshot(1, "pro").installInto(client);
            client.root(context("o1", "pro", "u1")).intValue("seats", 0);

            ClientMetrics metrics = client.metrics();
            assertThat(metrics.countsEvaluations()).isFalse();
            assertThat(metrics.evaluations()).isEmpty();
            assertThat(metrics.droppedEvaluations()).isZero();
            assertThat(metrics.loads(LoadResult.Status.INSTALLED)).isEqualTo(1);
        }
    }

    @Test
    void everyFieldHasItsFallbackOutcomes_fromTheStart() {
        try (TollgateClient client = EvaluationLogsTest.client(new RecordingSink())) {
            assertThat(client.metrics().evaluations())
                    .hasSize(3 * FallbackCause.values().length)
                    .allSatisfy(total -> {
                        assertThat(total.kind()).isEqualTo(Reason.Kind.FALLBACK);
                        assertThat(total.outcome()).isEqualTo("fallback:" + total.fallbackCause());
                        assertThat(total.count()).isZero();
                    });
        }
    }

    @Test
    void evaluationTotal_refusesACauseWithoutAFallback() {
        assertThatThrownBy(
                        () -> new EvaluationTotal("seats", "default", Reason.Kind.DEFAULT, FallbackCause.NO_MATCH, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a fallback cause goes with, and only with, a fallback outcome: DEFAULT, NO_MATCH");
    }

    private static List<org.assertj.core.groups.Tuple> nonZero(ClientMetrics metrics) {
        return metrics.evaluations().stream()
                .filter(t -> t.count() > 0)
                .map(t -> tuple(t.field(), t.outcome(), t.kind(), t.fallbackCause(), t.count()))
                .toList();
    }

    /** Never answers. */
    private static final class SilentSink implements LogSink {
        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {}
    }

    /** Refuses every batch for good, and keeps what it was offered. */
    private static final class RefusingSink implements LogSink {
        final List<LogBatch> batches = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            batches.add(batch);
            return CompletableFuture.failedFuture(new LogSinkException("refused", false));
        }

        @Override
        public void close() {}
    }
}
