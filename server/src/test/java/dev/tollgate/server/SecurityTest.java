package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token storage, guessing protection and snapshot signatures. */
class SecurityTest {
    @TempDir
    Path dir;

    @Test
    void repeatedBadTokens_fromOneAddress_get429WithRetryAfter_whileGoodTokensFromThatAddressStillPass() {
        try (TollgateServer server = TollgateServer.start(TestServers.config(TestServers.Storage.H2)
                .authFailuresPerMinute(3)
                .build())) {
            Api admin = TestServers.admin(server);
            Api guesser = admin.as("tga_guess");
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(guesser.get("/v1/admin/me").status());
            }

            Api.Response blocked = guesser.get("/v1/admin/me");
            Api.Response noToken = new Api(server.url(), null).get("/v1/admin/me");

            assertThat(statuses).containsExactly(401, 401, 401, 429, 429);
            assertThat(admin.get("/v1/admin/me").status())
                    .as("a valid token from the same address (a load balancer's, a NAT's)")
                    .isEqualTo(200);
            assertThat(noToken.status())
                    .as("no token at all, from the blocked address")
                    .isEqualTo(429);
            assertThat(blocked.status()).isEqualTo(429);
            assertThat(Integer.parseInt(blocked.header("Retry-After"))).isBetween(1, 60);
            assertThat(blocked.json().at("/error/code").asText()).isEqualTo("too_many_failures");
        }
    }

    @Test
    void anSdkTokenOverItsRequestsPerMinute_from1Address_gets429_whileOtherTokensGoOn() {
        try (TollgateServer server = TollgateServer.start(TestServers.config(TestServers.Storage.H2)
                .sdkRequestsPerMinute(3)
                .build())) {
            Api admin = TestServers.admin(server);
            admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
            Api busy = admin.as(sdkToken(admin, "busy"));
            Api calm = admin.as(sdkToken(admin, "calm"));
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(busy.get("/v1/snapshot").status());
            }

            Api.Response limited = busy.get("/v1/snapshot");

            assertThat(statuses).containsExactly(200, 200, 200, 429);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
            assertThat(limited.json().at("/error/code").asText()).isEqualTo("too_many_requests");
            assertThat(limited.json().at("/error/message").asText())
                    .startsWith("this SDK token has made too many requests from this address in the last minute");
            assertThat(calm.get("/v1/snapshot").status()).as("another token").isEqualTo(200);
            assertThat(admin.get("/v1/admin/me").status()).as("the admin API").isEqualTo(200);
        }
    }

    /**
     * Regression: log batches used to count against the same allowance as snapshot fetches, so a service flushing its
     * logs after every request got 429 on the fetch that follows a change, and saw the change only a minute later.
     */
    @Test
    void logBatchesOverTheirAllowance_get429_whileSnapshotFetchesFromTheSameTokenAndAddressGoOn() {
        try (TollgateServer server = TollgateServer.start(TestServers.config(TestServers.Storage.H2)
                .sdkRequestsPerMinute(3)
                .build())) {
            Api admin = TestServers.admin(server);
            admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
            Api sdk = admin.as(sdkToken(admin, "busy"));
            List<Integer> logStatuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                logStatuses.add(sdk.post("/v1/logs", logBatch("b" + i)).status());
            }

            Api.Response limited = sdk.post("/v1/logs", logBatch("b4"));
            List<Integer> snapshotStatuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                snapshotStatuses.add(sdk.get("/v1/snapshot").status());
            }

            assertThat(snapshotStatuses)
                    .as("snapshot fetches after the log batches")
                    .containsExactly(200, 200, 200);
            assertThat(logStatuses).containsExactly(202, 202, 202, 429);
            assertThat(limited.json().at("/error/message").asText())
                    .matches("this SDK token has made too many requests from this address in the last minute"
                            + " to POST /v1/logs; retry in \\d+ s");
            assertThat(sdk.get("/v1/snapshot").json().at("/error/message").asText())
                    .matches("this SDK token has made too many requests from this address in the last minute"
                            + " to GET /v1/snapshot; retry in \\d+ s");
        }
    }

    /** A log batch as JSON bytes, which the test client sends as {@code application/json}. */
    private static byte[] logBatch(String id) {
        return ("{\"batchId\": \"" + id + "\", \"windowStart\": \"2026-01-02T10:15:00Z\","
                        + " \"windowEnd\": \"2026-01-02T10:15:05Z\", \"evaluations\": []}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String sdkToken(Api admin, String name) {
        return admin.post("/v1/admin/tokens", Map.of("name", name, "kind", "sdk", "environment", "production"))
                .json()
                .get("token")
                .asText();
    }

    @Test
    void tokens_areStoredOnlyAsSha256() throws Exception {
        ServerConfig config =
                TestServers.config(TestServers.Storage.H2).dataDir(dir).build();
        String sdkToken;
        try (TollgateServer server = TollgateServer.start(config)) {
            sdkToken = TestServers.admin(server)
                    .post("/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "production"))
                    .json()
                    .get("token")
                    .asText();
        }
        String url = "jdbc:h2:file:" + dir.resolve("tollgate") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        List<String> stored = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT token_hash, hint FROM tokens ORDER BY id")) {
            while (r.next()) {
                stored.add(r.getString(1) + " " + r.getString(2));
            }
        }
        assertThat(stored).hasSize(2);
        assertThat(String.join("\n", stored))
                .doesNotContain(TestServers.ADMIN_TOKEN)
                .doesNotContain(sdkToken);
        assertThat(stored.get(1)).startsWith(Tokens.hash(sdkToken) + " " + sdkToken.substring(0, 12));
    }

    @Test
    void restart_keepsData_andDoesNotPrintANewAdminToken() {
        ServerConfig config =
                TestServers.config(TestServers.Storage.H2).dataDir(dir).build();
        try (TollgateServer server = TollgateServer.start(config)) {
            assertThat(server.initialAdminToken()).contains(TestServers.ADMIN_TOKEN);
            TestServers.admin(server).put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
        }
        try (TollgateServer server = TollgateServer.start(config)) {
            assertThat(server.initialAdminToken()).isEmpty();
            assertThat(TestServers.admin(server)
                            .get("/v1/admin/schema")
                            .json()
                            .get("version")
                            .asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    void theLastValidAdminToken_cannotBeRevoked_butAnotherCanBe() {
        try (TollgateServer server = TestServers.start(TestServers.Storage.H2)) {
            Api admin = TestServers.admin(server);
            long initial = admin.get("/v1/admin/me").json().get("tokenId").asLong();
            String viewer = admin.post("/v1/admin/tokens", Map.of("name", "dash", "kind", "admin", "role", "viewer"))
                    .json()
                    .get("token")
                    .asText();

            Api.Response refused = admin.delete("/v1/admin/tokens/" + initial);

            assertThat(refused.status()).as("a viewer token does not count").isEqualTo(409);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("last_admin_token");
            assertThat(refused.json().at("/error/message").asText())
                    .isEqualTo("token " + initial + " is the last valid token with the admin role; create another"
                            + " admin token before revoking this one");
            JsonNode second = admin.post("/v1/admin/tokens", Map.of("name", "ops", "kind", "admin", "role", "admin"))
                    .json();
            assertThat(admin.as(second.get("token").asText())
                            .delete("/v1/admin/tokens/" + initial)
                            .status())
                    .isEqualTo(200);
            assertThat(admin.get("/v1/admin/me").status()).isEqualTo(401);
            assertThat(admin.as(viewer).get("/v1/admin/me").status()).isEqualTo(200);
        }
    }

    /** The way back in: when every admin token has expired, the next start creates one, as on the first start. */
    @Test
    void restart_withNoValidAdminTokenLeft_printsANewOne() throws Exception {
        ServerConfig config =
                TestServers.config(TestServers.Storage.H2).dataDir(dir).build();
        try (TollgateServer server = TollgateServer.start(config)) {
            Api admin = TestServers.admin(server);
            long initial = admin.get("/v1/admin/me").json().get("tokenId").asLong();
            String expiring = admin.post(
                            "/v1/admin/tokens",
                            Map.of(
                                    "name", "temporary",
                                    "kind", "admin",
                                    "role", "admin",
                                    "expiresAt",
                                            java.time.Instant.now()
                                                    .plusSeconds(2)
                                                    .toString()))
                    .json()
                    .get("token")
                    .asText();
            assertThat(admin.as(expiring).delete("/v1/admin/tokens/" + initial).status())
                    .isEqualTo(200);
        }
        Thread.sleep(2_100);
        try (TollgateServer server = TollgateServer.start(config)) {
            String fresh = server.initialAdminToken().orElseThrow();

            assertThat(fresh)
                    .as("the configured initial token was revoked, so a new one is made")
                    .isNotEqualTo(TestServers.ADMIN_TOKEN)
                    .startsWith("tga_");
            assertThat(new Api(server.url(), fresh)
                            .get("/v1/admin/me")
                            .json()
                            .get("role")
                            .asText())
                    .isEqualTo("admin");
        }
    }

    @Test
    void aStartThatFails_leavesNoThreadBehind() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerConfig config = TestServers.config(TestServers.Storage.H2)
                    .port(taken.getLocalPort())
                    .build();
            long before = serverThreads();

            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> TollgateServer.start(config))
                        .hasMessage("cannot start the Tollgate server on 127.0.0.1:" + taken.getLocalPort());
            }

            for (int i = 0; i < 50 && serverThreads() > before; i++) {
                Thread.sleep(20);
            }
            assertThat(serverThreads()).as("threads named tollgate-*").isLessThanOrEqualTo(before);
        }
    }

    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("tollgate-"))
                .count();
    }

    @Test
    void snapshots_areSignedWithTheConfiguredEd25519Key_overTheExactBodyBytes() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path keyFile = dir.resolve("signing.pem");
        Files.writeString(
                keyFile,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(keys.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n",
                StandardCharsets.US_ASCII);
        try (TollgateServer server = TollgateServer.start(TestServers.config(TestServers.Storage.H2)
                .signingKeyFile(keyFile)
                .build())) {
            Api admin = TestServers.admin(server);
            admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
            String sdkToken = admin.post(
                            "/v1/admin/tokens", Map.of("name", "svc", "kind", "sdk", "environment", "production"))
                    .json()
                    .get("token")
                    .asText();

            Api.Response snapshot = new Api(server.url(), sdkToken).get("/v1/snapshot");

            String header = snapshot.header("Tollgate-Signature");
            assertThat(header).isNotNull();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(keys.getPublic());
            verifier.update(snapshot.raw().body());
            assertThat(verifier.verify(Base64.getDecoder().decode(header))).isTrue();
        }
    }
}
