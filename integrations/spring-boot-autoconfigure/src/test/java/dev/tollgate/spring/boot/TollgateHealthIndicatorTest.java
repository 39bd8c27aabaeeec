package dev.tollgate.spring.boot;

import static dev.tollgate.spring.boot.TestSupport.BUILD_TIME_SOURCE;
import static dev.tollgate.spring.boot.TestSupport.ENTRY_POINT;
import static dev.tollgate.spring.boot.TestSupport.await;
import static dev.tollgate.spring.boot.TestSupport.snapshot;
import static dev.tollgate.spring.boot.TestSupport.tollgateMessage;
import static dev.tollgate.spring.boot.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.LogOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import dev.tollgate.testing.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** What {@link TollgateHealthIndicator} reports, as the auto-configuration makes it and on its own. */
class TollgateHealthIndicatorTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(TollgateAutoConfiguration.class, TollgateActuatorAutoConfiguration.class))
            .withPropertyValues(ENTRY_POINT);

    @TempDir
    Path directory;

    /** A server that accepts connections (the kernel does, into the backlog) and never answers. */
    private ServerSocket silent;

    private TollgateClient client;

    @BeforeEach
    void silentServer() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        silent.close();
        if (client != null) {
            client.close();
        }
    }

    private String[] silentServerProperties() {
        return new String[] {
            "tollgate.client.server.url=http://127.0.0.1:" + silent.getLocalPort(),
            "tollgate.client.server.token=tgs_test",
            "tollgate.client.server.streaming=false",
            "tollgate.client.logs.enabled=false"
        };
    }

    @Test
    void health_aLiveFileSourceDelivered_isUpWithStateRevisionAndSource() {
        Path file = directory.resolve("snapshot.json");
        write(file, snapshot(4, 40));
        runner.withPropertyValues("tollgate.client.snapshot-file=" + file).run(context -> {
            TollgateHealthIndicator indicator = context.getBean(TollgateHealthIndicator.class);
            await(
                    "the file source to make the client ready",
                    () -> indicator.health().getStatus().equals(Status.UP));
            Health health = indicator.health();
            assertThat(health.getDetails())
                    .containsEntry("state", "VALID")
                    .containsEntry("revision", 4L)
                    .containsEntry("source", "file(" + file + ")")
                    .doesNotContainKeys("lastError", "reason");
        });
    }

    @Test
    void health_noLiveSource_isUpFromTheBuildTimeSnapshot() {
        runner.run(context -> {
            TollgateHealthIndicator indicator = context.getBean(TollgateHealthIndicator.class);
            await("the client to be ready", () -> indicator.health().getStatus().equals(Status.UP));
            assertThat(indicator.health().getDetails())
                    .containsEntry("state", "VALID")
                    .containsEntry("revision", 3L)
                    .containsEntry("source", BUILD_TIME_SOURCE);
        });
    }

    @Test
    void health_aServerThatNeverAnswers_isOutOfServiceWhileWaiting() {
        runner.withPropertyValues(silentServerProperties())
                .withPropertyValues("tollgate.client.readiness-timeout=1m")
                .run(context -> {
                    Health health =
                            context.getBean(TollgateHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(health.getDetails())
                            .containsEntry("reason", "waiting up to PT1M for a live source to deliver a snapshot")
                            .containsEntry("state", "INITIALIZING")
                            .containsEntry("revision", 3L)
                            .containsEntry("source", BUILD_TIME_SOURCE);
                });
    }

    @Test
    void health_aServerThatNeverAnswers_pastTheReadinessTimeout_isUpFromTheBuildTimeSnapshot() {
        runner.withPropertyValues(silentServerProperties())
                .withPropertyValues("tollgate.client.readiness-timeout=0s")
                .run(context -> {
                    Health health =
                            context.getBean(TollgateHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails())
                            .containsEntry("reason", "no live source answered within PT0S; answering from revision 3")
                            .containsEntry("revision", 3L);
                });
    }

    @Test
    void health_clientClosed_isOutOfService() {
        runner.run(context -> {
            TollgateHealthIndicator indicator = context.getBean(TollgateHealthIndicator.class);
            context.getBean(Tollgate.class).close();
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.getDetails())
                    .containsEntry("reason", "the client is closed")
                    .containsEntry("state", "OFF")
                    .containsEntry("revision", 3L);
        });
    }

    @Test
    void readinessTimeout_negative_failsNamingIt() {
        runner.withPropertyValues("tollgate.client.readiness-timeout=-1s")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.readiness-timeout must not be negative: PT-1S"));
    }

    @Test
    void readinessTimeout_negative_withoutTheHealthIndicator_stillFailsNamingIt() {
        runner.withPropertyValues("tollgate.client.readiness-timeout=-1s", "management.health.tollgate.enabled=false")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.readiness-timeout must not be negative: PT-1S"));
    }

    @Test
    void health_withAClock_isOutOfServiceUntilTheTimeout_thenUpWithFallbacks_thenUpOnceDelivered() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        client = TollgateClient.builder(Tollgate.schema())
                .logs(LogOptions.disabled())
                .source(new SilentSource())
                .build();
        TollgateHealthIndicator indicator = new TollgateHealthIndicator(client, Duration.ofSeconds(10), clock);

        clock.advance(Duration.ofSeconds(9));
        Health waiting = indicator.health();
        assertThat(waiting.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(waiting.getDetails())
                .containsEntry("reason", "waiting up to PT10S for a live source to deliver a snapshot")
                .containsEntry("revision", 0L)
                .doesNotContainKey("source");

        clock.advance(Duration.ofSeconds(1));
        Health timedOut = indicator.health();
        assertThat(timedOut.getStatus()).isEqualTo(Status.UP);
        assertThat(timedOut.getDetails())
                .containsEntry("reason", "no live source answered within PT10S; every evaluation answers its fallback");

        client.loadSnapshot(snapshot(6, 60));
        Health delivered = indicator.health();
        assertThat(delivered.getStatus()).isEqualTo(Status.UP);
        assertThat(delivered.getDetails()).containsEntry("revision", 6L).doesNotContainKey("reason");
    }

    @Test
    void constructor_negativeTimeout_throwsNamingTheProperty() {
        client = TollgateClient.builder(Tollgate.schema())
                .logs(LogOptions.disabled())
                .build();
        assertThatThrownBy(() -> new TollgateHealthIndicator(client, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tollgate.client.readiness-timeout must not be negative: PT-0.001S");
    }

    /** A live source that never delivers, never fails. */
    private static final class SilentSource implements SnapshotSource {
        @Override
        public String name() {
            return "silent";
        }

        @Override
        public void start(SourceContext context) {}

        @Override
        public void close() {}
    }
}
