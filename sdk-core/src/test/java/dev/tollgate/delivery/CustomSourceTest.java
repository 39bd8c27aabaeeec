package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.snapshotBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.LoadResult;
import dev.tollgate.ReadyResult;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The source SPI: what a plugin's source sees of the client, and how its reports become the client's status. */
class CustomSourceTest {
    private TollgateClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** A source the test drives through the context it was started with. */
    private static final class ManualSource implements SnapshotSource {
        volatile SourceContext context;
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public String name() {
            return "manual-test-source";
        }

        @Override
        public void start(SourceContext context) {
            this.context = context;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void deliveries_reportWhatTheClientDid() {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA).source(source).build();
        SourceContext context = source.context;
        assertThat(context.schemaHash()).isEqualTo(SCHEMA.hash());
        assertThat(context.limits()).isEqualTo(client.limits());

        assertThat(context.deliver(snapshotBytes(2), null))
                .isEqualTo(new LoadResult(LoadResult.Status.INSTALLED, 2, 0, SCHEMA.hash(), true, null));
        assertThat(context.deliver(snapshotBytes(2), null))
                .isEqualTo(new LoadResult(LoadResult.Status.UNCHANGED, 2, 2, SCHEMA.hash(), true, null));
        assertThat(context.deliver(snapshotBytes(1), null))
                .isEqualTo(new LoadResult(LoadResult.Status.OLDER_IGNORED, 1, 2, SCHEMA.hash(), true, null));
        LoadResult rejected = context.deliver("{}".getBytes(StandardCharsets.UTF_8), null);
        assertThat(rejected.status()).isEqualTo(LoadResult.Status.REJECTED);
        assertThat(rejected.accepted()).isFalse();
        assertThat(rejected.previousRevision()).isEqualTo(2);
        assertThat(rejected.problem()).contains("format: expected 1 but found nothing");

        assertThat(context.revision()).isEqualTo(2);
        assertThat(client.readiness().join().source()).contains("manual-test-source");
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.INTERRUPTED);
        assertThat(client.status().rejectedSnapshots()).isEqualTo(1);
    }

    @Test
    void deliver_reportsAnErrorWhileLoading_insteadOfThrowingIt() {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA)
                .limits(Fixtures.DEEP_LIMITS)
                .source(source)
                .build();
        source.context.deliver(snapshotBytes(1), null);

        LoadResult delivery = source.context.deliver(Fixtures.tooDeepForTheStack(2), null);

