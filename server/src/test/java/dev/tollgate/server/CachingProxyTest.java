package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real nginx with the documented configuration ({@code docs/nginx/tollgate-cache.conf}) in front of a server that
 * signs and whose environment requires signing: 100 SDK clients fetching snapshots through it make one request per
 * revision to the server, counted by the server itself ({@code tollgate_http_requests_total} of the revision route),
 * and the cache answers nobody without a valid token of the environment. Prints the figures.
 */
class CachingProxyTest {
    private static final int CLIENTS = 100;
    private static final int TOKENS = 4;
    private static final String REVISION_ROUTE = "GET /v1/environments/{env}/snapshots/{revision}";
    private static final String OVERRIDE =
            "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_42";

    private static TollgateServer server;
    private static Nginx nginx;
    private static Api admin;
    private static final List<String> tokens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path key = Files.createTempFile("tollgate-signing-", ".pem");
        key.toFile().deleteOnExit();
        byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair()
                .getPrivate()
                .getEncoded();
        Files.writeString(
                key,
                "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(pkcs8)
                        + "\n-----END PRIVATE KEY-----\n");
        server = TollgateServer.start(
                TestServers.config(TestServers.Storage.H2).signingKeyFile(key).build());
        admin = TestServers.admin(server);
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        Api.Response settings = admin.put(
                "/v1/admin/environments/production/settings",
                Map.of("requireSigning", true, "message", "snapshots travel through a cache"));
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        for (int i = 0; i < TOKENS; i++) {
            tokens.add(TestServers.sdkToken(admin, "fleet-" + i));
        }
        nginx = Nginx.start(server.port());
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Requests the server answered on the revision route with {@code status}, from its own metrics. */
    private static long originRequests(int status) {
        return originRequests(REVISION_ROUTE, status);
    }

    /**
     * {@link #originRequests(int)} once the count has settled at {@code atLeast} or more: the server counts a request
     * only after its answer is written, so one scrape may miss a request whose answer nginx has already passed on.
     */
    private static long originRequestsSettled(int status, long atLeast) {
        return Counts.settled(() -> originRequests(status), atLeast);
    }

