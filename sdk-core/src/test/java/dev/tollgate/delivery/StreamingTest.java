package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.Counts;
import dev.tollgate.ServerOptions;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The revision stream: announcements trigger fetches, and a dropped stream falls back to polling until it returns. */
class StreamingTest {
    /**
     * How long the snapshot requests must stop for their count to be read as settled: three of the 100 ms poll
     * intervals, and longer than a retry already on its way takes to land.
     */
    private static final Duration POLLS_SETTLED = Duration.ofMillis(300);

    private FakeTollgateServer fake;
    private TollgateClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    private ServerOptions.Builder options(String url) {
        return ServerOptions.builder(url, "token")
                .pollInterval(Duration.ofSeconds(30))
                .pollJitter(0)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(100));
    }

    private void startFake(Duration pollInterval) throws IOException {
        fake = new FakeTollgateServer();
        fake.publish(1);
        client = TollgateClient.builder(SCHEMA)
                .server(options(fake.url()).pollInterval(pollInterval).build())
                .build();
        assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
        await("the stream to connect", () -> fake.openStreams() == 1);
    }

    @Test
    void announcement_isFetchedAtOnce_withoutPolling() throws IOException {
        startFake(Duration.ofSeconds(30));
        int requestsBefore = fake.snapshotRequests();

        fake.publish(2);
        await("revision 2", Duration.ofSeconds(2), () -> client.status().revision() == 2);

        assertThat(maxTeamSize(client)).isEqualTo(2);
        assertThat(fake.snapshotRequests()).isEqualTo(requestsBefore + 1);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void streamDropsAndComesBack_pollingCoversTheGap() throws IOException, InterruptedException {
        startFake(Duration.ofMillis(100));
        // The fake counts the stream as open before the client's thread hears of it and pauses polling: polls may
        // still come, so the baseline is taken once the count has not moved for three poll intervals.
        int requestsWhileStreaming = Counts.settled(fake::snapshotRequests, POLLS_SETTLED);
        Thread.sleep(400);
        assertThat(fake.snapshotRequests())
                .as("no polling while the stream is up")
                .isEqualTo(requestsWhileStreaming);

        fake.streamStatus(503);
        fake.dropStreams();
        await("the drop to be noticed", () -> client.status().lastError().isPresent());
        SourceError dropped = client.status().lastError().orElseThrow();
        assertThat(dropped.message()).contains("/v1/stream", "polling every 100 ms until it reconnects");
        assertThat(client.status().state()).as("polling keeps it valid").isEqualTo(ClientStatus.State.VALID);

        fake.publish(2);
        await("revision 2 by polling", () -> client.status().revision() == 2);
        assertThat(maxTeamSize(client)).isEqualTo(2);
        await("several reconnect attempts", () -> fake.streamConnects() >= 3);

        fake.streamStatus(200);
        await("the stream to come back", () -> fake.openStreams() == 1);
        // Likewise: polls scheduled or in flight before the client's thread heard of the reconnect still come.
        int requestsAfterReconnect = Counts.settled(fake::snapshotRequests, POLLS_SETTLED);
        Thread.sleep(400);
        assertThat(fake.snapshotRequests()).as("polling stopped again").isEqualTo(requestsAfterReconnect);

        fake.publish(3);
        await("revision 3 by the stream", () -> client.status().revision() == 3);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        assertThat(maxTeamSize(client)).isEqualTo(3);
    }

    @Test
    void laggingReplica_isAskedAgainWithGrowingBackoff_untilItCatchesUp() throws IOException, InterruptedException {
        fake = new FakeTollgateServer();
        fake.publish(5);
        fake.lagBehind(1);
        client = TollgateClient.builder(SCHEMA)
                .server(options(fake.url()).maxBackoff(Duration.ofSeconds(1)).build())
                .build();

        // Request 0 installs revision 1; the announcement of 5 makes request 1 at once (or right after request 0);
        // from then on each retry waits the next backoff: nominal 20, 40, 80, 160, 320 ms, each at least half of it.
        await("seven snapshot requests", Duration.ofSeconds(10), () -> fake.snapshotRequests() >= 7);
        for (int i = 1; i <= 5; i++) {
            long atLeast = 10L << (i - 1);
            assertThat(fake.millisBetween(i, i + 1))
                    .as("milliseconds between snapshot requests %d and %d", i, i + 1)
                    .isGreaterThanOrEqualTo(atLeast);
        }
        assertThat(client.revision()).isEqualTo(1);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);

        fake.lagBehind(0);
        await("revision 5 once the replica caught up", Duration.ofSeconds(5), () -> client.revision() == 5);
        int caughtUp = Counts.settled(fake::snapshotRequests, POLLS_SETTLED); // a retry already on its way lands
        Thread.sleep(300);
        assertThat(fake.snapshotRequests())
                .as("no more retries once caught up, and no polling while the stream is up")
                .isEqualTo(caughtUp);
    }

    @Test
    void serverDown_servesTheLastGoodSnapshot_thenCatchesUp() throws IOException {
        startFake(Duration.ofMillis(100));
        fake.snapshotStatus(503);
        fake.streamStatus(503);
        fake.dropStreams();
        fake.publish(2); // announced to nobody, and unreachable

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);
        assertThat(client.status().lastError().orElseThrow().message()).contains("answered 503");
        assertThat(maxTeamSize(client)).isEqualTo(1);

        fake.snapshotStatus(200);
        fake.streamStatus(200);
        await("revision 2", () -> client.status().revision() == 2);
        await("VALID", () -> client.status().state() == ClientStatus.State.VALID);
    }

    @Test
    void unauthorizedStream_stopsEverything() {
        MockWebServer server = new MockWebServer();
        ScriptedDispatcher script = new ScriptedDispatcher()
                .snapshots(new MockResponse().setBody(snapshot(1)))
                .streams(new MockResponse().setResponseCode(401));
        server.setDispatcher(script);
        try (server) {
            client = TollgateClient.builder(SCHEMA)
                    .server(options(server.url("/").toString()).build())
                    .build();
            await("OFF", () -> client.status().state() == ClientStatus.State.OFF);
            assertThat(client.status().lastError().orElseThrow().kind()).isEqualTo(SourceError.Kind.UNAUTHORIZED);
            assertThat(client.status().lastError().orElseThrow().message()).contains("/v1/stream answered 401");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void streamThatClosesAtOnce_isReconnectedWithGrowingBackoff_withoutASnapshotRequestEachTime() throws IOException {
        MockWebServer server = new MockWebServer();
        ScriptedDispatcher script = new ScriptedDispatcher()
                .snapshots(ok(1))
                .streams(sse("")); // 200 text/event-stream, then closed at once
        server.setDispatcher(script);
        try (server) {
            client = TollgateClient.builder(SCHEMA)
                    .server(options(server.url("/").toString())
                            .maxBackoff(Duration.ofSeconds(1))
                            .build())
                    .build();
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();

            // Reconnects after nominal 20, 40, 80, 160, 320 ms, each at least half of it.
            await("seven stream connects", Duration.ofSeconds(10), () -> script.streamRequestCount() >= 7);
            for (int i = 1; i <= 5; i++) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(script.streamNanosBetween(i, i + 1)))
                        .as("milliseconds between stream connects %d and %d", i, i + 1)
                        .isGreaterThanOrEqualTo(10L << (i - 1));
            }
            assertThat(script.snapshotRequestCount())
                    .as("only the first snapshot request: the next poll is due a poll interval (30 s) after it")
                    .isEqualTo(1);
            assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
            assertThat(client.status().lastError().orElseThrow().message())
                    .isEqualTo("the stream GET " + server.url("/v1/stream") + " was closed by the server; polling"
                            + " every 30000 ms until it reconnects");
        }
    }

    @Test
    void flappingStream_stillPollsEveryPollInterval_andNoMoreOften() throws IOException {
        MockWebServer server = new MockWebServer();
        ScriptedDispatcher script = new ScriptedDispatcher().snapshots(ok(1)).streams(sse(""));
        server.setDispatcher(script);
        try (server) {
            client = TollgateClient.builder(SCHEMA)
                    .server(options(server.url("/").toString())
                            .pollInterval(Duration.ofMillis(200))
                            .maxBackoff(Duration.ofMillis(40))
                            .build())
                    .build();

            await("five snapshot requests", Duration.ofSeconds(10), () -> script.snapshotRequestCount() >= 5);
            assertThat(script.streamRequestCount())
                    .as("the stream keeps flapping")
                    .isGreaterThan(5);
            // A poll is due 200 ms after the previous request was sent; half of that leaves room for a request that
            // took long to reach the server, and is still far from the reconnect delays (at most 40 ms).
            for (int i = 0; i < 4; i++) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(script.nanosBetween(i, i + 1)))
                        .as("milliseconds between snapshot requests %d and %d", i, i + 1)
                        .isGreaterThanOrEqualTo(100);
            }
            assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        }
    }

    @Test
    void finiteStreams_announceAndEnd_theClientFetchesAndReconnects() throws IOException {
        MockWebServer server = new MockWebServer();
        ScriptedDispatcher script = new ScriptedDispatcher()
                .snapshots(ok(1), ok(1), ok(2))
                .streams(
                        sse("event: revision\ndata: {\"revision\": 1}\n\n"),
                        sse(": keep-alive\n\nevent: revision\ndata: {\"revision\": 2}\n\n"));
        server.setDispatcher(script);
        try (server) {
            client = TollgateClient.builder(SCHEMA)
                    .server(options(server.url("/").toString()).build())
                    .build();
            await("revision 2", () -> client.status().revision() == 2);
            assertThat(script.streamRequestCount()).isGreaterThanOrEqualTo(2);
            assertThat(script.streamRequest(0).getHeader("Authorization")).isEqualTo("Bearer token");
            assertThat(script.streamRequest(0).getHeader("Accept")).isEqualTo("text/event-stream");
            assertThat(maxTeamSize(client)).isEqualTo(2);
        }
    }

    private static MockResponse ok(long revision) {
        return new MockResponse().setHeader("ETag", "\"r" + revision + "\"").setBody(snapshot(revision));
    }

    private static MockResponse sse(String body) {
        return new MockResponse().setHeader("Content-Type", "text/event-stream").setBody(body);
    }
}
