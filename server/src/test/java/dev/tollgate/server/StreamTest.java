package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
}