    private static long originRequests(String route, int status) {
        String metrics = admin.get("/v1/metrics").text();
        Matcher m = Pattern.compile("tollgate_http_requests_total\\{route=\"" + Pattern.quote(route) + "\",status=\""
                        + status + "\"} (\\d+)")
                .matcher(metrics);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long revision() {
        return admin.get("/v1/admin/environments/production")
                .json()
                .get("revision")
                .asLong();
    }

    private static int teamSize(TollgateClient client) {
        return client.root(DynamicInput.context(
                        client.schema(),
                        Map.of("organization", Map.of("id", "org_42", "plan", "PRO"), "user", Map.of("id", "u1"))))
                .intValue("entitlements.maxTeamSize", -1);
    }

    private static void awaitEveryClient(List<TollgateClient> clients, long revision) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (clients.stream().anyMatch(c -> c.revision() < revision) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(clients)
                .as("every client at revision %d; nginx: %s", revision, nginx.logs())
                .allSatisfy(c -> assertThat(c.revision()).isEqualTo(revision));
    }

    @Test
    void hundredClientsBehindTheCache_makeOneRequestPerRevisionToTheServer() throws Exception {
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher()).build();
        Schema schema = Schema.parse(TestServers.SCHEMA, "schema.graphql");
        List<TollgateClient> clients = new ArrayList<>();
        List<Long> fetchesPerRevision = new ArrayList<>();
        long latestRequests = 0;
        try {
            // A revision nobody has fetched yet, whichever test ran first.
            Api.Response fresh = admin.put(OVERRIDE, Map.of("value", 20), "If-Match", Api.ifMatch(revision()));
            assertThat(fresh.status()).as(fresh.toString()).isEqualTo(200);
            long first = fresh.json().get("revision").asLong();
            long before = originRequestsSettled(200, 0);
            long latestBefore = originRequests("GET /v1/snapshot/latest", 200);
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(TollgateClient.builder(schema)
                        .logs(LogOptions.disabled())
                        .server(ServerOptions.builder(server.url(), tokens.get(i % TOKENS))
                                .snapshotBaseUrl(nginx.url())
                                // Every revision fetched whole, through the cache: override edits would come as
                                // stream deltas otherwise, and reach no cache at all.
                                .deltas(false)
                                .okHttpClient(http)
                                .build())
                        .build());
            }
            awaitEveryClient(clients, first);
            long fetched = originRequestsSettled(200, before + 1);
            fetchesPerRevision.add(fetched - before);
            for (int value = 21; value <= 23; value++) {
                Api.Response set = admin.put(OVERRIDE, Map.of("value", value), "If-Match", Api.ifMatch(revision()));
                assertThat(set.status()).as(set.toString()).isEqualTo(200);
                awaitEveryClient(clients, set.json().get("revision").asLong());
                int expected = value;
                assertThat(clients).allSatisfy(c -> assertThat(teamSize(c)).isEqualTo(expected));
                long now = originRequestsSettled(200, fetched + 1);
                fetchesPerRevision.add(now - fetched);
                fetched = now;
            }
            latestRequests = originRequests("GET /v1/snapshot/latest", 200) - latestBefore;
            assertThat(clients).allSatisfy(c -> {
                assertThat(c.status().signatureFailures()).isZero();
                assertThat(c.status().rejectedSnapshots()).isZero();
            });
        } finally {
            clients.forEach(TollgateClient::close);
            http.dispatcher().executorService().shutdown();
        }
        System.out.printf(
                "FIGURE caching proxy: %d SDK clients (%d tokens) behind nginx proxy_cache, %d revisions;"
                        + " revision requests that reached the server, per revision: %s; latest-revision requests"
                        + " (the clients' own and nginx's token checks): %d%n",
                CLIENTS, TOKENS, fetchesPerRevision.size(), fetchesPerRevision, latestRequests);
        assertThat(fetchesPerRevision).containsExactly(1L, 1L, 1L, 1L);
    }

    /** One dispatcher for all clients, with room for every stream and fetch at once (OkHttp allows 5 per host). */
    private static Dispatcher dispatcher() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(4 * CLIENTS);
        dispatcher.setMaxRequestsPerHost(4 * CLIENTS);
        return dispatcher;
    }

    @Test
    void theCache_answersOnlyCallersWithAValidTokenOfTheEnvironment() {
        long current = revision();
        String path = "/v1/environments/production/snapshots/" + current;
        Api cached = new Api(nginx.url(), tokens.get(0));
        Api.Response warm = cached.get(path);
        assertThat(warm.status()).as(warm.toString()).isEqualTo(200);
        long fetched = originRequestsSettled(200, 0);
        String staging = admin.post(
                        "/v1/admin/tokens", Map.of("name", "staging-svc", "kind", "sdk", "environment", "staging"))
                .json()
                .get("token")
                .asText();

        Api.Response hit = cached.get(path);
        Api.Response anonymous = cached.as(null).get(path);
        Api.Response unknown = cached.as("tgs_not-a-token").get(path);
        Api.Response otherEnvironment = cached.as(staging).get(path);
        Api.Response adminToken = cached.as(TestServers.ADMIN_TOKEN).get(path);

        assertThat(hit.status()).isEqualTo(200);
        assertThat(hit.header("X-Cache-Status")).isEqualTo("HIT");
        assertThat(hit.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(hit.header("Tollgate-Signature")).isNotBlank();
        assertThat(hit.header("ETag")).startsWith("\"" + current + "-");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(otherEnvironment.status()).isEqualTo(403);
        assertThat(adminToken.status()).isEqualTo(403);
        assertThat(originRequestsSettled(200, fetched))
                .as("revision requests that reached the server")
                .isEqualTo(fetched);

        long missesBefore = originRequestsSettled(404, 0);
        Api.Response future = cached.get("/v1/environments/production/snapshots/" + (current + 100));
        Api.Response again = cached.get("/v1/environments/production/snapshots/" + (current + 100));
        assertThat(future.status()).isEqualTo(404);
        assertThat(future.json().at("/error/message").asText())
                .isEqualTo("environment \"production\" has no revision " + (current + 100)
                        + " (yet): its current revision is " + current);
        assertThat(again.status()).isEqualTo(404);
        assertThat(originRequestsSettled(404, missesBefore + 2) - missesBefore)
                .as("an unknown revision is not cached")
                .isEqualTo(2);
    }

    @Test
    void serverMd_quotesTheConfigurationThisTestRuns() throws Exception {
        assertThat(Files.readString(Path.of("../docs/server.md")))
                .contains("```nginx\n" + Files.readString(Nginx.CONFIG) + "```");
    }
}
