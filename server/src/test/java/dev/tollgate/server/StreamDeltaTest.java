package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.InputValue;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code delta} events of the revision stream, end to end: an SDK client on a stream with deltas applies an
 * override edit, a rule edit and a segment member added without fetching the snapshot, and fetches it whole when a delta cannot be applied to what it has or
 * when a revision has no delta. Fetches are counted in the server's own metrics. Prints the size of a one-row delta
 * event on the wire.
 */
class StreamDeltaTest {
    private static final String ROWS =
            "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/";
    private static final Pattern FETCHES =
            Pattern.compile("tollgate_http_requests_total\\{route=\"GET /v1/snapshot\",status=\"200\"} ([0-9.]+)");
    private static final Pattern STREAMS = Pattern.compile("(?m)^tollgate_streams_open ([0-9.]+)$");

    private TollgateServer server;
    private Api admin;
    private String token;

    @BeforeEach
    void start() {
        server = TestServers.start(TestServers.Storage.H2);
        admin = TestServers.admin(server);
        admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
        token = TestServers.sdkToken(admin, "deltas");
        setRow("org_42", 40);
        setRow("org_7", 7);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private long revision() {
        return admin.get("/v1/admin/environments/production")
                .json()
                .get("revision")
                .asLong();
    }

    private void setRow(String key, int value) {
        Api.Response set = admin.put(ROWS + key, Map.of("value", value), "If-Match", Api.ifMatch(revision()));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
    }

    /** Snapshot bodies the server has sent (200s of GET /v1/snapshot), from its metrics. */
    private long fetches() {
        return sample(FETCHES);
    }

    /**
     * The snapshot fetches once the count has settled at {@code atLeast} or more: a request is counted only after its
     * answer is written, so one scrape may miss a fetch whose answer the client already has.
     */
    private long fetchesSettled(long atLeast) {
        return Counts.settled(this::fetches, atLeast);
    }

    private long sample(Pattern pattern) {
        String metrics = admin.get("/v1/metrics").text();
        Matcher matcher = pattern.matcher(metrics);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    /**
     * Waits until the server counts {@code expected} open revision streams, the SDK client's among them. A stream that
     * connected only after an edit was committed would announce the current revision, and the client would fetch it
     * instead of applying the delta. The server counts a stream once it is subscribed to revisions.
     */
    private void awaitStreams(int expected) {
        assertThat(Counts.awaitValue(() -> sample(STREAMS), expected))
                .as("revision streams open (tollgate_streams_open)")
                .isEqualTo(expected);
    }

    private static TollgateClient.Builder builder() {
        return TollgateClient.builder(Schema.parse(TestServers.SCHEMA, "schema.graphql"))
                .logs(LogOptions.disabled());
    }

    private static int teamSize(TollgateClient client, String org) {
        InputValue context = DynamicInput.context(
                client.schema(), Map.of("organization", Map.of("id", org, "plan", "PRO"), "user", Map.of("id", "u")));
        return client.root(context).intValue("entitlements.maxTeamSize", -1);
    }

    private static void awaitValue(TollgateClient client, String org, int value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (teamSize(client, org) != value && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(teamSize(client, org)).as("%s's team size", org).isEqualTo(value);
    }

    @Test
    void clientOnADeltaStream_appliesAnOverrideEditWithoutFetching_andFetchesARevisionWithoutDelta() throws Exception {
        try (TollgateClient client = builder()
                        .server(ServerOptions.builder(server.url(), token).build())
                        .build();
                SseClient raw = new SseClient(server.url(), "/v1/stream?deltas=1", token);
                SseClient plain = new SseClient(server.url(), token)) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            assertThat(plain.awaitRevision(revision(), 2_000)).isNotNull();
            awaitStreams(3);
            long before = fetchesSettled(0);
            long base = revision();

            setRow("org_42", 50);
            awaitValue(client, "org_42", 50);

            assertThat(fetchesSettled(before))
                    .as("no snapshot fetched for the delta")
                    .isEqualTo(before);
            assertThat(client.revision()).isEqualTo(base + 1);
            assertThat(teamSize(client, "org_7")).isEqualTo(7);
            SseClient.DeltaEvent delta = raw.awaitDelta(2_000);
            assertThat(delta).isNotNull();
            assertThat(delta.revision()).isEqualTo(base + 1);
            JsonNode change = delta.data().get("changes").get(0);
            assertThat(delta.data().get("base").asLong()).isEqualTo(base);
            assertThat(change.get("field").asText()).isEqualTo("entitlements.maxTeamSize");
            assertThat(change.get("set").get("org_42").toString()).isEqualTo("{\"value\":50,\"was\":{\"value\":40}}");
            assertThat(change.get("rows").asInt()).isEqualTo(2);
            assertThat(plain.awaitRevision(base + 1, 2_000))
                    .as("a stream that did not ask for deltas gets the revision event")
                    .isNotNull();
            System.out.printf(
                    "FIGURE bytes on the wire per single-row edit (delta event, one Int row, table of 2 rows): %d B%n",
                    delta.wireBytes());

            // Logic for a field that had none adds a field: no delta, the revision event, and a fetch.
            Api.Response rule = admin.put(
                    "/v1/admin/environments/production/fields/entitlements.teamRolesEnabled",
                    Map.of("default", true),
                    "If-Match",
                    Api.ifMatch(revision()));
            assertThat(rule.status()).as(rule.toString()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (client.revision() < base + 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(client.revision()).isEqualTo(base + 2);
            assertThat(fetchesSettled(before + 1)).isEqualTo(before + 1);
        }
    }

    @Test
    void clientOnADeltaStream_appliesARuleEditAndASegmentMemberAddedWithoutFetching() throws Exception {
        String env = "/v1/admin/environments/production";
        Api.Response segment = admin.put(
                env + "/segments/beta",
                Api.JSON.readTree("{\"if\": {\"attribute\": \"context.organization.id\", \"op\": \"in\","
                        + " \"value\": [\"org_1\"]}}"),
                "If-Match",
                Api.ifMatch(revision()));
        assertThat(segment.status()).as(segment.toString()).isEqualTo(200);
        String logic = "{\"overrides\": [{\"by\": \"context.organization.id\", \"values\": {\"org_42\": 40,"
                + " \"org_7\": 7}}], \"rules\": [{\"id\": \"beta\", \"if\": {\"segment\": \"beta\"},"
                + " \"value\": 25}], \"default\": 5}";
        putLogic(logic);
        try (TollgateClient client = builder()
                        .server(ServerOptions.builder(server.url(), token).build())
                        .build();
                SseClient raw = new SseClient(server.url(), "/v1/stream?deltas=1", token)) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            assertThat(teamSize(client, "org_1")).isEqualTo(25);
            awaitStreams(2);
            long before = fetchesSettled(0);
            long base = revision();

            putLogic(logic.replace("\"value\": 25", "\"value\": 30"));
            awaitValue(client, "org_1", 30);
            SseClient.DeltaEvent ruleDelta = raw.awaitDelta(2_000);
            assertThat(ruleDelta).isNotNull();
            assertThat(ruleDelta.data().at("/changes/0/logic/overrides").toString())
                    .as("the unchanged table goes without its rows")
                    .isEqualTo("[{\"by\":\"context.organization.id\"}]");

            Api.Response member =
                    admin.put(env + "/segments/beta/members/org_2", null, "If-Match", Api.ifMatch(revision()));
            assertThat(member.status()).as(member.toString()).isEqualTo(200);
            awaitValue(client, "org_2", 30);
            SseClient.DeltaEvent segmentDelta = raw.awaitDelta(2_000);
            assertThat(segmentDelta).isNotNull();
            assertThat(segmentDelta.data().at("/changes/0/segment").asText()).isEqualTo("beta");
            assertThat(segmentDelta.data().at("/fingerprints").has("entitlements.maxTeamSize"))
                    .isTrue();

            assertThat(fetchesSettled(before))
                    .as("no snapshot fetched for either delta")
                    .isEqualTo(before);
            assertThat(client.revision()).isEqualTo(base + 2);
            assertThat(teamSize(client, "org_42")).isEqualTo(40);
            assertThat(teamSize(client, "org_3")).isEqualTo(5);
            System.out.printf(
                    "FIGURE bytes on the wire: a rule edit as a delta event: %d B; a segment member added: %d B%n",
                    ruleDelta.wireBytes(), segmentDelta.wireBytes());
        }
    }

    private void putLogic(String logic) throws java.io.IOException {
        Api.Response put = admin.put(
                "/v1/admin/environments/production/fields/entitlements.maxTeamSize",
                Api.JSON.readTree(logic),
                "If-Match",
                Api.ifMatch(revision()));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
    }

    @Test
    void figure_bytesOnTheWirePerSingleRowEdit_ofATableOf100000Rows() throws Exception {
        ObjectNode logic = Api.JSON.createObjectNode();
        ObjectNode values = logic.putArray("overrides")
                .addObject()
                .put("by", "context.organization.id")
                .putObject("values");
        for (int i = 0; i < 100_000; i++) {
            values.put("org_" + i, 10 + i % 50);
        }
        logic.put("default", 5);
        Api.Response put = admin.put(
                "/v1/admin/environments/production/fields/entitlements.maxTeamSize",
                logic,
                "If-Match",
                Api.ifMatch(revision()));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        try (TollgateClient client = builder()
                        .server(ServerOptions.builder(server.url(), token).build())
                        .build();
                SseClient raw = new SseClient(server.url(), "/v1/stream?deltas=1", token)) {
            assertThat(client.awaitReady(Duration.ofSeconds(10)).isReady()).isTrue();
            awaitStreams(2);
            long before = fetchesSettled(0);

            setRow("org_4242", 1_000);
            awaitValue(client, "org_4242", 1_000);

            SseClient.DeltaEvent delta = raw.awaitDelta(5_000);
            assertThat(delta).isNotNull();
            assertThat(delta.data().at("/changes/0/rows").asInt()).isEqualTo(100_000);
            assertThat(delta.wireBytes()).isLessThan(1_024);
            assertThat(fetchesSettled(before)).isEqualTo(before);
            System.out.printf(
                    "FIGURE bytes on the wire per single-row edit of a 100,000-row table (delta event): %d B; the"
                            + " snapshot a fetch would send: %d B (before gzip)%n",
                    delta.wireBytes(),
                    new Api(server.url(), token).get("/v1/snapshot").raw().body().length);
        }
    }

    @Test
    void clientWhoseRowsDifferFromTheServers_refusesTheDelta_andFetches(@TempDir Path dir) throws Exception {
        // The client starts from an embedded snapshot with the server's current revision but another row for org_42;
        // the server's copy of that revision is then "unchanged" for it, so it keeps the wrong row until a delta's
        // checksum shows the difference.
        byte[] served = new Api(server.url(), token).get("/v1/snapshot").raw().body();
        ObjectNode doctored = (ObjectNode) Api.JSON.readTree(served);
        ((ObjectNode) doctored.at("/fields/entitlements.maxTeamSize/overrides/0/values")).put("org_42", 999);
        Files.write(dir.resolve("doctored.json"), doctored.toString().getBytes(StandardCharsets.UTF_8));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
                TollgateClient client = builder()
                        .embeddedSnapshot("doctored.json", loader)
                        .server(ServerOptions.builder(server.url(), token).build())
                        .build()) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            assertThat(teamSize(client, "org_42")).isEqualTo(999);
            awaitStreams(1);
            long before = fetchesSettled(0);

            setRow("org_7", 8);
            awaitValue(client, "org_7", 8);

            assertThat(teamSize(client, "org_42"))
                    .as("the server's row, fetched whole")
                    .isEqualTo(40);
            assertThat(fetchesSettled(before + 1)).isEqualTo(before + 1);
        }
    }
}
