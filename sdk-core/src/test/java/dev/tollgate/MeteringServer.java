package dev.tollgate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer dispatcher speaking the metering side of the protocol: {@code GET /v1/snapshot} serves one snapshot,
 * {@code GET /v1/usage} and {@code POST /v1/logs} answer from scripts (then with empty usage), and {@code GET
 * /v1/stream} from its own script (404 without one). Every request is recorded.
 */
final class MeteringServer extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String snapshot;
    private final Queue<Supplier<MockResponse>> usageAnswers = new ConcurrentLinkedQueue<>();
    private final Queue<Supplier<MockResponse>> logAnswers = new ConcurrentLinkedQueue<>();
    private final List<MockResponse> streamAnswers = new CopyOnWriteArrayList<>();
    public final List<RecordedRequest> usageRequests = new CopyOnWriteArrayList<>();
    public final List<RecordedRequest> logRequests = new CopyOnWriteArrayList<>();
    public final List<RecordedRequest> streamRequests = new CopyOnWriteArrayList<>();

    public MeteringServer(String snapshot) {
        this.snapshot = snapshot;
    }

    /** Answers the next {@code GET /v1/usage} with {@code body} (status 200). */
    public MeteringServer usage(String body) {
        usageAnswers.add(() -> json(200, body));
        return this;
    }

    /** Answers the next {@code GET /v1/usage} with {@code body} once {@code gate} opens: the client waits meanwhile. */
    public MeteringServer usageAfter(CountDownLatch gate, String body) {
        usageAnswers.add(() -> {
            await(gate);
            return json(200, body);
        });
        return this;
    }

    /** Answers the next {@code GET /v1/usage} with {@code response}. */
    public MeteringServer usage(MockResponse response) {
        usageAnswers.add(() -> response);
        return this;
    }

    /** Answers the next {@code POST /v1/logs} with {@code response}. */
    public MeteringServer logs(MockResponse response) {
        logAnswers.add(() -> response);
        return this;
    }

    /** Answers every {@code GET /v1/stream} with {@code events}, a finite event stream. */
    public MeteringServer stream(String events) {
        streamAnswers.add(new MockResponse()
                .setHeader("Content-Type", "text/event-stream")
                .setBody(events));
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path =
                request.getRequestUrl() == null ? "" : request.getRequestUrl().encodedPath();
        switch (path) {
            case "/v1/snapshot":
                return new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setHeader("ETag", "\"r1\"")
                        .setBody(snapshot);
            case "/v1/usage":
                usageRequests.add(request);
                Supplier<MockResponse> usage = usageAnswers.poll();
                return usage != null ? usage.get() : json(200, "{\"usage\": [], \"more\": false}");
            case "/v1/logs":
                logRequests.add(request);
                Supplier<MockResponse> logs = logAnswers.poll();
                return logs != null ? logs.get() : logsAnswer();
            case "/v1/stream":
                streamRequests.add(request);
                return streamAnswers.isEmpty() ? new MockResponse().setResponseCode(404) : streamAnswers.get(0);
            default:
                return new MockResponse().setResponseCode(404);
        }
    }

    /** The {@code since} of each {@code GET /v1/usage} so far, in order. */
    public List<String> sinces() {
        return usageRequests.stream()
                .map(request -> request.getRequestUrl().queryParameter("since"))
                .toList();
    }

    /** Waits until at least {@code count} usage polls arrived. */
    public void awaitUsageRequests(int count) {
        await("usage polls", () -> usageRequests.size() >= count);
    }

    /** Waits until at least {@code count} log batches arrived. */
    public void awaitLogRequests(int count) {
        await("log batches", () -> logRequests.size() >= count);
    }

    /** The gunzipped JSON body of log batch {@code index}. */
    public JsonNode logBody(int index) {
        try (GZIPInputStream in =
                new GZIPInputStream(logRequests.get(index).getBody().inputStream())) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A log batch's answer: accepted, with {@code rows} (JSON objects, comma-separated) as the fleet's usage. */
    public static MockResponse logsAnswer(String... rows) {
        return json(202, "{\"accepted\": true, \"duplicate\": false, \"usage\": [" + String.join(", ", rows) + "]}");
    }

    /** A usage feed answer with {@code rows}, up to {@code version}. */
    public static String feed(long version, boolean more, String... rows) {
        return "{\"usage\": [" + String.join(", ", rows) + "], \"version\": " + version + ", \"more\": " + more + "}";
    }

    /** A row of the fleet's usage of {@code entitlements.maxApiRequestsPerDay(endpoint)} today. */
    public static String requestsRow(String key, String endpoint, long used, long extra, long version) {
        return """
                {"field": "entitlements.maxApiRequestsPerDay", "arguments": {"endpoint": "%s"}, "key": "%s",
                 "period": "DAY", "periodStart": "2026-12-06T00:00:00Z", "used": %d, "extra": %d, "version": %d}"""
                .formatted(endpoint, key, used, extra, version);
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse()
                .setResponseCode(status)
                .setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    /** Waits up to 5 seconds for {@code condition}, failing with {@code what}. */
    public static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private static void await(CountDownLatch gate) {
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
