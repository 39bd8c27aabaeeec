package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.LogOptions;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One {@link ServerOptions} configures both snapshots and evaluation logs, unless the log options say otherwise. */
class OneServerSetupTest {
    private static final LogOptions QUIET =
            LogOptions.builder().flushInterval(Duration.ofHours(1)).build();

    @Test
    void server_alone_sendsLogsToTheSameServer_withTheSameToken_andItsThreadsEndOnClose() throws Exception {
        try (FakeTollgateServer server = new FakeTollgateServer()) {
            server.publish(3);
            TollgateClient client = TollgateClient.builder(SCHEMA)
                    .server(ServerOptions.builder(server.url(), "sdk-7").build())
                    .logs(QUIET)
                    .build();
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            assertThat(maxTeamSize(client)).isEqualTo(3);

            client.flushLogs().get(5, TimeUnit.SECONDS);
            client.close();

            assertThat(server.requests())
                    .contains("GET /v1/snapshot Bearer sdk-7", "POST /v1/logs Bearer sdk-7")
                    .allMatch(request -> request.endsWith(" Bearer sdk-7"));
            assertThat(httpThreadsOf(client))
                    .as("threads of the shared HTTP client after close")
                    .isZero();
        }
    }

    @Test
    void logOptionsWithTheirOwnSink_keepLogsOffTheServer() throws Exception {
        try (FakeTollgateServer server = new FakeTollgateServer()) {
            server.publish(3);
            try (TollgateClient client = TollgateClient.builder(SCHEMA)
                    .server(ServerOptions.builder(server.url(), "sdk-7").build())
                    .logs(QUIET.toBuilder().slf4j().build())
                    .build()) {
                assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
                maxTeamSize(client);
                client.flushLogs().get(5, TimeUnit.SECONDS);
            }
            assertThat(server.requests()).noneMatch(request -> request.startsWith("POST /v1/logs"));
        }
    }

    /** Live threads named after the client's HTTP executor ({@code tollgate-N-http-M}), after a short grace. */
    private static long httpThreadsOf(TollgateClient client) throws InterruptedException {
        String prefix = client.toString().replaceAll(".*(tollgate-\\d+).*", "$1") + "-http-";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long alive;
        do {
            alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
                    .count();
            if (alive > 0) {
                Thread.sleep(20);
            }
        } while (alive > 0 && System.nanoTime() < deadline);
        return alive;
    }
}
