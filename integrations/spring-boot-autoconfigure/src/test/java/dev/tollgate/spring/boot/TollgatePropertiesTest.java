package dev.tollgate.spring.boot;

import static dev.tollgate.spring.boot.TestSupport.BUILD_TIME_SOURCE;
import static dev.tollgate.spring.boot.TestSupport.ENTRY_POINT;
import static dev.tollgate.spring.boot.TestSupport.FREE;
import static dev.tollgate.spring.boot.TestSupport.PRO;
import static dev.tollgate.spring.boot.TestSupport.await;
import static dev.tollgate.spring.boot.TestSupport.snapshot;
import static dev.tollgate.spring.boot.TestSupport.tollgateMessage;
import static dev.tollgate.spring.boot.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.LogOptions;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every {@code tollgate.client.*} property reaches the client, and a bad value fails naming its property. */
class TollgatePropertiesTest {
    private static final String TOKEN = "tgs_test_token";

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TollgateAutoConfiguration.class));

    @TempDir
    Path directory;

    // snapshot-file, snapshot-file-poll-interval

    @Test
    void snapshotFile_set_isInstalledOverTheBuildTimeSnapshot_andFollowed() {
        Path file = directory.resolve("snapshot.json");
        write(file, snapshot(4, 40));
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.snapshot-file=" + file,
                        "tollgate.client.snapshot-file-poll-interval=20ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    // read once in build(), before the context is up
                    assertThat(tollgate.revision()).isEqualTo(4);
                    assertThat(tollgate.client().status().source()).contains("file(" + file + ")");
                    assertThat(tollgate.root(FREE).entitlements().maxSeats(1)).isEqualTo(40);

                    write(file, snapshot(5, 45));
                    await("revision 5 from the edited file", () -> tollgate.revision() == 5);
                    assertThat(tollgate.root(FREE).entitlements().maxSeats(1)).isEqualTo(45);
                });
    }

    @Test
    void snapshotFile_withoutPollInterval_isFollowedAtTheDefaultInterval() {
        Path file = directory.resolve("snapshot.json");
        write(file, snapshot(4, 40));
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.snapshot-file=" + file)
                .run(context -> {
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    assertThat(tollgate.revision()).isEqualTo(4);
                    write(file, snapshot(5, 45));
                    await("revision 5 from the edited file", () -> tollgate.revision() == 5);
                });
    }

    @Test
    void snapshotFilePollInterval_withoutFile_failsNamingBoth() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.snapshot-file-poll-interval=1s")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo(
                                "tollgate.client.snapshot-file-poll-interval is set but tollgate.client.snapshot-file"
                                        + " is not"));
    }

    @Test
    void snapshotFilePollInterval_zero_failsNamingThePollInterval() {
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.snapshot-file=" + directory.resolve("snapshot.json"),
                        "tollgate.client.snapshot-file-poll-interval=0s")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.snapshot-file-poll-interval: pollInterval must be positive, was"
                                + " PT0S"));
    }

    // server.*

    @Test
    void server_urlAndToken_theClientFetchesFromTheServer() throws IOException {
        try (StandInServer server = StandInServer.serving(snapshot(7, 70))) {
            runner.withPropertyValues(
                            ENTRY_POINT,
                            "tollgate.client.server.url=" + server.url(),
                            "tollgate.client.server.token=" + TOKEN,
                            "tollgate.client.server.environment=staging",
                            "tollgate.client.server.streaming=false",
                            "tollgate.client.logs.enabled=false")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Tollgate tollgate = context.getBean(Tollgate.class);
                        await("revision 7 from the server", () -> tollgate.revision() == 7);
                        assertThat(tollgate.client().status().source()).contains("server(" + server.url() + ")");
                        assertThat(tollgate.root(PRO).entitlements().maxSeats(1))
                                .isEqualTo(70);

                        StandInServer.Request request =
                                server.requests("/v1/snapshot").get(0);
                        assertThat(request.method()).isEqualTo("GET");
                        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
                        assertThat(request.query()).isEqualTo("environment=staging");
                        assertThat(request.header("Tollgate-Schema-Hash")).isEqualTo(Tollgate.SCHEMA_HASH);
                        // streaming=false: no stream was opened
                        assertThat(server.requests("/v1/stream")).isEmpty();
                    });
        }
    }

    @Test
    void server_withDefaultLogs_evaluationsArePostedToTheServerOnShutdown() throws IOException {
        try (StandInServer server = StandInServer.serving(snapshot(7, 70))) {
            runner.withPropertyValues(
                            ENTRY_POINT,
                            "tollgate.client.server.url=" + server.url(),
                            "tollgate.client.server.token=" + TOKEN,
                            "tollgate.client.server.streaming=false")
                    .run(context -> {
                        Tollgate tollgate = context.getBean(Tollgate.class);
                        await("revision 7 from the server", () -> tollgate.revision() == 7);
                        tollgate.root(PRO).entitlements().maxSeats(1);
                        assertThat(server.requests("/v1/logs")).isEmpty();
                    });
            assertThat(server.requests("/v1/logs")).isNotEmpty().allSatisfy(request -> {
                assertThat(request.method()).isEqualTo("POST");
                assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            });
        }
    }

    @Test
    void serverOptions_everyProperty_reachesTheOptions() {
        runner.withPropertyValues(
                        "tollgate.client.server.url=https://tollgate.internal/base",
                        "tollgate.client.server.token=" + TOKEN,
                        "tollgate.client.server.environment=production",
                        "tollgate.client.server.streaming=false",
                        "tollgate.client.server.poll-interval=5s",
                        "tollgate.client.server.connect-timeout=250ms",
                        "tollgate.client.server.read-timeout=3s")
                .run(context -> {
                    ServerOptions options =
                            context.getBean(TollgateClientFactory.class).serverOptions();
                    assertThat(options.baseUrl()).isEqualTo("https://tollgate.internal/base");
                    assertThat(options.token()).isEqualTo(TOKEN);
                    assertThat(options.environment()).isEqualTo("production");
                    assertThat(options.streaming()).isFalse();
                    assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(options.connectTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void serverOptions_onlyUrlAndToken_keepTheSdkDefaults() {
        runner.withPropertyValues(
                        "tollgate.client.server.url=https://tollgate.internal", "tollgate.client.server.token=" + TOKEN)
                .run(context -> {
                    ServerOptions options =
                            context.getBean(TollgateClientFactory.class).serverOptions();
                    assertThat(options)
                            .isEqualTo(ServerOptions.builder("https://tollgate.internal", TOKEN)
                                    .build());
                    assertThat(options.environment()).isNull();
                    assertThat(options.streaming()).isTrue();
                });
    }

    @Test
    void serverOptions_withoutUrl_isNull() {
        runner.run(context -> assertThat(
                        context.getBean(TollgateClientFactory.class).serverOptions())
                .isNull());
    }

    @Test
    void serverUrlAndToken_blank_likeAnUnsetPlaceholder_followNoServer() {
        runner.withPropertyValues(
                        ENTRY_POINT, "tollgate.client.server.url=${TOLLGATE_URL:}", "tollgate.client.server.token= ")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(TollgateClientFactory.class).serverOptions())
                            .isNull();
                    assertThat(context.getBean(TollgateClient.class).status().source())
                            .hasValue(BUILD_TIME_SOURCE);
                });
    }

    @Test
    void serverUrl_withoutToken_failsNamingBoth() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.server.url=https://tollgate.internal")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.server.url is set but tollgate.client.server.token is not"));
    }

    @Test
    void serverToken_withoutUrl_failsNamingBoth() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.server.token=" + TOKEN)
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.server.token is set but tollgate.client.server.url is not"));
    }

    @Test
    void serverUrl_malformed_failsNamingTheUrl() {
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.server.url=tollgate.internal",
                        "tollgate.client.server.token=" + TOKEN)
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.server.url: not an http or https URL: tollgate.internal"));
    }

    @Test
    void serverToken_withWhitespace_failsNamingTheToken() {
        // as a token read from a secret file with its trailing newline would
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.server.url=https://tollgate.internal",
                        "tollgate.client.server.token=tgs_a tgs_b")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.server.token: the token must be non-empty, without whitespace or"
                                + " control characters"));
    }

    @Test
    void serverPollInterval_zero_failsNamingIt() {
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.server.url=https://tollgate.internal",
                        "tollgate.client.server.token=" + TOKEN,
                        "tollgate.client.server.poll-interval=0s")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.server.poll-interval: pollInterval must be positive, was PT0S"));
    }

    // last-known-good.*

    @Test
    void lastKnownGood_aCopyIsWritten_andASecondContextWithoutLiveSourceStartsFromIt() throws IOException {
        Path file = directory.resolve("snapshot.json");
        Path copies = directory.resolve("last-known-good");
        write(file, snapshot(4, 40));
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.snapshot-file=" + file,
                        "tollgate.client.last-known-good.directory=" + copies)
                .run(context -> {
                    assertThat(context.getBean(Tollgate.class).revision()).isEqualTo(4);
                    await("a last-known-good copy", () -> !copies(copies).isEmpty());
                });
        List<Path> written = copies(copies);
        assertThat(written).hasSize(1);
        List<String> lines = Files.readAllLines(written.get(0), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("tollgate-last-known-good 1");
        assertThat(lines.get(1)).containsPattern("\"revision\"\\s*:\\s*4\\b");

        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.last-known-good.directory=" + copies,
                        "tollgate.client.last-known-good.max-age=1d")
                .run(context -> {
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    assertThat(tollgate.revision()).isEqualTo(4);
                    assertThat(tollgate.client().status().source()).contains("last-known-good(" + written.get(0) + ")");
                    assertThat(tollgate.root(FREE).entitlements().maxSeats(1)).isEqualTo(40);
                });
    }

    @Test
    void lastKnownGood_notSet_aSecondContextStartsFromTheBuildTimeSnapshot() {
        Path file = directory.resolve("snapshot.json");
        write(file, snapshot(4, 40));
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.snapshot-file=" + file)
                .run(context ->
                        assertThat(context.getBean(Tollgate.class).revision()).isEqualTo(4));
        runner.withPropertyValues(ENTRY_POINT).run(context -> {
            assertThat(context.getBean(Tollgate.class).revision()).isEqualTo(3);
            assertThat(context.getBean(TollgateClient.class).status().source()).contains(BUILD_TIME_SOURCE);
        });
    }

    @Test
    void lastKnownGoodMaxAge_withoutDirectory_failsNamingBoth() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.last-known-good.max-age=1d")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.last-known-good.max-age is set but"
                                + " tollgate.client.last-known-good.directory is not"));
    }

    @Test
    void lastKnownGoodMaxAge_zero_failsNamingTheMaxAge() {
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.last-known-good.directory=" + directory,
                        "tollgate.client.last-known-good.max-age=0s")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.last-known-good.max-age: maxAge must be positive, was PT0S"));
    }

    // public-keys

    @Test
    void publicKeys_malformed_failsNamingTheKeysIndex() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.public-keys[0]=not-a-key")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo(
                                "tollgate.client.public-keys[0]: the public key is neither PEM nor base64: Illegal base64"
                                        + " character 2d"));
    }

    @Test
    void publicKeys_secondMalformed_failsNamingTheSecond() {
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.public-keys[0]=" + base64(ed25519()),
                        "tollgate.client.public-keys[1]=bm90IGEga2V5")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .startsWith("tollgate.client.public-keys[1]: not an Ed25519 public key (9 bytes of DER)"));
    }

    @Test
    void publicKeys_validKey_theUnsignedBuildTimeSnapshotIsRejected() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.public-keys=" + base64(ed25519()))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    assertThat(tollgate.revision()).isZero();
                    assertThat(tollgate.client().status().signatureFailures()).isEqualTo(1);
                    assertThat(tollgate.root(PRO).entitlements().maxSeats(1)).isEqualTo(1);
                });
    }

    @Test
    void publicKeys_pem_aFileSignedWithItsPrivateKeyIsInstalled() throws GeneralSecurityException {
        KeyPair keys = ed25519();
        String json = snapshot(4, 40);
        Path file = directory.resolve("snapshot.json");
        write(file.resolveSibling("snapshot.json.sig"), sign(keys, json));
        write(file, json);
        runner.withPropertyValues(
                        ENTRY_POINT,
                        "tollgate.client.snapshot-file=" + file,
                        "tollgate.client.public-keys[0]=" + pem(keys))
                .run(context -> {
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    assertThat(tollgate.revision()).isEqualTo(4);
                    // the unsigned build-time snapshot was refused, the signed file was not
                    assertThat(tollgate.client().status().signatureFailures()).isEqualTo(1);
                });
    }

    // logs.*

    @Test
    void logsEnabledFalse_disablesThem() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.logs.enabled=false")
                .run(context -> {
                    TollgateClientFactory factory = context.getBean(TollgateClientFactory.class);
                    assertThat(factory.logOptions(null)).isSameAs(LogOptions.disabled());
                    assertThat(context.getBean(TollgateClient.class).metrics().countsEvaluations())
                            .isFalse();
                });
    }

    @Test
    void logs_defaults_keepTheSdkDefaults() {
        runner.withPropertyValues(ENTRY_POINT).run(context -> {
            assertThat(context.getBean(TollgateClientFactory.class).logOptions(null))
                    .isNull();
            assertThat(context.getBean(TollgateClient.class).metrics().countsEvaluations())
                    .isTrue();
        });
    }

    @Test
    void logsDestination_slf4j_isTheSlf4jSink() {
        runner.withPropertyValues("tollgate.client.logs.destination=slf4j").run(context -> {
            LogOptions options = context.getBean(TollgateClientFactory.class).logOptions(null);
            assertThat(options.enabled()).isTrue();
            assertThat(options.sink().getClass().getSimpleName()).isEqualTo("Slf4jLogSink");
            assertThat(options.server()).isNull();
        });
    }

    @Test
    void logsDestination_server_isTheClientsServer() {
        runner.withPropertyValues(
                        "tollgate.client.logs.destination=server",
                        "tollgate.client.server.url=https://tollgate.internal",
                        "tollgate.client.server.token=" + TOKEN)
                .run(context -> {
                    TollgateClientFactory factory = context.getBean(TollgateClientFactory.class);
                    ServerOptions server = factory.serverOptions();
                    LogOptions options = factory.logOptions(server);
                    assertThat(options.server()).isEqualTo(server);
                    assertThat(options.sink()).isNull();
                });
    }

    @Test
    void logsDestination_serverWithoutServerUrl_failsNamingBoth() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.logs.destination=server")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.logs.destination is server but tollgate.client.server.url is not"
                                + " set"));
    }

    @Test
    void logs_everyOption_reachesTheOptions_andTheDestinationStaysTheSdks() {
        runner.withPropertyValues(
                        "tollgate.client.logs.flush-interval=2s",
                        "tollgate.client.logs.max-exposures=500",
                        "tollgate.client.logs.max-attempts=2",
                        "tollgate.client.logs.close-timeout=750ms")
                .run(context -> {
                    LogOptions options =
                            context.getBean(TollgateClientFactory.class).logOptions(null);
                    assertThat(options.enabled()).isTrue();
                    assertThat(options.flushInterval()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(options.maxExposures()).isEqualTo(500);
                    assertThat(options.maxAttempts()).isEqualTo(2);
                    assertThat(options.closeTimeout()).isEqualTo(Duration.ofMillis(750));
                    // auto: neither a sink nor a server of its own, so the client's server or SLF4J
                    assertThat(options.sink()).isNull();
                    assertThat(options.server()).isNull();
                });
    }

    @Test
    void logsMaxAttempts_zero_failsNamingIt() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.logs.max-attempts=0")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.logs.max-attempts: maxAttempts must be positive, was 0"));
    }

    @Test
    void logsCloseTimeout_negative_failsNamingIt() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.logs.close-timeout=-1s")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.logs.close-timeout: closeTimeout must not be negative, was PT-1S"));
    }

    private static List<Path> copies(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tollgate"))
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String base64(KeyPair keys) {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static String sign(KeyPair keys, String json) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(keys.getPrivate());
        signature.update(json.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(signature.sign());
    }
}
