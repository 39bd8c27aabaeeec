package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.InputValue;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An SDK client against a running server: it sees an override set through the admin API, and its evaluation logs land
 * in the usage counts. Prints two figures: admin write to value visible in the client (median and p99, stream plus
 * snapshot fetch on loopback), and snapshot requests per second answered with 304.
 */
class EndToEndTest {
    private static final String OVERRIDE =
            "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_42";

    private static TollgateServer server;
    private static Api admin;
    private static String sdkToken;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Storage.H2);
        admin = TestServers.admin(server);
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        sdkToken = admin.post("/v1/admin/tokens", Map.of("name", "e2e", "kind", "sdk", "environment", "production"))
                .json()
                .get("token")
                .asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TollgateClient client() {
        return TollgateClient.builder(Schema.parse(TestServers.SCHEMA, "schema.graphql"))
                .logs(LogOptions.builder()
                        .server(ServerOptions.builder(server.url(), sdkToken).build())
                        .flushInterval(Duration.ofMinutes(5))
                        .build())
                .build();
    }

    private static InputValue org42(TollgateClient client) {
        return DynamicInput.context(
                client.schema(),
                Map.of("organization", Map.of("id", "org_42", "plan", "PRO"), "user", Map.of("id", "u1")));
    }

    private static long revision() {
        return admin.get("/v1/admin/environments/production")
                .json()
                .get("revision")
                .asLong();
    }

    @Test
    void sdkClient_seesAnOverrideSetThroughTheAdminApi_andItsLogsAreCounted() throws Exception {
        Api sdk = new Api(server.url(), sdkToken);
        try (TollgateClient client = client()) {
            client.loadSnapshot(sdk.get("/v1/snapshot").raw().body());
            assertThat(client.root(org42(client)).intValue("entitlements.maxTeamSize", 5))
                    .isEqualTo(5);

            Api.Response set =
                    admin.put(OVERRIDE, Map.of("value", 50, "message", "trial"), "If-Match", Api.ifMatch(revision()));
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
            client.loadSnapshot(sdk.get("/v1/snapshot").raw().body());

            assertThat(client.root(org42(client)).intValue("entitlements.maxTeamSize", 5))
                    .isEqualTo(50);
            client.flushLogs().get(10, TimeUnit.SECONDS);
        }
        JsonNode counts = admin.get("/v1/admin/environments/production/usage?field=entitlements.maxTeamSize")
                .json()
                .get("counts");
        assertThat(counts.toString()).contains("\"outcome\":\"override\",\"count\":1");
        assertThat(counts.toString()).contains("\"outcome\":\"fallback:NO_LOGIC\",\"count\":1");
    }

    /**
     * The SDK's own server source (snapshot endpoint plus revision stream, which brings these one-row edits as deltas)
     * sees every admin write within one second; prints the write-to-visible figure over 50 writes.
     */
    @Test
    void sdkClientOnTheStream_seesEachAdminWriteWithinOneSecond() throws Exception {
        List<Long> micros = new ArrayList<>();
        try (TollgateClient client = TollgateClient.builder(Schema.parse(TestServers.SCHEMA, "schema.graphql"))
                .logs(LogOptions.disabled())
                .server(ServerOptions.builder(server.url(), sdkToken).build())
                .build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            long revision = revision();
            for (int i = 0; i < 50; i++) {
                int value = 1_000 + i;
                long start = System.nanoTime();
                Api.Response set = admin.put(OVERRIDE, Map.of("value", value), "If-Match", Api.ifMatch(revision));
                assertThat(set.status()).as(set.toString()).isEqualTo(200);
                revision++;
                long deadline = start + TimeUnit.SECONDS.toNanos(1);
                while (client.root(org42(client)).intValue("entitlements.maxTeamSize", 5) != value
                        && System.nanoTime() < deadline) {
                    Thread.sleep(0, 200_000);
                }
                assertThat(client.root(org42(client)).intValue("entitlements.maxTeamSize", 5))
                        .as("value %d visible within one second of the write", value)
                        .isEqualTo(value);
                micros.add((System.nanoTime() - start) / 1_000);
            }
        }
        Collections.sort(micros);
        System.out.printf(
                "FIGURE admin write -> visible through the SDK's server source (stream with deltas: each one-row edit"
                        + " arrives as a delta event, no fetch; H2, loopback, %d writes): median %.2f ms, p99 %.2f ms%n",
                micros.size(), micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() * 99 / 100) / 1000.0);
    }

    @Test
    void figure_adminWriteToValueVisibleInAConnectedClient() throws Exception {
        Api sdk = new Api(server.url(), sdkToken);
        List<Long> micros = new ArrayList<>();
        try (TollgateClient client = client();
                SseClient stream = new SseClient(server.url(), sdkToken)) {
            long revision = revision();
            client.loadSnapshot(sdk.get("/v1/snapshot").raw().body());
            for (int i = 0; i < 200; i++) {
                int value = 100 + i;
                long start = System.nanoTime();
                Api.Response set = admin.put(OVERRIDE, Map.of("value", value), "If-Match", Api.ifMatch(revision));
                assertThat(set.status()).as(set.toString()).isEqualTo(200);
                revision++;
                assertThat(stream.awaitRevision(revision, 1_000))
                        .as("stream event")
                        .isNotNull();
                client.loadSnapshot(sdk.get("/v1/snapshot").raw().body());
                assertThat(client.root(org42(client)).intValue("entitlements.maxTeamSize", 5))
                        .isEqualTo(value);
                micros.add((System.nanoTime() - start) / 1_000);
            }
        }
        Collections.sort(micros);
        long median = micros.get(micros.size() / 2);
        long p99 = micros.get(micros.size() * 99 / 100);
        System.out.printf(
                "FIGURE admin write -> visible in a connected SDK client (H2, loopback, %d writes): median %.2f ms, p99 %.2f ms%n",
                micros.size(), median / 1000.0, p99 / 1000.0);
        assertThat(p99).isLessThan(1_000_000);
    }

    /**
     * Keep-alive connections written to directly (a minimal HTTP/1.1 client), so that the figure measures the server
     * rather than a client library; client and server share the machine's cores.
     */
    @Test
    void figure_snapshotRequestsPerSecondAnswered304() throws Exception {
        String etag = new Api(server.url(), sdkToken).get("/v1/snapshot").header("ETag");
        byte[] request = ("GET /v1/snapshot HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + sdkToken
                        + "\r\nIf-None-Match: " + etag + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int connections = 8;
        Duration run = Duration.ofSeconds(3);
        AtomicLong notModified = new AtomicLong();
        AtomicLong other = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long deadline = System.nanoTime() + run.toNanos();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            workers.add(pool.submit(() -> {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    while (System.nanoTime() < deadline) {
                        out.write(request);
                        out.flush();
                        (readHead(in).startsWith("HTTP/1.1 304") ? notModified : other).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(run.toSeconds() + 30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        double perSecond = notModified.get() / (double) run.toSeconds();
        System.out.printf(
                "FIGURE snapshot requests answered 304 (loopback, %d keep-alive connections, %d s, %d cores shared"
                        + " with the client): %.0f req/s%n",
                connections, run.toSeconds(), Runtime.getRuntime().availableProcessors(), perSecond);
        assertThat(other.get()).isZero();
        assertThat(perSecond).isGreaterThan(500);
    }

    /** Reads one response head (a 304 has no body) and returns it. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString();
    }
}
