package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The revision stream and snapshot endpoint as {@code docs/protocol.md} describes them, from an empty server on. */
class StreamTest {

    @Test
    void beforeAnySnapshot_streamIsOpenWithoutEvent_snapshotIs404_thenTheFirstRevisionIsAnnounced() throws Exception {
        try (TollgateServer server = TollgateServer.start(TestServers.config(TestServers.Storage.H2)
                .streamHeartbeat(Duration.ofSeconds(1))
                .build())) {
            Api admin = TestServers.admin(server);
            String token = admin.post(
                            "/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "production"))
                    .json()
                    .get("token")
                    .asText();
            Api sdk = new Api(server.url(), token);

            Api.Response missing = sdk.get("/v1/snapshot");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.json().at("/error/code").asText()).isEqualTo("no_logic");
            try (SseClient stream = new SseClient(server.url(), token)) {
                assertThat(stream.status).isEqualTo(200);
                assertThat(stream.awaitRevision(1, 300))
                        .as("no event before a revision exists")
                        .isNull();
                assertThat(stream.awaitComment(1_000)).isEqualTo(": no revision yet");
                assertThat(stream.awaitComment(3_000)).isEqualTo(": keep-alive");

                admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");

                assertThat(stream.awaitRevision(1, 1_000)).isNotNull();
            }
            assertThat(sdk.get("/v1/snapshot").status()).isEqualTo(200);
        }
    }

    @Test
    void environmentParameter_mustBeTheTokensEnvironment() {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api admin = TestServers.admin(server);
            admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
            Api sdk = admin.as(
                    admin.post("/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "staging"))
                            .json()
                            .get("token")
                            .asText());

            Api.Response own = sdk.get("/v1/snapshot?environment=staging");
            Api.Response other = sdk.get("/v1/snapshot?environment=production");
            Api.Response otherStream = sdk.get("/v1/stream?environment=production");

            assertThat(own.status()).isEqualTo(200);
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.json().at("/error/message").asText())
                    .isEqualTo("this SDK token reads environment \"staging\", not \"production\"");
            assertThat(otherStream.status()).isEqualTo(403);
        }
    }

    @Test
    void streamsBeyondTheMaximum_get503WithRetryAfter() throws Exception {
        try (TollgateServer server = TollgateServer.start(
                TestServers.config(TestServers.Storage.H2).maxStreams(1).build())) {
            Api admin = TestServers.admin(server);
            String token = admin.post(
                            "/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "production"))
                    .json()
                    .get("token")
                    .asText();
            try (SseClient first = new SseClient(server.url(), token)) {
                assertThat(first.status).isEqualTo(200);

                Api.Response second = new Api(server.url(), token).get("/v1/stream");

                assertThat(second.status()).isEqualTo(503);
                assertThat(second.header("Retry-After")).isEqualTo("30");
                assertThat(second.json().at("/error/code").asText()).isEqualTo("too_many_streams");
            }
        }
    }

    @Test
    void revokingAToken_closesItsOpenStreams_andReconnectingGets401() throws Exception {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api admin = TestServers.admin(server);
            JsonNode created = admin.post(
                            "/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "production"))
                    .json();
            String token = created.get("token").asText();
            String other = admin.post(
                            "/v1/admin/tokens", Map.of("name", "other", "kind", "sdk", "environment", "production"))
                    .json()
                    .get("token")
                    .asText();
            try (SseClient stream = new SseClient(server.url(), token);
                    SseClient bystander = new SseClient(server.url(), other)) {
                assertThat(stream.awaitComment(2_000)).isEqualTo(": no revision yet");

                Api.Response revoked =
                        admin.delete("/v1/admin/tokens/" + created.get("id").asLong());

                assertThat(revoked.status()).isEqualTo(200);
                assertThat(stream.awaitEnd(2_000))
                        .as("the revoked token's stream ends")
                        .isTrue();
                assertThat(stream.comments()).containsExactly(": token revoked");
                assertThat(bystander.awaitEnd(500))
                        .as("another token's stream stays")
                        .isFalse();
                assertThat(new Api(server.url(), token).get("/v1/stream").status())
                        .isEqualTo(401);
            }
        }
    }

    @Test
    void anExpiredToken_hasItsStreamClosedAtTheNextCheck() throws Exception {
        try (TollgateServer server = TollgateServer.start(TestServers.config(TestServers.Storage.H2)
                .tokenCacheTtl(Duration.ofSeconds(1))
                .build())) {
            Api admin = TestServers.admin(server);
            String expiring = admin.post(
                            "/v1/admin/tokens",
                            Map.of(
                                    "name", "ci",
                                    "kind", "sdk",
                                    "environment", "production",
                                    "expiresAt", Instant.now().plusSeconds(2).toString()))
                    .json()
                    .get("token")
                    .asText();
            try (SseClient stream = new SseClient(server.url(), expiring)) {
                assertThat(stream.status).isEqualTo(200);
                assertThat(stream.awaitEnd(1_000))
                        .as("open while the token is valid")
                        .isFalse();

                assertThat(stream.awaitEnd(4_000))
                        .as("closed within a check after expiry")
                        .isTrue();
                assertThat(stream.comments()).contains(": token expired");
            }
        }
    }
}
