package dev.tollgate.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.LogOptions;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.logs.HttpLogSink;
import dev.tollgate.internal.logs.LogPipeline;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpLogSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    @Test
    void flushLogs_postsGzippedJsonWithTokenAndIdempotencyKey() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202));
        try (TollgateClient client = client(3)) {
            EvaluationLogsTest.snapshot(4, "pro").installInto(client);
            client.root(EvaluationLogsTest.context("o1", "pro", "u1")).intValue("seats", 0);
            client.root(EvaluationLogsTest.context("o1", "pro", "u1")).intValue("seats", 0);

            client.flushLogs().get(5, TimeUnit.SECONDS);

            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            assertThat(request.getMethod()).isEqualTo("POST");
            assertThat(request.getPath()).isEqualTo("/v1/logs");
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer sdk-secret");
            assertThat(request.getHeader("Content-Encoding")).isEqualTo("gzip");
            assertThat(request.getHeader("Content-Type")).startsWith("application/json");
            JsonNode body = gunzip(request);
            assertThat(request.getHeader("Idempotency-Key"))
                    .isEqualTo(body.get("batchId").asText())
                    .isNotBlank();
            assertThat(body.get("schemaHash").asText()).isEqualTo(EvaluationLogsTest.SCHEMA.hash());
            assertThat(body.get("revision").asLong()).isEqualTo(4);
            assertThat(body.get("evaluations")).hasSize(1);
            assertThat(body.get("evaluations").get(0).toString())
                    .isEqualTo("{\"field\":\"seats\",\"outcome\":\"rule:pro\",\"count\":2}");
            assertThat(body.get("dropped").toString()).isEqualTo("{\"exposures\":0,\"messages\":0,\"evaluations\":0}");
            assertThat(body.get("sdk").get("name").asText()).isEqualTo("tollgate-java");
        }
    }

    @Test
    void retryableFailures_areRetriedWithTheSameIdempotencyKey_andFlushWaitsForAcceptance() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setResponseCode(200).setHeadersDelay(300, TimeUnit.MILLISECONDS));
        try (TollgateClient client = client(5)) {
            EvaluationLogsTest.snapshot(1, "pro").installInto(client);
            client.root(EvaluationLogsTest.context("o1", "pro", null)).intValue("seats", 0);

            CompletableFuture<Void> flushed = client.flushLogs();
            RecordedRequest first = server.takeRequest(5, TimeUnit.SECONDS);
            RecordedRequest second = server.takeRequest(5, TimeUnit.SECONDS);
            RecordedRequest third = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(flushed).as("not accepted until the delayed 200 arrives").isNotDone();
            flushed.get(5, TimeUnit.SECONDS);

            assertThat(second.getHeader("Idempotency-Key"))
                    .isEqualTo(first.getHeader("Idempotency-Key"))
                    .isEqualTo(third.getHeader("Idempotency-Key"));
            assertThat(gunzip(third).get("evaluations").get(0).get("count").asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void clientErrors_areNotRetried_andTheLossIsCountedInTheNextBatch() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(400));
        server.enqueue(new MockResponse().setResponseCode(202));
        try (TollgateClient client = client(5)) {
            EvaluationLogsTest.snapshot(1, "pro").installInto(client);
            for (int i = 0; i < 3; i++) {
                client.root(EvaluationLogsTest.context("o1", "pro", null)).intValue("seats", 0);
            }

            CompletableFuture<Void> failed = client.flushLogs();
            assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(LogSinkException.class)
                    .hasMessage("logs endpoint http://" + server.getHostName() + ":" + server.getPort()
                            + "/v1/logs answered HTTP 400");
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(server.getRequestCount()).isEqualTo(2);
            server.takeRequest();
            JsonNode next = gunzip(server.takeRequest());
            assertThat(next.get("dropped").get("evaluations").asLong()).isEqualTo(3);
            assertThat(next.get("messages").get(0).get("message").asText())
                    .isEqualTo("log batch given up after 1 attempts: logs endpoint http://" + server.getHostName() + ":"
                            + server.getPort() + "/v1/logs answered HTTP 400");
        }
    }

    /**
     * After a 401 the sink sends nothing more (protocol.md, Authentication): later batches fail at once without a
     * request, are counted as dropped like any given-up batch, and the refusal is logged once, not once per batch.
     */
    @Test
    void refusedToken_stopsEveryFurtherRequest_laterBatchesAreDroppedAtOnce_andWarnedOnce() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(401));
        server.enqueue(new MockResponse().setResponseCode(202));
        server.enqueue(new MockResponse().setResponseCode(202));
        LogSink http = HttpLogSink.forServer(serverOptions(), new OkHttpClient(), true);
        List<LogBatch> handed = new CopyOnWriteArrayList<>();
        LogSink recording = new LogSink() {
            @Override
            public CompletionStage<Void> send(LogBatch batch) {
                handed.add(batch);
                return http.send(batch);
            }

            @Override
            public void close() {
                http.close();
            }

            @Override
            public String toString() {
                return http.toString();
            }
        };
        LogOptions options = LogOptions.builder()
                .sink(recording)
                .flushInterval(Duration.ofHours(1))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        String endpoint = "http://" + server.getHostName() + ":" + server.getPort() + "/v1/logs";
        String refused = "logs endpoint " + endpoint
                + " refused the SDK token (HTTP 401); no further batches are sent until the client is built again";
        try (CapturedLog log = new CapturedLog();
                TollgateClient client = TollgateClient.builder(EvaluationLogsTest.SCHEMA)
                        .logs(options)
                        .build()) {
            EvaluationLogsTest.snapshot(1, "pro").installInto(client);
            for (int evaluations : new int[] {3, 2, 1}) {
                for (int i = 0; i < evaluations; i++) {
                    client.root(EvaluationLogsTest.context("o1", "pro", null)).intValue("seats", 0);
                }

                CompletableFuture<Void> flushed = client.flushLogs();

                assertThatThrownBy(() -> flushed.get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(LogSinkException.class)
                        .hasMessage(refused)
                        .satisfies(e ->
                                assertThat(((LogSinkException) e).retryable()).isFalse());
            }

            assertThat(server.getRequestCount()).as("requests after the 401").isEqualTo(1);
            assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer sdk-secret");
            assertThat(handed).hasSize(3);
            assertThat(handed.get(1).evaluations())
                    .containsExactly(new LogBatch.EvaluationCount("seats", "rule:pro", 2));
            assertThat(dropped(handed.get(1))).containsExactly(0L, 0L, 3L);
            assertThat(handed.get(1).messages())
                    .extracting(LogBatch.SdkMessage::level, LogBatch.SdkMessage::message, LogBatch.SdkMessage::count)
                    .containsExactly(tuple("ERROR", "log batch given up after 1 attempts: " + refused, 1L));
            assertThat(dropped(handed.get(2)))
                    .as("the second batch's 2 evaluations and 1 message, and the 3 it carried")
                    .containsExactly(0L, 1L, 5L);
            assertThat(log.messages("WARN", LogPipeline.class))
                    .containsExactly(
                            "Log sink HttpLogSink[" + endpoint + "] failed (" + refused + "); the batch is given up");
        }
    }

    /**
     * Regression: a sink on an HTTP client shared with the server source (the client's own, or the application's) kept
     * that client's timeouts instead of the server options', so a log post to a server that never answered waited for
     * OkHttp's defaults (no call timeout at all).
     */
    @Test
    void serverOptionsTimeouts_applyToTheSinksRequests_whateverTheSharedClientSays() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        ServerOptions options = ServerOptions.builder(server.url("/").toString(), "sdk-secret")
                .readTimeout(Duration.ofMillis(300))
                .build();
        OkHttpClient patient =
                new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(5)).build();
        LogSink sink = HttpLogSink.forServer(options, patient, true);
        try {
            assertThatThrownBy(
                            () -> sink.send(batch("b1")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(LogSinkException.class)
                    // Okio's watchdog says "timeout", the socket's own read timeout "Read timed out": the same 300 ms.
                    .hasMessageMatching(java.util.regex.Pattern.quote("logs endpoint http://" + server.getHostName()
                                    + ":" + server.getPort() + "/v1/logs failed: java.net.SocketTimeoutException: ")
                            + "(timeout|Read timed out)");
        } finally {
            sink.close();
        }
    }

    @Test
    void forbidden_failsLaterSendsAtOnce_withoutARequest() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(403));
        server.enqueue(new MockResponse().setResponseCode(202));
        LogSink sink = HttpLogSink.forServer(serverOptions(), new OkHttpClient(), true);
        String refused = "logs endpoint http://" + server.getHostName() + ":" + server.getPort()
                + "/v1/logs refused the SDK token (HTTP 403); no further batches are sent until the client is built"
                + " again";
        try {
            assertThatThrownBy(
                            () -> sink.send(batch("b1")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(LogSinkException.class)
                    .hasMessage(refused);

            CompletableFuture<Void> later = sink.send(batch("b2")).toCompletableFuture();

            assertThat(later).as("failed before any request could be made").isCompletedExceptionally();
            assertThatThrownBy(later::join)
                    .cause()
                    .isInstanceOf(LogSinkException.class)
                    .hasMessage(refused)
                    .satisfies(
                            e -> assertThat(((LogSinkException) e).retryable()).isFalse());
            assertThat(server.getRequestCount()).isEqualTo(1);
            assertThat(server.takeRequest().getHeader("Idempotency-Key")).isEqualTo("b1");
        } finally {
            sink.close();
        }
    }

    /** A batch's dropped exposures, messages and evaluations. */
    static List<Long> dropped(LogBatch batch) {
        return List.of(batch.droppedExposures(), batch.droppedMessages(), batch.droppedEvaluations());
    }

    private static LogBatch batch(String id) {
        return new LogBatch(
                id,
                EvaluationLogsTest.SCHEMA.hash(),
                1,
                Instant.EPOCH,
                Instant.EPOCH.plusSeconds(5),
                List.of(new LogBatch.EvaluationCount("seats", "default", 1)),
                List.of(),
                List.of(),
                0,
                0,
                0);
    }

    @Test
    void sinkDownForLong_keepsMemoryBounded_andCountsWhatWasDropped() throws Exception {
        for (int i = 0; i < 6; i++) {
            server.enqueue(new MockResponse().setResponseCode(503));
        }
        server.enqueue(new MockResponse().setResponseCode(202));
        LogOptions options = LogOptions.builder()
                .server(serverOptions())
                .flushInterval(Duration.ofHours(1))
                .maxAttempts(2)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                .maxExposures(50)
                .build();
        try (TollgateClient client =
                TollgateClient.builder(EvaluationLogsTest.SCHEMA).logs(options).build()) {
            EvaluationLogsTest.installEveryoneInSplit(client);
            long exposuresMade = 0;
            for (int round = 0; round < 3; round++) {
                for (int user = 0; user < 200; user++) {
                    client.root(EvaluationLogsTest.context("o", "free", "r" + round + "u" + user))
                            .booleanValue("beta", false);
                    exposuresMade++;
                }
                assertThatThrownBy(() -> client.flushLogs().get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class);
            }

            client.flushLogs().get(5, TimeUnit.SECONDS);

            for (int i = 0; i < 6; i++) {
                server.takeRequest();
            }
            JsonNode recovered = gunzip(server.takeRequest());
            JsonNode dropped = recovered.get("dropped");
            assertThat(exposuresMade).isEqualTo(600);
            assertThat(dropped.get("exposures").asLong())
                    .as("150 buffered and lost, 450 refused by the full buffer")
                    .isEqualTo(600);
            assertThat(dropped.get("evaluations").asLong()).isEqualTo(600);
            assertThat(recovered.get("exposures")).isEmpty();
        }
    }

    private ServerOptions serverOptions() {
        return ServerOptions.builder(server.url("/").toString(), "sdk-secret").build();
    }

    private TollgateClient client(int maxAttempts) {
        LogOptions options = LogOptions.builder()
                .server(serverOptions())
                .flushInterval(Duration.ofHours(1))
                .maxAttempts(maxAttempts)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        return TollgateClient.builder(EvaluationLogsTest.SCHEMA).logs(options).build();
    }

    private static JsonNode gunzip(RecordedRequest request) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(request.getBody().inputStream())) {
            return JSON.readTree(in);
        }
    }
}