        assertThat(delivery)
                .isEqualTo(LoadResult.rejected(
                        1, "loading the snapshot failed unexpectedly: java.lang.StackOverflowError"));
        ClientStatus status = client.status();
        assertThat(status.state()).isEqualTo(ClientStatus.State.INTERRUPTED);
        assertThat(status.rejectedSnapshots()).isEqualTo(1);
        SourceError error = status.lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.UNEXPECTED);
        assertThat(error.source()).isEqualTo("manual-test-source");
        assertThat(error.message()).isEqualTo("loading the snapshot failed unexpectedly: java.lang.StackOverflowError");
        assertThat(maxTeamSize(client)).isEqualTo(1);
    }

    @Test
    void reports_driveTheState() {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA).source(source).build();
        SourceContext context = source.context;

        context.failed(SourceError.Kind.NETWORK, "bucket unreachable");
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.INITIALIZING);
        context.deliver(snapshotBytes(1), null);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        context.failed(SourceError.Kind.NETWORK, "bucket unreachable");
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.INTERRUPTED);
        context.upToDate();
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        context.warning(SourceError.Kind.NETWORK, "notifications paused");
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        assertThat(client.status().lastError().orElseThrow().message()).isEqualTo("notifications paused");
        context.stopped(SourceError.Kind.UNAUTHORIZED, "credentials revoked");

        ClientStatus status = client.status();
        assertThat(status.state()).isEqualTo(ClientStatus.State.OFF);
        assertThat(status.lastError().orElseThrow().source()).isEqualTo("manual-test-source");
        assertThat(status.lastError().orElseThrow().kind()).isEqualTo(SourceError.Kind.UNAUTHORIZED);
        assertThat(maxTeamSize(client)).isEqualTo(1);
    }

    @Test
    void failedWithInvalidSnapshot_countsAsARejection() {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA).source(source).build();

        source.context.failed(SourceError.Kind.INVALID_SNAPSHOT, "object is larger than the limit");

        assertThat(client.status().rejectedSnapshots()).isEqualTo(1);
    }

    @Test
    void failedFromTheStart_withSnapshotServing_isStale() {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA)
                .embeddedSnapshot("tollgate/embedded-snapshot.json")
                .source(source)
                .build();
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.INITIALIZING);

        source.context.failed(SourceError.Kind.NETWORK, "bucket unreachable");

        assertThat(client.status().state()).isEqualTo(ClientStatus.State.STALE);
        assertThat(maxTeamSize(client)).isEqualTo(2);
    }

    @Test
    void stoppedBeforeReady_failsReadiness() {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA).source(source).build();

        source.context.stopped(SourceError.Kind.UNAUTHORIZED, "credentials revoked");

        ReadyResult result = client.awaitReady(Duration.ofSeconds(1));
        assertThat(result.isFailed()).isTrue();
        assertThat(result.message()).contains("manual-test-source: credentials revoked");
    }

    @Test
    void scheduledTasks_runOnTheClientThread_survivingFailures_andStopAtClose() throws InterruptedException {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA).source(source).build();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        String[] thread = new String[1];

        source.context.schedule(
                () -> {
                    throw new IllegalStateException("task bug");
                },
                Duration.ZERO);
        source.context.schedule(
                () -> {
                    thread[0] = Thread.currentThread().getName();
                    ran.countDown();
                },
                Duration.ofMillis(10));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(thread[0]).matches("tollgate-\\d+");
        assertThat(client.status().lastError().orElseThrow().message())
                .isEqualTo("a scheduled task failed: java.lang.IllegalStateException: task bug");

        client.close();
        Future<?> late = source.context.schedule(runs::incrementAndGet, Duration.ZERO);

        assertThat(late.isCancelled()).isTrue();
        assertThat(source.closed).isTrue();
        assertThat(runs).hasValue(0);
    }

    @Test
    void scheduledTaskThrowingAnError_isReported_andLaterTasksRun() throws InterruptedException {
        ManualSource source = new ManualSource();
        client = TollgateClient.builder(SCHEMA).source(source).build();
        CountDownLatch ran = new CountDownLatch(1);

        source.context.schedule(
                () -> {
                    throw new StackOverflowError("simulated by the test");
                },
                Duration.ZERO);
        source.context.schedule(ran::countDown, Duration.ofMillis(10));

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.UNEXPECTED);
        assertThat(error.source()).isEqualTo("manual-test-source");
        assertThat(error.message())
                .isEqualTo("a scheduled task failed: java.lang.StackOverflowError: simulated by the test");
    }

    @Test
    void sourceThatFailsToStart_isStopped_andOthersRun() {
        SnapshotSource broken = new SnapshotSource() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void start(SourceContext context) {
                throw new IllegalStateException("no credentials configured");
            }

            @Override
            public void close() {}
        };
        ManualSource working = new ManualSource();
        client = TollgateClient.builder(SCHEMA).source(broken).source(working).build();

        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.UNEXPECTED);
        assertThat(error.message())
                .isEqualTo("the source failed to start: java.lang.IllegalStateException: no credentials configured");
        working.context.deliver(snapshotBytes(1), null);
        await("VALID", () -> client.status().state() == ClientStatus.State.VALID);
    }

    @Test
    void sourceThatFailsToStartWithAnError_isStopped_andTheClientIsBuilt() {
        SnapshotSource missingClass = new SnapshotSource() {
            @Override
            public String name() {
                return "vault";
            }

            @Override
            public void start(SourceContext context) {
                throw new NoClassDefFoundError("com/acme/vault/VaultClient");
            }

            @Override
            public void close() {
                throw new NoClassDefFoundError("com/acme/vault/VaultClient");
            }
        };
        ManualSource working = new ManualSource();
        client = TollgateClient.builder(SCHEMA)
                .source(missingClass)
                .source(working)
                .build();

        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.UNEXPECTED);
        assertThat(error.message())
                .isEqualTo("the source failed to start: java.lang.NoClassDefFoundError: com/acme/vault/VaultClient");
        working.context.deliver(snapshotBytes(1), null);
        await("VALID", () -> client.status().state() == ClientStatus.State.VALID);
        client.close();
        assertThat(client.status().state())
                .as("closed despite the source's close()")
                .isEqualTo(ClientStatus.State.OFF);
    }
}
