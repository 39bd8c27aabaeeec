package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.await;
import static dev.tollgate.delivery.Fixtures.maxTeamSize;
import static dev.tollgate.delivery.Fixtures.snapshotBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.ClientStatus;
import dev.tollgate.ServerOptions;
import dev.tollgate.SourceError;
import dev.tollgate.TollgateClient;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots fetched by revision through a cache ({@link ServerOptions#snapshotBaseUrl()}): the server answers {@code GET
 * /v1/snapshot/latest}, the cache the revision URLs; an environment that requires signing has unsigned and badly signed
 * snapshots from the cache refused, keeping the last good one.
 */
class CachedSnapshotsTest {
    private static final String TOKEN = "tg_live_5ecret";

    private final MockWebServer origin = new MockWebServer();
    private final MockWebServer cache = new MockWebServer();
    private final KeyPair serverKeys = Fixtures.signingKeys();
    private final List<RecordedRequest> originRequests = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> cacheRequests = new CopyOnWriteArrayList<>();
    /** What the cache answers per revision; absent: 404. */
    private final Map<Long, MockResponse> cached = new ConcurrentHashMap<>();

    private volatile long latest = 1;
    private volatile boolean signatureRequired;
    private TollgateClient client;

    @BeforeEach
    void start() throws IOException {
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                originRequests.add(request);
                if (!"/v1/snapshot/latest".equals(request.getRequestUrl().encodedPath())) {
                    return new MockResponse().setResponseCode(404);
                }
                String key = Base64.getEncoder()
                        .encodeToString(serverKeys.getPublic().getEncoded());
                return new MockResponse()
                        .setHeader("Content-Type", "application/json")
                        .setBody("{\"environment\": \"production\", \"revision\": " + latest
                                + ", \"path\": \"v1/environments/production/snapshots/" + latest
                                + "\", \"signatureRequired\": " + signatureRequired + ", \"publicKey\": \"" + key
                                + "\"}");
            }
        });
        cache.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                cacheRequests.add(request);
                String path = request.getRequestUrl().encodedPath();
                String prefix = "/cdn/v1/environments/production/snapshots/";
                MockResponse answer =
                        path.startsWith(prefix) ? cached.get(Long.parseLong(path.substring(prefix.length()))) : null;
                return answer != null ? answer : new MockResponse().setResponseCode(404);
            }
        });
        origin.start();
        cache.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        origin.shutdown();
        cache.shutdown();
    }

    private TollgateClient startClient() {
        client = TollgateClient.builder(SCHEMA)
                .server(ServerOptions.builder(origin.url("/").toString(), TOKEN)
                        .snapshotBaseUrl(cache.url("/cdn/").toString())
                        .streaming(false)
                        .pollInterval(Duration.ofMillis(50))
                        .pollJitter(0)
                        .initialBackoff(Duration.ofMillis(20))
                        .maxBackoff(Duration.ofMillis(100))
                        .build())
                .build();
        return client;
    }

    private MockResponse signed(long revision, String signature) {
        MockResponse response = new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setHeader("Cache-Control", "public, max-age=31536000, immutable")
                .setBody(new Buffer().write(snapshotBytes(revision)));
        return signature == null ? response : response.setHeader("Tollgate-Signature", signature);
    }

    private MockResponse signedByTheServer(long revision) {
        return signed(revision, Fixtures.sign(serverKeys.getPrivate(), snapshotBytes(revision)));
    }

    private List<String> cachePaths() {
        return cacheRequests.stream().map(RecordedRequest::getPath).toList();
    }

    @Test
    void latestRevision_isFetchedFromTheCacheByRevision_once_withTheTokenInTheHeaderOnly() {
        cached.put(1L, signed(1, null));
        cached.put(2L, signed(2, null));
        startClient();

        await("revision 1", () -> client.status().revision() == 1);
        await("a poll confirming revision 1", () -> originRequests.size() >= 3);
        latest = 2;
        await("revision 2", () -> client.status().revision() == 2);

        assertThat(maxTeamSize(client)).isEqualTo(2);
        assertThat(cachePaths())
                .containsExactly(
                        "/cdn/v1/environments/production/snapshots/1", "/cdn/v1/environments/production/snapshots/2");
        RecordedRequest fromCache = cacheRequests.get(0);
        assertThat(fromCache.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(fromCache.getHeader("Tollgate-Schema-Hash")).isEqualTo(SCHEMA.hash());
        assertThat(originRequests.get(0).getPath()).isEqualTo("/v1/snapshot/latest");
        assertThat(originRequests).allMatch(r -> r.getPath().equals("/v1/snapshot/latest"));
        assertThat(client.status().state()).isEqualTo(ClientStatus.State.VALID);
        assertThat(client.status().lastError()).isEmpty();
    }

    @Test
    void requiredSignature_unsignedSnapshotFromTheCache_isRefused_keepingTheLastGoodOne() {
        signatureRequired = true;
        cached.put(1L, signedByTheServer(1));
        cached.put(2L, signed(2, null));
        startClient();
        await("revision 1", () -> client.status().revision() == 1);

        latest = 2;
        await("a refused revision 2", () -> client.status().signatureFailures() >= 1);

        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.BAD_SIGNATURE);
        assertThat(error.message())
                .isEqualTo("revision 2 of environment production from GET " + cache.url("/cdn/")
                        + "v1/environments/production/snapshots/2 has no Tollgate-Signature header, and the"
                        + " environment requires signed snapshots; refused, keeping revision 1");
        assertThat(client.status().revision()).isEqualTo(1);
        assertThat(maxTeamSize(client)).isEqualTo(1);

        cached.put(2L, signedByTheServer(2));
        await("revision 2, signed", () -> client.status().revision() == 2);
        assertThat(maxTeamSize(client)).isEqualTo(2);
    }

    @Test
    void requiredSignature_snapshotSignedWithAnotherKey_isRefused() {
        signatureRequired = true;
        cached.put(1L, signed(1, Fixtures.sign(Fixtures.signingKeys().getPrivate(), snapshotBytes(1))));
        startClient();

        await("a refused revision 1", () -> client.status().signatureFailures() >= 1);

        SourceError error = client.status().lastError().orElseThrow();
        assertThat(error.kind()).isEqualTo(SourceError.Kind.BAD_SIGNATURE);
        assertThat(error.message())
                .startsWith("revision 1 of environment production from GET " + cache.url("/cdn/"))
                .endsWith(" is badly signed: signature does not match the snapshot: it was signed with another key or"
                        + " the bytes changed; refused, keeping the fallbacks");
        assertThat(client.revision()).isZero();
        assertThat(maxTeamSize(client)).isEqualTo(-1);
    }

    @Test
    void signatureNotRequired_unsignedSnapshotFromTheCache_isInstalled() {
        cached.put(1L, signed(1, null));
        startClient();

        await("revision 1", () -> client.status().revision() == 1);

        assertThat(client.status().signatureFailures()).isZero();
    }

    @Test
    void cacheRefusingTheToken_isRetried_notAStop() {
        cached.put(1L, new MockResponse().setResponseCode(403).setBody("{\"error\": {\"message\": \"denied\"}}"));
        startClient();
        await("the cache's 403", () -> cacheRequests.size() >= 1);
        await("its error", () -> client.status().lastError().isPresent());

        assertThat(client.status().lastError().orElseThrow().message())
                .isEqualTo("GET " + cache.url("/cdn/") + "v1/environments/production/snapshots/1 answered 403"
                        + " Client Error: denied");
        cached.put(1L, signed(1, null));
        await("revision 1 once the cache lets it through", () -> client.status().revision() == 1);
    }

    @Test
    void malformedLatestAnswer_isAFailedAttempt_namingWhatIsMissing() {
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setBody("{\"revision\": 3}");
            }
        });
        startClient();
        await("the error", () -> client.status().lastError().isPresent());

        assertThat(client.status().lastError().orElseThrow().message())
                .isEqualTo("GET " + origin.url("/v1/snapshot/latest")
                        + " answered 200 but the answer has no \"environment\" name");
        assertThat(cacheRequests).isEmpty();
    }

    @Test
    void snapshotBaseUrl_isValidated_andKept() {
        ServerOptions options = ServerOptions.builder("https://flags.example.com", TOKEN)
                .snapshotBaseUrl("https://cdn.example.com/tollgate/")
                .build();

        assertThat(options.snapshotBaseUrl()).isEqualTo("https://cdn.example.com/tollgate");
        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(options.toString()).contains("snapshots from https://cdn.example.com/tollgate");
        assertThat(ServerOptions.builder("https://flags.example.com", TOKEN)
                        .build()
                        .snapshotBaseUrl())
                .isNull();
        assertThatThrownBy(() -> ServerOptions.builder("https://flags.example.com", TOKEN)
                        .snapshotBaseUrl("https://cdn.example.com/?token=x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the snapshot base URL must not carry credentials or a query: https://cdn.example.com/...");
        assertThatThrownBy(() -> ServerOptions.builder("https://flags.example.com", TOKEN)
                        .snapshotBaseUrl("ftp://cdn.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the snapshot base URL is not an http or https URL: ftp://cdn.example.com");
    }
}
