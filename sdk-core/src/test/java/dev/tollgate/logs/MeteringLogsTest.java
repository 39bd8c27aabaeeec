package dev.tollgate.logs;

import static dev.tollgate.MeteringFixtures.EXPORTS;
import static dev.tollgate.MeteringFixtures.REQUESTS;
import static dev.tollgate.MeteringFixtures.SCHEMA;
import static dev.tollgate.MeteringFixtures.SEATS;
import static dev.tollgate.MeteringFixtures.TODAY;
import static dev.tollgate.MeteringFixtures.field;
import static dev.tollgate.MeteringFixtures.reader;
import static dev.tollgate.MeteringFixtures.requests;
import static dev.tollgate.MeteringFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tollgate.LogOptions;
import dev.tollgate.MeteringFixtures.MutableClock;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.meter.MeterLedger;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.MeteredLimit;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Usage of metered fields in the client's log batches, with a sink that is not the Tollgate server. */
class MeteringLogsTest {
    private static final String LIMITS =
            """
            "entitlements.maxApiRequestsPerDay": {"default": 10},
            "entitlements.exportsPerHour": {"default": 10},
            "entitlements.seatsPerMonth": {"default": 10}""";

    private static TollgateClient client(LogSink sink, int maxAttempts) {
        LogOptions logs = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .usageInterval(Duration.ofHours(1))
                .maxAttempts(maxAttempts)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(10))
                .build();
        TollgateClient client = TollgateClient.builder(SCHEMA)
                .clock(new MutableClock())
                .logs(logs)
                .build();
        client.loadSnapshot(snapshot(1, LIMITS));
        return client;
    }

    @Test
    void flushLogs_sendsTheUsageConsumedSinceTheLastBatch_perFieldArgumentsKeyAndPeriod() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink, 3)) {
            FieldReader org1 = reader(client, "org_1", "PRO");
            requests(org1, "search").tryConsume(2, 0);
            requests(org1, "search").tryConsume(3, 0);
            requests(org1, "export").tryConsume(1, 0);
            requests(client, "org_2", "PRO", "search").tryConsume(4, 0);
            requests(client, "org_2", "PRO", "search").tryConsume(7, 0); // denied
            requests(client, null, "PRO", "search").tryConsume(1, 0); // not counted
            MeteredLimit.of(org1, field(EXPORTS), new Object[] {"CSV"}).tryConsume(1, 0);
            MeteredLimit.of(org1, field(SEATS), new Object[0]).tryConsume(1, 0);

            client.flushLogs().get(5, TimeUnit.SECONDS);
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.batches).hasSize(1);
            assertThat(sink.batches.get(0).usage())
                    .containsExactlyInAnyOrder(
                            new LogBatch.UsageDelta(REQUESTS, Map.of("endpoint", "search"), "org_1", "DAY", TODAY, 5),
                            new LogBatch.UsageDelta(REQUESTS, Map.of("endpoint", "export"), "org_1", "DAY", TODAY, 1),
                            new LogBatch.UsageDelta(REQUESTS, Map.of("endpoint", "search"), "org_2", "DAY", TODAY, 4),
                            new LogBatch.UsageDelta(
                                    EXPORTS,
                                    Map.of("format", "CSV"),
                                    "EU",
                                    "HOUR",
                                    Instant.parse("2026-12-06T15:00:00Z"),
                                    1),
                            new LogBatch.UsageDelta(
                                    SEATS, Map.of(), "u_1", "MONTH", Instant.parse("2026-12-01T00:00:00Z"), 1));
        }
    }

    @Test
    void flushLogs_accepted_keepsCountingTheReportedUsage_andTheNextBatchCarriesOnlyWhatCameAfter() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink, 3)) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");
            search.tryConsume(6, 0);

            client.flushLogs().get(5, TimeUnit.SECONDS);
            Consumption afterReport = search.usage(0);
            Consumption tooMuch = search.tryConsume(5, 0);
            search.tryConsume(4, 0);
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(afterReport.used()).isEqualTo(6);
            assertThat(tooMuch.status()).isEqualTo(Consumption.Status.DENIED);
            assertThat(sink.batches).hasSize(2);
            assertThat(sink.batches.get(1).usage())
                    .extracting(LogBatch.UsageDelta::amount)
                    .containsExactly(4L);
            assertThat(search.usage(0).used()).isEqualTo(10);
        }
    }

    @Test
    void flushLogs_refusedForGood_keepsTheUsageCountedByTheNextConsumption() throws Exception {
        FailingSink sink = new FailingSink(Integer.MAX_VALUE, false);
        try (TollgateClient client = client(sink, 3)) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");
            search.tryConsume(8, 0);

            CompletableFuture<Void> flushed = client.flushLogs();
            ExecutionException error =
                    catchThrowableOfType(ExecutionException.class, () -> flushed.get(5, TimeUnit.SECONDS));
            Consumption next = search.tryConsume(3, 0);

            assertThat(error).cause().isInstanceOf(LogSinkException.class).hasMessage("refused");
            assertThat(sink.sent).hasSize(1);
            assertThat(next.status()).isEqualTo(Consumption.Status.DENIED);
            assertThat(next.used()).isEqualTo(8);
        }
    }

    @Test
    void flushLogs_failingRetryably_retriesTheSameBatchIdBeyondMaxAttempts_untilAccepted() throws Exception {
        FailingSink sink = new FailingSink(4, true);
        try (TollgateClient client = client(sink, 2)) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");
            search.tryConsume(3, 0);

            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.sent).hasSize(5);
            assertThat(sink.sent)
                    .extracting(LogBatch::batchId)
                    .containsOnly(sink.sent.get(0).batchId());
            assertThat(sink.sent).allSatisfy(batch -> assertThat(batch.usage())
                    .extracting(LogBatch.UsageDelta::amount)
                    .containsExactly(3L));
            assertThat(search.usage(0).used()).isEqualTo(3);
        }
    }

    @Test
    void tryConsume_ofANewKeyWhenTheMeterIsFull_warnsOncePerFieldAndPeriod() {
        try (CapturedLog log = new CapturedLog();
                TollgateClient client = TollgateClient.builder(SCHEMA)
                        .clock(new MutableClock())
                        .logs(LogOptions.disabled())
                        .maxMeteredKeys(1)
                        .build()) {
            client.loadSnapshot(snapshot(1, LIMITS));
            requests(client, "org_1", "PRO", "search").tryConsume(1, 0);

            for (int i = 2; i < 6; i++) {
                requests(client, "org_" + i, "PRO", "search").tryConsume(1, 0);
            }

            assertThat(log.messages("WARN", MeterLedger.class))
                    .containsExactly("The meter of entitlements.maxApiRequestsPerDay counts as many keys or argument"
                            + " combinations in the period starting 2026-12-06T00:00:00Z as it may; usage of new ones"
                            + " is allowed and not counted until the period ends (see the client's maxMeteredKeys)");
        }
    }

    /** Fails the first {@code failures} batches, retryably or not, then accepts. */
    private static final class FailingSink implements LogSink {
        final List<LogBatch> sent = new CopyOnWriteArrayList<>();
        private final AtomicInteger failures;
        private final boolean retryable;

        FailingSink(int failures, boolean retryable) {
            this.failures = new AtomicInteger(failures);
            this.retryable = retryable;
        }

        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            sent.add(batch);
            return failures.getAndDecrement() > 0
                    ? CompletableFuture.failedFuture(
                            new LogSinkException(retryable ? "unavailable" : "refused", retryable))
                    : CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    }
}
