package dev.tollgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.SnapshotChange;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.snapshot.RowHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delta} events on the stream, from the client's side: applied without a fetch, with exact evaluation counts
 * and a snapshot change event, and not saved as last-known-good; fetched whole on a gap; not asked for by a client that
 * verifies signatures.
 */
class DeltaStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA =
            Schema.parse("input Context { org: String }\ntype Root { seats: Int! }", "delta.graphql");

    private final List<RecordedRequest> streamRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger snapshotRequests = new AtomicInteger();
    private final List<RecordedRequest> logRequests = new CopyOnWriteArrayList<>();
    private MockWebServer server;
    private volatile String stream = "";

    private static String snapshot(long revision, int org1) {
        return """
                {"format": 1, "revision": %d, "schemaHash": "%s", "fields": {
                  "seats": {"overrides": [{"by": "context.org", "values": {"org_1": %d, "org_2": 50}}], "default": 5}}}
                """
                .formatted(revision, SCHEMA.hash(), org1);
    }

    /** The delta from revision 1 to 2 that sets org_1 from 50 to {@code value}. */
    private static String delta(long base, long revision, int value) {
        RowHasher hasher = new RowHasher();
        long sum = hasher.row("org_1", JSON.getNodeFactory().numberNode(value), null, null)
                + hasher.row("org_2", JSON.getNodeFactory().numberNode(50), null, null);
        return """
                {"revision": %d, "base": %d, "changes": [{"field": "seats", "table": 0,
                  "set": {"org_1": {"value": %d, "was": {"value": 50}}}, "rows": 2, "checksum": "%s"}]}"""
                .formatted(revision, base, value, RowHasher.hex(sum))
                .replace("\n", "");
    }

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl().encodedPath();
                switch (path) {
                    case "/v1/snapshot" -> {
                        int n = snapshotRequests.incrementAndGet();
                        return new MockResponse()
                                .setHeader("Content-Type", "application/json")
                                .setBody(n == 1 ? snapshot(1, 50) : snapshot(3, 70));
                    }
                    case "/v1/stream" -> {
                        streamRequests.add(request);
                        return new MockResponse()
                                .setHeader("Content-Type", "text/event-stream")
                                .setBodyDelay(300, TimeUnit.MILLISECONDS)
                                .setBody(stream);
                    }
                    case "/v1/logs" -> {
                        logRequests.add(request);
                        return new MockResponse().setResponseCode(202).setBody("{\"accepted\": true}");
                    }
                    default -> {
                        return new MockResponse().setResponseCode(404);
                    }
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private ServerOptions options() {
        return ServerOptions.builder(server.url("/").toString(), "token")
                .pollInterval(Duration.ofMinutes(5))
                .initialBackoff(Duration.ofMinutes(1))
                .maxBackoff(Duration.ofMinutes(5))
                .build();
    }

    private static int seats(TollgateClient client) {
        return client.root(DynamicInput.context(client.schema(), Map.of("org", "org_1")))
                .intValue("seats", -1);
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(done.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void delta_isAppliedWithoutAFetch_countedExactly_andAnnouncedAsAChange() throws Exception {
        stream = "id: 2\nevent: delta\ndata: " + delta(1, 2, 99) + "\n\n";
        List<SnapshotChange> changes = new CopyOnWriteArrayList<>();
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .server(options())
                .logs(LogOptions.builder().flushInterval(Duration.ofMinutes(5)).build())
                .snapshotListener(changes::add)
                .build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            assertThat(seats(client)).isEqualTo(50);

            await("revision 2", () -> client.revision() == 2);

            assertThat(seats(client)).isEqualTo(99);
            assertThat(seats(client)).isEqualTo(99);
            assertThat(snapshotRequests.get()).isEqualTo(1);
            assertThat(streamRequests.get(0).getRequestUrl().queryParameter("deltas"))
                    .isEqualTo("1");
            // The change is announced on the client's thread, after the install that the revision shows.
            await("the delta's change", () -> changes.stream().anyMatch(change -> change.revision() == 2));
            SnapshotChange delta = changes.stream()
                    .filter(change -> change.revision() == 2)
                    .findFirst()
                    .orElseThrow();
            assertThat(delta.previousRevision()).isEqualTo(1);
            assertThat(delta.changedPaths()).containsExactly("seats");
            client.flushLogs().get(5, TimeUnit.SECONDS);
        }
        JsonNode batch;
        try (GZIPInputStream in =
                new GZIPInputStream(logRequests.get(0).getBody().inputStream())) {
            batch = JSON.readTree(in);
        }
        assertThat(batch.get("evaluations").toString())
                .isEqualTo("[{\"field\":\"seats\",\"outcome\":\"override\",\"count\":3}]");
    }

    @Test
    void lastKnownGoodCopy_keepsTheRevisionFetchedWhole(@TempDir Path directory) throws Exception {
        stream = "id: 2\nevent: delta\ndata: " + delta(1, 2, 99) + "\n\n";
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .server(options())
                .logs(LogOptions.disabled())
                .lastKnownGood(directory)
                .build()) {
            await("revision 2", () -> client.revision() == 2);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.toList();
        }
        assertThat(files).hasSize(1);
        List<String> lines = Files.readAllLines(files.get(0));
        assertThat(lines.get(0)).isEqualTo("tollgate-last-known-good 1");
        assertThat(JSON.readTree(lines.get(1)).get("revision").asLong()).isEqualTo(1);
    }

    @Test
    void gap_fetchesTheWholeSnapshot() throws Exception {
        stream = "id: 3\nevent: delta\ndata: " + delta(2, 3, 70) + "\n\n";
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .server(options())
                .logs(LogOptions.disabled())
                .build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();

            await("revision 3", () -> client.revision() == 3);

            assertThat(seats(client)).isEqualTo(70);
            assertThat(snapshotRequests.get()).isEqualTo(2);
        }
    }

    @Test
    void malformedDelta_keepsTheSnapshot_andFetches() throws Exception {
        stream = "id: 3\nevent: delta\ndata: {\"revision\": 3, \"base\": 1, \"changes\": 7}\n\n";
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .server(options())
                .logs(LogOptions.disabled())
                .build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();

            await("revision 3", () -> client.revision() == 3);

            assertThat(snapshotRequests.get()).isEqualTo(2);
        }
    }

    @Test
    void aDeltaSentToAClientThatAskedForNone_isOnlyAnnouncement_andTheSnapshotIsFetched() throws Exception {
        stream = "id: 2\nevent: delta\ndata: " + delta(1, 2, 99) + "\n\n";
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .server(options().toBuilder().deltas(false).build())
                .logs(LogOptions.disabled())
                .build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();

            await("revision 3", () -> client.revision() == 3);

            assertThat(seats(client))
                    .as("fetched, not taken from the delta's 99")
                    .isEqualTo(70);
            assertThat(snapshotRequests.get()).isEqualTo(2);
            assertThat(streamRequests.get(0).getRequestUrl().queryParameter("deltas"))
                    .isNull();
        }
    }

    @Test
    void clientVerifyingSignatures_doesNotAskForDeltas() throws Exception {
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .server(options())
                .logs(LogOptions.disabled())
                .publicKey(ed25519PublicKey())
                .build()) {
            await("the stream request", () -> !streamRequests.isEmpty());

            assertThat(client.revision()).as("the unsigned snapshot is refused").isZero();
            assertThat(streamRequests.get(0).getRequestUrl().queryParameter("deltas"))
                    .isNull();
            assertThat(streamRequests.get(0).getRequestUrl().encodedPath()).isEqualTo("/v1/stream");
        }
    }

    private static java.security.PublicKey ed25519PublicKey() throws NoSuchAlgorithmException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    }
}
