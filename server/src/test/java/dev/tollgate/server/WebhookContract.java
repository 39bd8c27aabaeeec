package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.testing.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks as {@code docs/server.md} describes them, against a real HTTP receiver that checks every delivery's
 * signature the way a consumer would: the admin API, each kind of event with its payload, retries, redelivery, secret
 * rotation, automatic disabling, and the outbox's transaction. Run against H2 and PostgreSQL by the subclasses, on a
 * server whose clock the tests move; each test works in its own environment with its own receiver.
 */
abstract class WebhookContract {
    static final Instant START = Instant.parse("2026-12-06T10:15:00Z");
    static final String API = "entitlements.maxApiRequestsPerDay";
    static final String TEAM = "/fields/entitlements.maxTeamSize/overrides/context.organization.id/";
    static final String SCHEMA = TestServers.SCHEMA.replace(
            "maxApiRequestsPerDay(endpoint: String!): Int!",
            "maxApiRequestsPerDay(endpoint: String!): Int! @metered(period: DAY, by: \"context.organization.id\")");
    private static final AtomicInteger ENVIRONMENTS = new AtomicInteger();

    static TollgateServer server;
    static ManualClock clock;
    static Api admin;

    String env;
    String name;
    Receiver receiver;

    static void startServer(TestServers.Storage storage) {
        clock = ManualClock.at(START);
        ServerConfig config = TestServers.config(storage)
                .lapseCheckInterval(Duration.ofHours(1))
                .webhookPollInterval(Duration.ofMillis(100))
                .webhookExpiringLead(Duration.ofDays(3))
                .webhookTimeout(Duration.ofSeconds(2))
                .build();
        server = TollgateServer.start(config, clock);
        admin = TestServers.admin(server);
        Api.Response schema = admin.put("/v1/admin/schema", SCHEMA, "If-Match", "\"0\"");
        assertThat(schema.status()).as(schema.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newEnvironmentAndReceiver() throws IOException {
        clock.set(START);
        name = "hooks-" + ENVIRONMENTS.incrementAndGet();
        Api.Response created = admin.post("/v1/admin/environments", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        env = "/v1/admin/environments/" + name;
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    // ---- a consumer ----

    /** One request the receiver got, with whether its signature checked out against the secrets it knew. */
    record Received(String id, long timestamp, String signatures, String body, boolean verified, int answered) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** An answer the receiver can be told to give: 200 and part of a body, then nothing for six seconds. */
    static final int STALL = -1;

    /** A webhook consumer on loopback: verifies each delivery with the secrets it is given, answers as told. */
    static final class Receiver implements AutoCloseable {
        final HttpServer http;
        final List<Received> received = new CopyOnWriteArrayList<>();
        final List<String> secrets = new CopyOnWriteArrayList<>();
        final Deque<Integer> answers = new ConcurrentLinkedDeque<>();
        private final java.util.concurrent.ExecutorService threads =
                java.util.concurrent.Executors.newCachedThreadPool();

        Receiver() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/hook", exchange -> {
                byte[] bytes;
                try (InputStream in = exchange.getRequestBody()) {
                    bytes = in.readAllBytes();
                }
                String body = new String(bytes, StandardCharsets.UTF_8);
                String id = exchange.getRequestHeaders().getFirst("Tollgate-Webhook-Id");
                String timestamp = exchange.getRequestHeaders().getFirst("Tollgate-Webhook-Timestamp");
                String signatures = exchange.getRequestHeaders().getFirst("Tollgate-Webhook-Signature");
                Integer next = answers.poll();
                int status = next == null ? 200 : next;
                if (status == STALL) {
                    // Answers 200 and a first part of the body, then stalls past the sender's deadline.
                    received.add(new Received(
                            id,
                            Long.parseLong(timestamp),
                            signatures,
                            body,
                            verify(id, timestamp, body, signatures),
                            200));
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    out.write("still writ".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sleep(6_000);
                    exchange.close();
                    return;
                }
                received.add(new Received(
                        id,
                        Long.parseLong(timestamp),
                        signatures,
                        body,
                        verify(id, timestamp, body, signatures),
                        status));
                byte[] answer = ("answered " + status).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            });
            // A thread per request: one stalled answer must not hold up the next delivery.
            http.setExecutor(threads);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/hook";
        }

        /**
         * What a consumer does: recompute the HMAC-SHA256 of {@code id.timestamp.body} with each secret it trusts and
         * compare it in constant time with each {@code v1=} signature of the header; one match suffices.
         */
        boolean verify(String id, String timestamp, String body, String header) {
            for (String secret : secrets) {
                byte[] expected = hmac(secret, id + "." + timestamp + "." + body);
                for (String part : header.split(" ")) {
                    if (part.startsWith("v1=")
                            && MessageDigest.isEqual(expected, HexFormat.of().parseHex(part.substring(3)))) {
                        return true;
                    }
                }
            }
            return false;
        }

        static byte[] hmac(String secret, String text) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }

        List<Received> ofType(String type) {
            List<Received> list = new ArrayList<>();
            for (Received r : received) {
                if (r.json().path("type").asText().equals(type)) {
                    list.add(r);
                }
            }
            return list;
        }

        /** Waits (at most 20 s) until the received requests satisfy {@code condition}. */
        List<Received> await(Predicate<List<Received>> condition) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!condition.test(received)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the receiver did not get what was expected; it got " + received);
                }
                server.webhooks().poll();
                sleep(50);
            }
            return received;
        }

        @Override
        public void close() {
            http.stop(0);
            threads.shutdownNow();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- helpers ----

    /** Registers the receiver for {@code events} and teaches it the secret; answers the endpoint as created. */
    JsonNode register(String... events) {
        Api.Response created = admin.post(env + "/webhooks", Map.of("url", receiver.url(), "events", List.of(events)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        receiver.secrets.add(created.json().get("secret").asText());
        return created.json();
    }

    long revision() {
        return admin.get(env).json().get("revision").asLong();
    }

    Api.Response setOverride(String key, Map<String, Object> body) {
        Api.Response set = admin.put(env + TEAM + key, body, "If-Match", Api.ifMatch(revision()));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return set;
    }

    JsonNode deliveries(long webhook) {
        Api.Response list = admin.get(env + "/webhooks/" + webhook + "/deliveries");
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.json().get("deliveries");
    }

    /** The endpoint's newest delivery once it satisfies {@code condition} (the sender records after it sends). */
    JsonNode awaitDelivery(long webhook, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode list = deliveries(webhook);
            if (!list.isEmpty() && condition.test(list.get(0))) {
                return list.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the delivery did not get there: " + list);
            }
            sleep(50);
        }
    }

    // ---- the admin API ----

    @Test
    void create_answersTheSecretOnce_andListsWithoutIt() {
        JsonNode created = register("override.set", "override.cleared");

        assertThat(created.get("secret").asText()).startsWith("whsec_").hasSizeGreaterThan(40);
        assertThat(created.get("events").toString()).isEqualTo("[\"override.set\",\"override.cleared\"]");
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("createdBy").asText()).isEqualTo("initial admin (token 1)");
        Api.Response list = admin.get(env + "/webhooks");
        assertThat(list.text())
                .contains(receiver.url())
                .doesNotContain("whsec_")
                .doesNotContain("\"secret\"");
        JsonNode audit = admin.get("/v1/admin/audit?environment=" + name).json().get("entries");
        assertThat(audit.get(0).get("action").asText()).isEqualTo("webhook.create");
        assertThat(audit.get(0).get("target").asText())
                .isEqualTo("webhook " + created.get("id").asLong() + " (" + receiver.url() + ")");
    }

    @Test
    void create_refusesPlainHttpToOtherHosts_namingTheField() {
        Api.Response http = admin.post(
                env + "/webhooks", Map.of("url", "http://hooks.example.com/in", "events", List.of("override.set")));
        Api.Response events = admin.post(
                env + "/webhooks", Map.of("url", "https://hooks.example.com/in", "events", List.of("override.sets")));
        Api.Response none = admin.post(env + "/webhooks", Map.of("events", List.of("override.set")));

        assertThat(http.status()).isEqualTo(400);
        assertThat(http.json().get("error").get("message").asText())
                .isEqualTo("\"url\" must be an https:// URL (http:// only for localhost and 127.0.0.1), was"
                        + " \"http://hooks.example.com/in\"");
        assertThat(events.status()).isEqualTo(400);
        assertThat(events.json().get("error").get("message").asText())
                .startsWith(
                        "\"events\"[0] is not an event type: \"override.sets\"; the types are [revision.published,");
        assertThat(none.json().get("error").get("message").asText())
                .isEqualTo("\"url\" is required: the https:// URL the events are posted to");
    }

    @Test
    void viewers_listEndpointsAndDeliveries_butCannotCreate() {
        long id = register("override.set").get("id").asLong();
        Api.Response token =
                admin.post("/v1/admin/tokens", Map.of("name", "viewer", "kind", "admin", "role", "viewer"));
        Api viewer = admin.as(token.json().get("token").asText());

        Api.Response list = viewer.get(env + "/webhooks/" + id + "/deliveries");
        Api.Response create =
                viewer.post(env + "/webhooks", Map.of("url", receiver.url(), "events", List.of("override.set")));

        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(viewer.get(env + "/webhooks").status()).isEqualTo(200);
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().get("error").get("message").asText())
                .isEqualTo("this needs the admin role; the token has viewer");
    }

    // ---- events ----

    @Test
    void overrideSetAndCleared_arriveSigned_withFieldKeyValueAndUntil() {
        register("override.set", "override.cleared", "revision.published");
        String until = START.plus(Duration.ofDays(30)).toString();

        setOverride("org_42", Map.of("value", 50, "until", until, "message", "trial"));
        long cleared = revision();
        Api.Response clear = admin.delete(env + TEAM + "org_42", "If-Match", Api.ifMatch(cleared));
        assertThat(clear.status()).as(clear.toString()).isEqualTo(200);

        List<Received> all = receiver.await(r -> r.size() >= 4);
        assertThat(all).allMatch(Received::verified, "signature verified");
        JsonNode set = receiver.ofType("override.set").get(0).json();
        assertThat(set.get("id").asText()).startsWith("evt_");
        assertThat(set.get("environment").asText()).isEqualTo(name);
        JsonNode data = set.get("data");
        assertThat(data.get("field").asText()).isEqualTo("entitlements.maxTeamSize");
        assertThat(data.get("attribute").asText()).isEqualTo("context.organization.id");
        assertThat(data.get("key").asText()).isEqualTo("org_42");
        assertThat(data.get("value").asInt()).isEqualTo(50);
        assertThat(data.get("until").asText()).isEqualTo(until);
        assertThat(data.get("previous").isNull()).isTrue();
        assertThat(data.get("revision").asLong()).isEqualTo(2);
        assertThat(data.get("author").asText()).isEqualTo("initial admin (token 1)");
        assertThat(data.get("message").asText()).isEqualTo("trial");
        assertThat(data.get("action").asText()).isEqualTo("override.set");
        JsonNode gone = receiver.ofType("override.cleared").get(0).json().get("data");
        assertThat(gone.get("key").asText()).isEqualTo("org_42");
        assertThat(gone.get("value").asInt()).isEqualTo(50);
        assertThat(gone.get("revision").asLong()).isEqualTo(3);
        assertThat(gone.get("action").asText()).isEqualTo("override.clear");
        // Delivery order is not guaranteed: take the event of revision 2 of the two.
        JsonNode published = receiver.ofType("revision.published").stream()
                .map(r -> r.json().get("data"))
                .filter(d -> d.get("revision").asLong() == 2)
                .findFirst()
                .orElseThrow();
        assertThat(receiver.ofType("revision.published")).hasSize(2);
        assertThat(published.get("revision").asLong()).isEqualTo(2);
        assertThat(published.get("previousRevision").asLong()).isEqualTo(1);
        assertThat(published.get("summary").toString())
                .isEqualTo("{\"fields\":[\"entitlements.maxTeamSize\"],\"segments\":[],\"overridesSet\":1,"
                        + "\"overridesCleared\":0}");
    }

    @Test
    void aDeliveryAnswered500_isRetriedAfterItsBackoff_andDeliveredOnce() {
        long id = register("override.set").get("id").asLong();
        receiver.answers.add(500);

        setOverride("org_1", Map.of("value", 7));
        receiver.await(r -> r.size() == 1);
        JsonNode failed = awaitDelivery(id, d -> d.get("attempts").asInt() == 1);
        assertThat(failed.get("status").asText()).isEqualTo("pending");
        assertThat(failed.get("lastStatusCode").asInt()).isEqualTo(500);
        assertThat(failed.get("lastError").asText()).isEqualTo("HTTP 500");
        Instant next = Instant.parse(failed.get("nextAttemptAt").asText());
        assertThat(next)
                .isBetween(clock.instant().plusSeconds(9), clock.instant().plusSeconds(11));
        server.webhooks().poll();
        assertThat(receiver.received).hasSize(1); // not due yet

        clock.advance(Duration.ofSeconds(12));
        List<Received> both = receiver.await(r -> r.size() == 2);
        sleep(300); // a few more polls: nothing else is due
        server.webhooks().poll();

        assertThat(receiver.received).hasSize(2);
        assertThat(both.get(1).id()).isEqualTo(both.get(0).id());
        assertThat(both.get(1).body()).isEqualTo(both.get(0).body());
        assertThat(both).extracting(Received::answered).containsExactly(500, 200);
        JsonNode delivered = awaitDelivery(id, d -> d.get("attempts").asInt() == 2);
        assertThat(delivered.get("status").asText()).isEqualTo("delivered");
        assertThat(delivered.get("attempts").asInt()).isEqualTo(2);
        assertThat(delivered.get("lastAttempts").findValuesAsText("statusCode")).containsExactly("200", "500");
        assertThat(delivered.get("lastAttempts").get(1).get("responseBody").asText())
                .isEqualTo("answered 500");
    }

    @Test
    void aReceiverThatStallsAfterAnswering_isCutAtTheDeadline_andTheDeliveryRetried() {
        long id = register("override.set").get("id").asLong();
        receiver.answers.add(STALL);

        setOverride("org_1", Map.of("value", 7));
        receiver.await(r -> r.size() == 1);
        JsonNode cut = awaitDelivery(id, d -> d.get("attempts").asInt() == 1);
        assertThat(cut.get("status").asText()).isEqualTo("pending");
        assertThat(cut.get("lastError").asText()).isEqualTo("no complete answer within 2 s");
        assertThat(cut.get("lastAttempts").get(0).get("responseBody").asText()).isEqualTo("still writ");
        assertThat(Instant.parse(cut.get("nextAttemptAt").asText()))
                .isBetween(clock.instant().plusSeconds(9), clock.instant().plusSeconds(11));

        clock.advance(Duration.ofSeconds(12));
        List<Received> both = receiver.await(r -> r.size() == 2);
        assertThat(both.get(1).id()).isEqualTo(both.get(0).id());
        JsonNode delivered = awaitDelivery(id, d -> d.get("attempts").asInt() == 2);
        assertThat(delivered.get("status").asText()).isEqualTo("delivered");
    }

    @Test
    void aChangeThatRollsBack_writesNoEvent() {
        long id = endpointId("revision.published", "override.set");
        LogicStore store = server.store();
        long before = revision();

        int[] inside = {-1};
        try {
            store.db().transaction(c -> {
                LogicStore.Environment environment = store.environment(c, name);
                com.fasterxml.jackson.databind.node.ObjectNode logic = store.currentDocument(c, name);
                logic.putObject("fields").putObject("entitlements.maxTeamSize").put("default", 5);
                store.publishIn(
                        c,
                        environment,
                        logic,
                        LogicStore.Change.byServer("test", "rolled back"),
                        "logic.put",
                        "all logic");
                inside[0] = deliveriesIn(c, id);
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("roll back");
        }

        assertThat(inside[0]).as("deliveries inside the transaction").isEqualTo(1);
        assertThat(revision()).isEqualTo(before);
        assertThat(deliveries(id)).isEmpty(); // gone with the transaction
        setOverride("org_1", Map.of("value", 3));
        assertThat(deliveries(id)).hasSize(2); // a committed change writes its events
    }

    private long endpointId(String... events) {
        return register(events).get("id").asLong();
    }

    private static int deliveriesIn(java.sql.Connection c, long endpoint) throws java.sql.SQLException {
        try (java.sql.PreparedStatement s =
                c.prepareStatement("SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ?")) {
            s.setLong(1, endpoint);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Test
    void grantExpiring_isSentOnceWithinTheLead_andGrantExpired_whenItLapses() {
        register("grant.expiring", "grant.expired");
        Instant until = clock.instant().plus(Duration.ofDays(2));
        setOverride("org_trial", Map.of("value", 20, "until", until.toString()));
        setOverride(
                "org_later",
                Map.of(
                        "value",
                        30,
                        "until",
                        clock.instant().plus(Duration.ofDays(10)).toString()));

        server.checkWindows();
        server.checkWindows();
        receiver.await(r -> r.size() == 1);
        clock.set(until);
        server.checkWindows();
        receiver.await(r -> r.size() == 2);

        JsonNode expiring = receiver.ofType("grant.expiring").get(0).json().get("data");
        assertThat(receiver.ofType("grant.expiring")).hasSize(1);
        assertThat(expiring.get("key").asText()).isEqualTo("org_trial");
        assertThat(expiring.get("value").asInt()).isEqualTo(20);
        assertThat(expiring.get("until").asText()).isEqualTo(until.toString());
        JsonNode expired = receiver.ofType("grant.expired").get(0).json().get("data");
        assertThat(expired.get("field").asText()).isEqualTo("entitlements.maxTeamSize");
        assertThat(expired.get("key").asText()).isEqualTo("org_trial");
        assertThat(expired.get("until").asText()).isEqualTo(until.toString());
        clock.set(START);
    }

    @Test
    void usageThresholds_80And100Percent_areSentOncePerPeriod() throws IOException {
        register("usage.threshold_crossed");
        Api.Response table = admin.put(
                env + "/fields/" + API,
                Map.of("overrides", List.of(Map.of("by", "context.organization.id", "values", Map.of("org_1", 100)))),
                "If-Match",
                Api.ifMatch(revision()));
        assertThat(table.status()).as(table.toString()).isEqualTo(200);
        Api sdk = admin.as(admin.post("/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", name))
                .json()
                .get("token")
                .asText());
        String day =
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.DAYS).toString();

        logUsage(sdk, 79, day);
        logUsage(sdk, 6, day); // 85: past 80 %
        logUsage(sdk, 5, day); // 90: nothing new
        logUsage(sdk, 15, day); // 105: past 100 %
        List<Received> got = receiver.await(r -> r.size() == 2);
        sleep(300);
        server.webhooks().poll();

        assertThat(receiver.received).hasSize(2);
        JsonNode first = got.get(0).json().get("data");
        JsonNode second = got.get(1).json().get("data");
        assertThat(List.of(
                        first.get("threshold").asInt(), second.get("threshold").asInt()))
                .containsExactlyInAnyOrder(80, 100);
        JsonNode eighty = first.get("threshold").asInt() == 80 ? first : second;
        assertThat(eighty.toString())
                .isEqualTo("{\"field\":\"" + API + "\",\"arguments\":{\"endpoint\":\"search\"},\"key\":\"org_1\","
                        + "\"period\":\"DAY\",\"periodStart\":\"" + day + "\",\"threshold\":80,\"used\":85,"
                        + "\"limit\":100,\"extra\":0}");
    }

    private static final AtomicInteger BATCHES = new AtomicInteger();

    private void logUsage(Api sdk, long amount, String day) throws IOException {
        String id = name + "-batch-" + BATCHES.incrementAndGet();
        Instant now = clock.instant();
        String batch = "{\"batchId\": \"" + id + "\", \"windowStart\": \"" + now + "\", \"windowEnd\": \"" + now
                + "\", \"evaluations\": [], \"usage\": [{\"field\": \"" + API + "\", \"arguments\": {\"endpoint\":"
                + " \"search\"}, \"key\": \"org_1\", \"period\": \"DAY\", \"periodStart\": \"" + day
                + "\", \"amount\": " + amount + "}]}";
        Api.Response posted = ServerApiContract.postLogs(sdk, batch, id);
        assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
    }

    // ---- test events, redelivery, rotation, disabling ----

    @Test
    void ping_redeliver_andRotate_signWithTheRightSecrets() {
        long id = endpointId("override.set");
        Api.Response ping = admin.post(env + "/webhooks/" + id + "/ping", Map.of());
        assertThat(ping.status()).as(ping.toString()).isEqualTo(202);
        receiver.await(r -> r.size() == 1);
        assertThat(receiver.received.get(0).json().get("type").asText()).isEqualTo("ping");
        assertThat(receiver.received.get(0).id())
                .isEqualTo(ping.json().get("eventId").asText());

        String oldSecret = receiver.secrets.get(0);
        Api.Response rotated = admin.post(env + "/webhooks/" + id + "/rotate-secret", Map.of());
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newSecret = rotated.json().get("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        Api.Response again = admin.post(
                env + "/webhooks/" + id + "/deliveries/"
                        + ping.json().get("delivery").asLong() + "/redeliver",
                Map.of());
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        receiver.await(r -> r.size() == 2);

        Received second = receiver.received.get(1);
        assertThat(second.id()).isEqualTo(receiver.received.get(0).id());
        String[] signatures = second.signatures().split(" ");
        assertThat(signatures).hasSize(2);
        String signed = second.id() + "." + second.timestamp() + "." + second.body();
        assertThat(signatures[0]).isEqualTo("v1=" + HexFormat.of().formatHex(Receiver.hmac(newSecret, signed)));
        assertThat(signatures[1]).isEqualTo("v1=" + HexFormat.of().formatHex(Receiver.hmac(oldSecret, signed)));
        assertThat(second.timestamp()).isEqualTo(clock.instant().getEpochSecond());
    }

    @Test
    void anEndpointFailingForFiveDays_isDisabled_andEnablingItAgainClearsThat() {
        long id = endpointId("override.set");
        for (int i = 0; i < 3; i++) {
            receiver.answers.add(503);
        }
        long delivery = admin.post(env + "/webhooks/" + id + "/ping", Map.of())
                .json()
                .get("delivery")
                .asLong();
        receiver.await(r -> r.size() == 1);
        clock.advance(Duration.ofDays(5).plusMinutes(1));
        try {
            admin.post(env + "/webhooks/" + id + "/deliveries/" + delivery + "/redeliver", Map.of());
            receiver.await(r -> r.size() == 2);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (admin.get(env + "/webhooks/" + id).json().get("enabled").asBoolean()
                    && System.nanoTime() < deadline) {
                sleep(50);
            }

            JsonNode endpoint = admin.get(env + "/webhooks/" + id).json();
            assertThat(endpoint.get("enabled").asBoolean()).isFalse();
            assertThat(endpoint.get("disabledReason").asText())
                    .isEqualTo("disabled by the server: every attempt since " + START + " failed");
            Api.Response enable = admin.send("PATCH", env + "/webhooks/" + id, Map.of("enabled", true), Map.of());
            assertThat(enable.status()).as(enable.toString()).isEqualTo(200);
            assertThat(enable.json().get("enabled").asBoolean()).isTrue();
            assertThat(enable.json().get("disabledReason").isNull()).isTrue();
            assertThat(enable.json().get("failingSince").isNull()).isTrue();
        } finally {
            clock.set(START);
        }
    }
}
