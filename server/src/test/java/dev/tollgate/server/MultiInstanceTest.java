package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server instances on one PostgreSQL: a change written through one is pushed to the stream clients of the other
 * (LISTEN/NOTIFY) and served by its snapshot endpoint; metered usage counted through one is announced on the other's
 * streams (it polls the meter versions) and served by its usage endpoint.
 */
class MultiInstanceTest {
    private static TollgateServer first;
    private static TollgateServer second;

    @BeforeAll
    static void start() {
        ServerConfig config = TestServers.config(TestServers.Storage.POSTGRES)
                .pollInterval(Duration.ofMinutes(10))
                .tokenCacheTtl(Duration.ofSeconds(1))
                .build();
        first = TollgateServer.start(config);
        second = TollgateServer.start(config);
        Api.Response schema = TestServers.admin(first).put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
        assertThat(schema.status()).as(schema.toString()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    @Test
    void changeThroughOneInstance_isStreamedAndServedByTheOther_withinASecond() throws Exception {
        Api admin = TestServers.admin(first);
        String sdkToken = TestServers.sdkToken(admin, "svc");
        long current = admin.get("/v1/admin/environments/production")
                .json()
                .get("revision")
                .asLong();
        Api sdkOnSecond = new Api(second.url(), sdkToken);
        assertThat(sdkOnSecond.get("/v1/snapshot").header("ETag")).startsWith("\"" + current + "-");

        try (SseClient stream = new SseClient(second.url(), sdkToken)) {
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.awaitRevision(current, 2_000))
                    .as("the current revision on connect")
                    .isNotNull();
            long written = System.nanoTime();
            Api.Response set = admin.put(
                    "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_42",
                    Map.of("value", 50),
                    "If-Match",
                    Api.ifMatch(current));
            assertThat(set.status()).as(set.toString()).isEqualTo(200);

            SseClient.Event event = stream.awaitRevision(current + 1, 1_000);

            assertThat(event)
                    .as("revision event on the second instance within a second")
                    .isNotNull();
            assertThat(Duration.ofNanos(event.receivedNanos() - written)).isLessThan(Duration.ofSeconds(1));
        }
        Api.Response snapshot = sdkOnSecond.get("/v1/snapshot");
        assertThat(snapshot.header("ETag")).startsWith("\"" + (current + 1) + "-");
        assertThat(snapshot.json()
                        .at("/fields/entitlements.maxTeamSize/overrides/0/values/org_42")
                        .asInt())
                .isEqualTo(50);
        assertThat(TestServers.admin(second)
                        .get("/v1/admin/environments/production/logic")
                        .text())
                .isEqualTo(snapshot.text());
    }

    @Test
    void usageCountedThroughOneInstance_isAnnouncedAndServedByTheOther_withinThreeSeconds() throws Exception {
        Api admin = TestServers.admin(first);
        String sdkToken = TestServers.sdkToken(admin, "metered");
        String day = java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .toString();
        String batch = "{\"batchId\": \"multi-instance-usage\", \"windowStart\": \"" + day + "\", \"usage\": ["
                + "{\"field\": \"entitlements.maxApiRequestsPerDay\", \"arguments\": {\"endpoint\": \"search\"},"
                + " \"key\": \"org_1\", \"period\": \"DAY\", \"periodStart\": \"" + day + "\", \"amount\": 5}]}";
        long version;
        try (SseClient stream = new SseClient(second.url(), sdkToken)) {
            assertThat(stream.status).isEqualTo(200);
            Api.Response posted =
                    ServerApiContract.postLogs(new Api(first.url(), sdkToken), batch, "multi-instance-usage");
            assertThat(posted.status()).as(posted.toString()).isEqualTo(202);
            version = posted.json().at("/usage/0/version").asLong();

            SseClient.UsageEvent event = stream.awaitUsage(version, 3_000);

            assertThat(event).as("usage event on the second instance").isNotNull();
            assertThat(event.version()).isEqualTo(version);
        }
        com.fasterxml.jackson.databind.JsonNode served = new Api(second.url(), sdkToken)
                .get("/v1/usage?since=" + (version - 1))
                .json();
        assertThat(served.get("version").asLong()).isEqualTo(version);
        assertThat(served.at("/usage/0/key").asText()).isEqualTo("org_1");
        assertThat(served.at("/usage/0/used").asLong()).isEqualTo(5);
    }

    @Test
    void figure_writeOnOneInstance_toEventOnTheOther() throws Exception {
        Api admin = TestServers.admin(first);
        String sdkToken = admin.post(
                        "/v1/admin/tokens", Map.of("name", "figure", "kind", "sdk", "environment", "staging"))
                .json()
                .get("token")
                .asText();
        long revision = admin.get("/v1/admin/environments/staging")
                .json()
                .get("revision")
                .asLong();
        List<Long> micros = new ArrayList<>();
        try (SseClient stream = new SseClient(second.url(), sdkToken)) {
            assertThat(stream.awaitRevision(revision, 2_000)).isNotNull();
            for (int i = 0; i < 100; i++) {
                long start = System.nanoTime();
                Api.Response set = admin.put(
                        "/v1/admin/environments/staging/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_1",
                        Map.of("value", i),
                        "If-Match",
                        Api.ifMatch(revision));
                assertThat(set.status()).as(set.toString()).isEqualTo(200);
                revision++;
                SseClient.Event event = stream.awaitRevision(revision, 1_000);
                assertThat(event).as("event for revision " + revision).isNotNull();
                micros.add((event.receivedNanos() - start) / 1_000);
            }
        }
        Collections.sort(micros);
        System.out.printf(
                "FIGURE admin write on instance 1 -> stream event on instance 2 (PostgreSQL NOTIFY, loopback, %d writes):"
                        + " median %.2f ms, p99 %.2f ms%n",
                micros.size(), micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() * 99 / 100) / 1000.0);
    }

    @Test
    void tokenRevokedThroughOneInstance_hasItsStreamOnTheOtherClosed_withinTheTokenCheckInterval() throws Exception {
        Api admin = TestServers.admin(first);
        com.fasterxml.jackson.databind.JsonNode created = admin.post(
                        "/v1/admin/tokens", Map.of("name", "revoked", "kind", "sdk", "environment", "production"))
                .json();
        String token = created.get("token").asText();
        try (SseClient stream = new SseClient(second.url(), token)) {
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.awaitEnd(1_500))
                    .as("open while the token is valid")
                    .isFalse();

            assertThat(admin.delete("/v1/admin/tokens/" + created.get("id").asLong())
                            .status())
                    .isEqualTo(200);

            assertThat(stream.awaitEnd(3_000))
                    .as("closed by the second instance's next token check (every second here)")
                    .isTrue();
            assertThat(stream.comments()).contains(": token revoked");
        }
        assertThat(new Api(second.url(), token).get("/v1/snapshot").status()).isEqualTo(401);
    }
}
