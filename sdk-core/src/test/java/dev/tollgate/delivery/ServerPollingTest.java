package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.MAX_TEAM_SIZE;
import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.snapshot;
import static dev.tollgate.delivery.Fixtures.withSchemaHash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.LoadResult;
import dev.tollgate.ReadyResult;
import dev.tollgate.ServerOptions;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.source.ServerSnapshotSource;
import dev.tollgate.spi.SourceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Polling against a scripted server: every response the protocol allows and every way a response can go wrong. Each
 * scenario first serves revision 1, then the scenario, and checks the status, the installed revision, and that
 * evaluation kept answering from the last good snapshot.
 */
class ServerPollingTest {
    private static final String TOKEN = "tg_live_5ecret";
    private static final String FOREIGN_HASH = "sha256:" + "a".repeat(64);

    private final MockWebServer server = new MockWebServer();
    private final ScriptedDispatcher script = new ScriptedDispatcher();
    private TollgateClient client;

    @BeforeEach
    void startServer() throws IOException {
        server.setDispatcher(script);
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        server.shutdown();
    }

    private ServerOptions.Builder options() {
        return ServerOptions.builder(server.url("/").toString(), TOKEN)
                .streaming(false)
                .pollInterval(Duration.ofMillis(50))
                .pollJitter(0)
                .initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(100))
                .readTimeout(Duration.ofMillis(300))
                .callTimeout(Duration.ofSeconds(3));
    }

    private TollgateClient start(TollgateClient.Builder builder) {
        client = builder.build();
        return client;
    }

    /** Starts polling, waits until revision 1 is served, then until the scenario response has been handled. */
    private void startAtRevisionOne(MockResponse... scenario) {
        script.snapshots(ok(1)).snapshots(scenario);
        start(TollgateClient.builder(SCHEMA).server(options().build()));
        ReadyResult ready = client.awaitReady(Duration.ofSeconds(5));
        assertThat(ready.isReady()).as("ready: %s", ready).isTrue();
        assertThat(client.revision()).isEqualTo(1);
    }

    private void awaitSecondResponseHandled() {
        await("the scenario response to be handled", () -> script.snapshotRequestCount() >= 3);
    }

    private static MockResponse ok(long revision) {
        return ok(snapshot(revision), revision);
    }

    private static MockResponse ok(String body, long revision) {
        return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setHeader("ETag", "\"r" + revision + "\"")
                .setBody(body);
    }

    private static MockResponse status(int code) {
        return new MockResponse().setResponseCode(code);
    }

    private void assertStillServesRevisionOne() {
        assertThat(client.revision()).isEqualTo(1);
        assertThat(maxTeamSize(client)).isEqualTo(1);
        assertThat(Fixtures.root(client).revision()).isEqualTo(1);
    }

    private SourceError lastError() {
        return client.status().lastError().orElseThrow(() -> new AssertionError("no error in " + client.status()));
    }

    @Test
    void ok200_installsTheNewRevision_withTokenOnlyInTheHeader() throws InterruptedException {
        script.snapshots(ok(1), ok(2));
        start(TollgateClient.builder(SCHEMA)
                .server(options().environment("staging").build()));

        await("revision 2", () -> client.status().revision() == 2);

        ClientStatus status = client.status();
        assertThat(status.state()).isEqualTo(ClientStatus.State.VALID);
        assertThat(status.source())
                .contains("server(" + server.url("/").toString().replaceAll("/$", "") + ")");
        assertThat(status.lastSuccess()).isPresent();
        assertThat(status.lastError()).isEmpty();
        assertThat(maxTeamSize(client)).isEqualTo(2);
        RecordedRequest first = script.snapshotRequest(0);
        assertThat(first.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(first.getHeader("Accept-Encoding")).isEqualTo("gzip");
        assertThat(first.getHeader("Tollgate-Schema-Hash")).isEqualTo(SCHEMA.hash());
        assertThat(first.getPath())
                .isEqualTo("/v1/snapshot?environment=staging")
                .doesNotContain(TOKEN);
    }

    @Test
    void notModified304_keepsTheRevision_afterSendingTheETag() {
        startAtRevisionOne(status(304));
        awaitSecondResponseHandled();

        assertThat(script.snapshotRequest(1).getHeader("If-None-Match")).isEqualTo("\"r1\"");
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        assertThat(client.status().lastError()).isEmpty();
        assertStillServesRevisionOne();
    }

    @Test
    void unauthorized401_stopsPolling_withAClearStatus() throws InterruptedException {
        startAtRevisionOne(status(401));

        await("OFF", () -> client.status().state() == ClientStatus.State.OFF);
        Thread.sleep(200);

        assertThat(script.snapshotRequestCount()).as("no request after the 401").isEqualTo(2);
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.UNAUTHORIZED);
        assertThat(lastError().message())
                .contains("answered 401", "does not accept the token", "no more requests")
                .doesNotContain(TOKEN);
        assertStillServesRevisionOne();
    }

    @Test
    void forbidden403_stopsPolling_namingTheEnvironment() throws InterruptedException {
        script.snapshots(
                ok(1),
                new MockResponse()
                        .setResponseCode(403)
                        .setBody("{\"error\": {\"code\": \"forbidden\","
                                + " \"message\": \"token tg_live_... may not read environment production\"}}"));
        start(TollgateClient.builder(SCHEMA)
                .server(options().environment("production").build()));
        await("OFF", () -> client.status().state() == ClientStatus.State.OFF);
        Thread.sleep(200);

        assertThat(script.snapshotRequestCount()).isEqualTo(2);
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.UNAUTHORIZED);
        assertThat(lastError().message()).contains("answered 403", "may not read environment production");
        assertStillServesRevisionOne();
    }

    @Test
    void unauthorizedAtStartUp_failsReadiness() {
        script.snapshots(status(401));
        start(TollgateClient.builder(SCHEMA).server(options().build()));

        ReadyResult result = client.awaitReady(Duration.ofSeconds(5));

        assertThat(result.isFailed()).isTrue();
        assertThat(result.message())
                .hasValueSatisfying(message -> assertThat(message).contains("answered 401"));
        assertThat(result.status().state()).isEqualTo(ClientStatus.State.OFF);
        assertThat(maxTeamSize(client)).isEqualTo(-1);
    }

    @Test
    void notFound404_isInterrupted_andKeepsTrying() {
        startAtRevisionOne(status(404)); // repeated until the test appends revision 2

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.HTTP_STATUS);
        assertThat(lastError().message()).contains("answered 404", "no snapshot for this environment yet");
        assertStillServesRevisionOne();

        script.snapshots(ok(2));
        await("recovery to revision 2", () -> client.status().revision() == 2);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void tooManyRequests429_waitsForRetryAfter() {
        startAtRevisionOne(status(429).setHeader("Retry-After", "1"), ok(2));

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);
        assertThat(lastError().message()).contains("answered 429", "Retry-After 1 s");
        assertStillServesRevisionOne();

        await("revision 2", Duration.ofSeconds(5), () -> client.status().revision() == 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(script.nanosBetween(1, 2)))
                .as("milliseconds between the 429 and the next request")
                .isGreaterThanOrEqualTo(990);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void serverError500_backsOffExponentially_thenRecovers() {
        startAtRevisionOne(status(500)); // repeated until the test appends revision 2

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.HTTP_STATUS);
        assertThat(lastError().message()).contains("answered 500");
        assertStillServesRevisionOne();

        await("four failed attempts", () -> script.snapshotRequestCount() >= 5);
        assertStillServesRevisionOne();
        script.snapshots(ok(2));
        await("revision 2", () -> client.status().revision() == 2);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        // Nominal delays 20, 40, 80, 100 (capped) ms, each drawn from its upper half.
        assertThat(TimeUnit.NANOSECONDS.toMillis(script.nanosBetween(2, 3))).isGreaterThanOrEqualTo(10);
        assertThat(TimeUnit.NANOSECONDS.toMillis(script.nanosBetween(3, 4))).isGreaterThanOrEqualTo(20);
        assertThat(TimeUnit.NANOSECONDS.toMillis(script.nanosBetween(4, 5))).isGreaterThanOrEqualTo(40);
    }

    @Test
    void slowBody_timesOut_andKeepsTheLastGoodSnapshot() {
        startAtRevisionOne(ok(2).throttleBody(16, 1, TimeUnit.SECONDS));

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);

        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.NETWORK);
        assertThat(lastError().message()).contains("SocketTimeoutException");
        assertStillServesRevisionOne();
    }

    @Test
    void truncatedBody_isANetworkFailure() {
        startAtRevisionOne(ok(2).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);

        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.NETWORK);
        assertThat(lastError().message()).contains("GET " + server.url("/v1/snapshot") + " failed");
        assertStillServesRevisionOne();
    }

    @Test
    void garbageBody_isRejectedAndCounted() {
        startAtRevisionOne(ok("<html>502 Bad Gateway</html>", 2));

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);

        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.INVALID_SNAPSHOT);
        assertThat(lastError().message())
                .startsWith("rejected a snapshot, keeping revision 1: snapshot is not valid JSON");
        assertThat(client.status().rejectedSnapshots()).isPositive();
        assertStillServesRevisionOne();
    }

    @Test
    void oversizedBody_isRejectedWithoutReadingIt() {
        int limit = snapshot(1).length() + 100;
        script.snapshots(ok(1), ok(" ".repeat(limit) + snapshot(2), 2));
        start(TollgateClient.builder(SCHEMA)
                .limits(SnapshotLimits.builder().maxBytes(limit).build())
                .server(options().build()));

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);

        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.INVALID_SNAPSHOT);
        assertThat(lastError().message()).contains("larger than the limit of " + limit + " bytes");
        assertThat(client.status().rejectedSnapshots()).isPositive();
        assertStillServesRevisionOne();
    }

    @Test
    void gzipBody_isDecompressed_andStillBoundedByTheLimit() throws IOException {
        int limit = snapshot(1).length() + 100;
        script.snapshots(gzip(ok(1), snapshot(1)), gzip(ok(2), " ".repeat(limit) + snapshot(2)));
        start(TollgateClient.builder(SCHEMA)
                .limits(SnapshotLimits.builder().maxBytes(limit).build())
                .server(options().build()));

        assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);

        assertThat(script.snapshotRequest(0).getHeader("Accept-Encoding")).isEqualTo("gzip");
        assertThat(lastError().message()).contains("larger than the limit of " + limit + " bytes");
        assertStillServesRevisionOne();
    }

    private static MockResponse gzip(MockResponse response, String body) throws IOException {
        Buffer compressed = new Buffer();
        try (var sink = Okio.buffer(new GzipSink(compressed))) {
            sink.writeString(body, StandardCharsets.UTF_8);
        }
        return response.setHeader("Content-Encoding", "gzip").setBody(compressed);
    }

    @Test
    void anotherSchema_thatValidates_isInstalledAndCounted() {
        startAtRevisionOne(ok(withSchemaHash(snapshot(2), FOREIGN_HASH), 2));

        await("revision 2 in the status", () -> client.status().revision() == 2);

        ClientStatus status = client.status();
        assertThat(status.state()).isEqualTo(ClientStatus.State.VALID);
        assertThat(status.schemaHashMatches()).isFalse();
        assertThat(status.schemaMismatches()).isEqualTo(1);
        assertThat(maxTeamSize(client)).isEqualTo(2);
    }

    @Test
    void anotherSchema_thatDiffers_isRejectedNamingWhatDiffers() {
        String foreign = withSchemaHash(
                Fixtures.builder(2)
                        .value("entitlements.seatPrice", 12)
                        .value(MAX_TEAM_SIZE, "twenty")
                        .toJson(),
                FOREIGN_HASH);
        startAtRevisionOne(ok(foreign, 2));

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);

        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.INVALID_SNAPSHOT);
        assertThat(lastError().message())
                .isEqualTo("rejected a snapshot with revision 2, keeping revision 1: it was written against schema "
                        + FOREIGN_HASH + ", not this client's " + SCHEMA.hash()
                        + ", and differs where this client reads it: entitlements.maxTeamSize: default: value"
                        + " \"twenty\" is not an Int; entitlements.seatPrice: unknown field path; the schema has no"
                        + " field entitlements.seatPrice");
        assertThat(client.status().schemaMismatches()).isPositive();
        assertStillServesRevisionOne();
    }

    @Test
    void errorWhileLoadingAServedSnapshot_isReportedAsUnexpected_andPollingGoesOn() {
        script.snapshots(ok(1), ok(new String(Fixtures.tooDeepForTheStack(2), StandardCharsets.UTF_8), 2));
        start(TollgateClient.builder(SCHEMA)
                .limits(Fixtures.DEEP_LIMITS)
                .server(options().build()));
        assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.UNEXPECTED);
        assertThat(lastError().message())
                .isEqualTo("loading the snapshot failed unexpectedly: java.lang.StackOverflowError");
        assertThat(lastError().source()).startsWith("server(");
        assertThat(client.status().rejectedSnapshots()).isPositive();
        int requests = script.snapshotRequestCount();
        await("two more attempts after the error", () -> script.snapshotRequestCount() >= requests + 2);
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.INTERRUPTED);
        assertStillServesRevisionOne();
    }

    @Test
    void aDeliveryThatThrowsAnError_stillSchedulesTheNextAttempt() {
        script.snapshots(ok(1));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger deliveries = new AtomicInteger();
        SourceContext context = new SourceContext() {
            @Override
            public LoadResult deliver(byte[] snapshot, String signature) {
                deliveries.incrementAndGet();
                throw new StackOverflowError("thrown by the test's context");
            }

            @Override
            public void upToDate() {}

            @Override
            public void failed(SourceError.Kind kind, String message) {}

            @Override
            public void warning(SourceError.Kind kind, String message) {}

            @Override
            public void stopped(SourceError.Kind kind, String message) {}

            @Override
            public long revision() {
                return 0;
            }

            @Override
            public SnapshotLimits limits() {
                return SnapshotLimits.defaults();
            }

            @Override
            public String schemaHash() {
                return SCHEMA.hash();
            }

            @Override
            public Future<?> schedule(Runnable task, Duration delay) {
                // Like an executor without the client's reporting: what the task throws stays in its future.
                return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
        ServerSnapshotSource source = new ServerSnapshotSource(options().build(), "throwing-context");
        try {
            source.start(context);
            await("three deliveries, each throwing", () -> deliveries.get() >= 3);
            assertThat(script.snapshotRequestCount()).isGreaterThanOrEqualTo(3);
        } finally {
            source.close();
            scheduler.shutdownNow();
        }
    }

    private String serverName() {
        return "server(" + server.url("/").toString().replaceAll("/$", "") + ")";
    }

    @Test
    void olderRevision_isNeverInstalled_norTakenAsConfirmation() {
        script.snapshots(ok(5), ok(3));
        start(TollgateClient.builder(SCHEMA).server(options().build()));
        awaitSecondResponseHandled();
        await("a fourth request", () -> script.snapshotRequestCount() >= 4);

        assertThat(client.revision()).isEqualTo(5);
        assertThat(maxTeamSize(client)).isEqualTo(5);
        ClientStatus status = client.status();
        assertThat(status.state())
                .as("revision 5 was confirmed, but the server now serves an older one")
                .isEqualTo(ClientStatus.State.INTERRUPTED);
        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.OLDER_REVISION);
        assertThat(lastError().source()).isEqualTo(serverName());
        assertThat(lastError().message())
                .isEqualTo("the source serves revision 3, older than the installed 5 (installed from " + serverName()
                        + "); ignored until it catches up");
        assertThat(status.rejectedSnapshots())
                .as("a valid snapshot, just behind")
                .isZero();
        assertThat(script.snapshotRequest(2).getHeader("If-None-Match"))
                .as("the older response's ETag is not kept")
                .isEqualTo("\"r5\"");
        assertThat(script.snapshotRequest(3).getHeader("If-None-Match")).isEqualTo("\"r5\"");
    }

    @Test
    void olderRevision_thenTheServerCatchesUp_isValidAgain() {
        List<ClientStatus> statuses = new CopyOnWriteArrayList<>();
        script.snapshots(ok(5), ok(3), ok(3), status(304));
        start(TollgateClient.builder(SCHEMA)
                .statusListener(statuses::add)
                .server(options().build()));
        await("the 304 to be handled", () -> script.snapshotRequestCount() >= 5);
        await("VALID again", () -> client.status().state() == ClientStatus.State.VALID);

        assertThat(statuses)
                .filteredOn(status -> status.state() == ClientStatus.State.INTERRUPTED)
                .first()
                .satisfies(status -> assertThat(status.lastError().orElseThrow().message())
                        .startsWith("the source serves revision 3, older than the installed 5"));
        assertThat(script.snapshotRequest(3).getHeader("If-None-Match"))
                .as("the 304 answers the ETag of revision 5, so it confirms revision 5")
                .isEqualTo("\"r5\"");
        assertThat(client.revision()).isEqualTo(5);
        assertThat(client.status().lastSuccess().orElseThrow())
                .isAfter(client.status().lastError().orElseThrow().time());
    }

    @Test
    void badSignature_andUnsigned_areRejectedAndCounted() {
        KeyPair trusted = Fixtures.signingKeys();
        KeyPair other = Fixtures.signingKeys();
        byte[] two = Fixtures.snapshotBytes(2);
        script.snapshots(
                signed(ok(1), trusted, Fixtures.snapshotBytes(1)),
                signed(ok(2), other, two),
                ok(2),
                signed(ok(2), trusted, two));
        start(TollgateClient.builder(SCHEMA)
                .publicKey(trusted.getPublic())
                .server(options().build()));

        assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
        await("revision 2", () -> client.status().revision() == 2);

        ClientStatus status = client.status();
        assertThat(status.signatureFailures()).isEqualTo(2);
        assertThat(status.rejectedSnapshots()).isEqualTo(2);
        assertThat(status.lastError().orElseThrow().kind()).isEqualTo(SourceError.Kind.BAD_SIGNATURE);
        assertThat(status.lastError().orElseThrow().message()).contains("snapshot is not signed");
        assertThat(status.state()).isEqualTo(ClientStatus.State.VALID);
    }

    @Test
    void badSignature_keepsTheLastGoodSnapshot() {
        KeyPair trusted = Fixtures.signingKeys();
        script.snapshots(
                signed(ok(1), trusted, Fixtures.snapshotBytes(1)),
                signed(ok(2), Fixtures.signingKeys(), Fixtures.snapshotBytes(2)));
        start(TollgateClient.builder(SCHEMA)
                .publicKey(trusted.getPublic())
                .server(options().build()));

        await("INTERRUPTED", () -> client.status().state() == ClientStatus.State.INTERRUPTED);

        assertThat(lastError().kind()).isEqualTo(SourceError.Kind.BAD_SIGNATURE);
        assertThat(lastError().message()).contains("signature does not match the snapshot");
        assertThat(client.status().signatureFailures()).isPositive();
        assertStillServesRevisionOne();
    }

    private static MockResponse signed(MockResponse response, KeyPair keys, byte[] body) {
        return response.setHeader("Tollgate-Signature", Fixtures.sign(keys.getPrivate(), body));
    }

    @Test
    void failingFromTheStart_timesOutWithTheLastError() {
        script.snapshots(status(500));
        start(TollgateClient.builder(SCHEMA).server(options().build()));
        await("the first 500 handled", () -> client.status().lastError().isPresent());

        ReadyResult result = client.awaitReady(Duration.ofMillis(300));

        assertThat(result.isTimedOut()).isTrue();
        assertThat(result.message()).hasValueSatisfying(message -> assertThat(message)
                .startsWith("no source delivered a snapshot within 300 ms; last error: server(")
                .contains("answered 500"));
        assertThat(result.status().state()).isEqualTo(ClientStatus.State.INITIALIZING);
        assertThat(maxTeamSize(client)).isEqualTo(-1);
    }

    @Test
    void sharedOkHttpClient_isUsed_underABasePath_andStillWorksAfterClose() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        OkHttpClient shared = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    seen.add(chain.request().url().encodedPath());
                    return chain.proceed(chain.request());
                })
                .build();
        script.snapshots(ok(1));
        start(TollgateClient.builder(SCHEMA)
                .server(ServerOptions.builder(server.url("/tollgate/").toString(), TOKEN)
                        .streaming(false)
                        .okHttpClient(shared)
                        .build()));

        assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
        client.close();

        assertThat(seen).containsExactly("/tollgate/v1/snapshot");
        try (Response response = shared.newCall(new Request.Builder()
                        .url(server.url("/tollgate/v1/snapshot"))
                        .build())
                .execute()) {
            assertThat(response.code())
                    .as("the shared client outlives the Tollgate client")
                    .isEqualTo(200);
        } finally {
            shared.dispatcher().executorService().shutdown();
            shared.connectionPool().evictAll();
        }
    }
}
