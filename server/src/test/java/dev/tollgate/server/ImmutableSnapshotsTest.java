package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/environments/{env}/snapshots/{revision}} and {@code GET /v1/snapshot/latest} on a server without a
 * signing key: cache headers, gzip, ETags, past revisions, the errors, and what requiring signing does there.
 */
class ImmutableSnapshotsTest {
    private static final String OVERRIDES =
            "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/";

    private static TollgateServer server;
    private static Api admin;
    private static Api sdk;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Storage.H2);
        admin = TestServers.admin(server);
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        sdk = admin.as(TestServers.sdkToken(admin, "svc"));
        // Forty override rows: a snapshot over the kilobyte from which it is sent gzipped.
        for (int i = 0; i < 40; i++) {
            Api.Response set = admin.put(OVERRIDES + "org_" + i, Map.of("value", i), "If-Match", Api.ifMatch(i + 1));
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String path(long revision) {
        return "/v1/environments/production/snapshots/" + revision;
    }

    @Test
    void latest_namesTheCurrentRevisionAndItsUrl_uncached() {
        Api.Response latest = sdk.get("/v1/snapshot/latest");
        Api.Response current = sdk.get("/v1/snapshot");

        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json().toString())
                .isEqualTo("{\"environment\":\"production\",\"revision\":41,\"path\":\"v1/environments/production"
                        + "/snapshots/41\",\"etag\":" + Api.JSON.valueToTree(current.header("ETag"))
                        + ",\"signatureRequired\":false}");
        assertThat(latest.header("Cache-Control")).isEqualTo("no-store");
        assertThat(latest.header("Vary")).isEqualTo("Authorization");
        assertThat(sdk.get("/v1/snapshot/latest?environment=staging").status()).isEqualTo(403);
    }

    @Test
    void currentRevision_isImmutable_gzipped_andTheSameBytesAsTheSnapshotEndpoint() throws IOException {
        Api.Response current = sdk.get("/v1/snapshot");
        Api.Response byRevision = sdk.get(path(41), "Accept-Encoding", "gzip");

        assertThat(byRevision.status()).isEqualTo(200);
        assertThat(byRevision.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(byRevision.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(byRevision.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(byRevision.header("ETag")).isEqualTo(current.header("ETag"));
        assertThat(byRevision.header("Tollgate-Revision")).isEqualTo("41");
        assertThat(byRevision.header("Tollgate-Signature")).isNull();
        try (GZIPInputStream in =
                new GZIPInputStream(new ByteArrayInputStream(byRevision.raw().body()))) {
            assertThat(in.readAllBytes()).isEqualTo(current.raw().body());
        }
        Api.Response notModified = sdk.get(path(41), "If-None-Match", current.header("ETag"));
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    }

    @Test
    void pastRevision_isServedFromTheDatabase() {
        Api.Response past = sdk.get(path(2));

        assertThat(past.status()).isEqualTo(200);
        assertThat(past.json().get("revision").asLong()).isEqualTo(2);
        assertThat(past.header("ETag")).startsWith("\"2-");
        assertThat(past.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    }

    @Test
    void badRequests_areRefused_withClearMessages_andNeverCached() {
        Api.Response future = sdk.get(path(99));
        Api.Response word = sdk.get("/v1/environments/production/snapshots/latest");
        Api.Response zero = sdk.get(path(0));
        Api.Response staging = sdk.get("/v1/environments/staging/snapshots/1");
        Api.Response anonymous = sdk.as(null).get(path(41));

        assertThat(future.status()).isEqualTo(404);
        assertThat(future.json().at("/error/message").asText())
                .isEqualTo("environment \"production\" has no revision 99 (yet): its current revision is 41");
        assertThat(future.header("Cache-Control")).isEqualTo("no-store");
        assertThat(word.status()).isEqualTo(400);
        assertThat(word.json().at("/error/message").asText())
                .isEqualTo("the revision in /v1/environments/production/snapshots/latest must be a positive integer,"
                        + " was \"latest\"");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(staging.status()).isEqualTo(403);
        assertThat(staging.json().at("/error/message").asText())
                .isEqualTo("this SDK token reads environment \"production\", not \"staging\"");
        assertThat(staging.header("Cache-Control")).isEqualTo("no-store");
        assertThat(anonymous.status()).isEqualTo(401);
    }

    @Test
    void requiringSigning_withoutASigningKey_isRefused_andSettingsSaySo() {
        Api.Response refused =
                admin.put("/v1/admin/environments/staging/settings", Map.of("requireSigning", true, "message", "CDN"));
        Api.Response settings = admin.get("/v1/admin/environments/staging/settings");
        Api.Response neither = admin.put("/v1/admin/environments/staging/settings", Map.of("message", "x"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("no_signing_key");
        assertThat(refused.json().at("/error/message").asText())
                .isEqualTo("environment \"staging\" cannot require signed snapshots: this server has no signing key;"
                        + " start every instance with TOLLGATE_SIGNING_KEY_FILE first");
        assertThat(settings.json().toString())
                .isEqualTo("{\"environment\":\"staging\",\"requireApproval\":false,\"requireSigning\":false,"
                        + "\"signingKey\":false}");
        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.json().at("/error/message").asText())
                .isEqualTo("settings are {\"requireApproval\": true or false, \"requireSigning\": true or false,"
                        + " \"message\": \"...\"} with one or both settings");
    }

    /** An instance started without the key, on the database of one that had it: nothing is served unsigned. */
    @Test
    void environmentRequiringSigning_onAnInstanceWithoutTheKey_isServedNothing_with503() throws Exception {
        java.nio.file.Path key = java.nio.file.Files.createTempFile("tollgate-signing-", ".pem");
        key.toFile().deleteOnExit();
        java.nio.file.Files.writeString(
                key,
                java.util.Base64.getEncoder()
                        .encodeToString(java.security.KeyPairGenerator.getInstance("Ed25519")
                                .generateKeyPair()
                                .getPrivate()
                                .getEncoded()));
        ServerConfig signing =
                TestServers.config(TestServers.Storage.H2).signingKeyFile(key).build();
        String token;
        try (TollgateServer signed = TollgateServer.start(signing)) {
            Api signedAdmin = TestServers.admin(signed);
            signedAdmin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
            assertThat(signedAdmin
                            .put("/v1/admin/environments/production/settings", Map.of("requireSigning", true))
                            .json()
                            .get("requireSigning")
                            .asBoolean())
                    .isTrue();
            token = TestServers.sdkToken(signedAdmin, "svc");
            Api.Response latest = signedAdmin.as(token).get("/v1/snapshot/latest");
            assertThat(latest.json().get("signatureRequired").asBoolean()).isTrue();
            assertThat(java.util.Base64.getDecoder()
                            .decode(latest.json().get("publicKey").asText()))
                    .hasSize(32);
        }
        try (TollgateServer unsigned =
                TollgateServer.start(signing.toBuilder().signingKeyFile(null).build())) {
            Api unsignedSdk = new Api(unsigned.url(), token);
            for (String endpoint : java.util.List.of("/v1/snapshot", "/v1/snapshot/latest", path(1))) {
                Api.Response refused = unsignedSdk.get(endpoint);

                assertThat(refused.status()).as(endpoint).isEqualTo(503);
                assertThat(refused.json().at("/error/message").asText())
                        .isEqualTo("environment \"production\" requires signed snapshots, but this server has no"
                                + " signing key; set TOLLGATE_SIGNING_KEY_FILE");
                assertThat(refused.header("Cache-Control")).as(endpoint).isIn("no-store", "no-cache");
            }
        }
    }
}
