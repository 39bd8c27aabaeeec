package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.internal.source.FileSnapshotSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void serverOptions_defaults_andToBuilderRoundTrip() {
        OkHttpClient shared = new OkHttpClient();
        ServerOptions options = ServerOptions.builder("https://flags.example.com/", "tg_secret")
                .environment("production")
                .okHttpClient(shared)
                .build();

        assertThat(options.baseUrl()).isEqualTo("https://flags.example.com");
        assertThat(options.streaming()).isTrue();
        assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.pollJitter()).isEqualTo(0.1);
        assertThat(options.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.streamReadTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.okHttpClient()).isSameAs(shared);
        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(options.toBuilder().streaming(false).build()).isNotEqualTo(options);
    }

    @Test
    void usageIntervals_haveDefaults_surviveToBuilder_andMustBePositive() {
        ServerOptions server =
                ServerOptions.builder("https://flags.example.com", "t").build();
        LogOptions logs = LogOptions.builder().build();
        ServerOptions everySecond =
                server.toBuilder().usagePollInterval(Duration.ofSeconds(1)).build();

        assertThat(server.usagePollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(logs.usageInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(everySecond.toBuilder().build().usagePollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(everySecond).isNotEqualTo(server);
        assertThat(logs.toBuilder().usageInterval(Duration.ofMillis(250)).build().toBuilder()
                        .build()
                        .usageInterval())
                .isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> ServerOptions.builder("https://flags.example.com", "t")
                        .usagePollInterval(Duration.ofSeconds(-1)))
                .hasMessage("usagePollInterval must be positive, was PT-1S");
        assertThatThrownBy(() -> LogOptions.builder().usageInterval(Duration.ZERO))
                .hasMessage("usageInterval must be positive, was PT0S");
        assertThatThrownBy(() -> LogOptions.builder().usageInterval(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("usageInterval");
    }

    @Test
    void serverOptions_neverShowTheToken() {
        ServerOptions options =
                ServerOptions.builder("https://flags.example.com", "tg_secret").build();

        assertThat(options.toString()).doesNotContain("tg_secret").contains("token <redacted>");
    }

    @Test
    void serverOptions_rejectBadUrlsAndTokens() {
        assertThatThrownBy(() -> ServerOptions.builder("flags.example.com", "t"))
                .hasMessage("not an http or https URL: flags.example.com");
        assertThatThrownBy(() -> ServerOptions.builder("https://user:pass@flags.example.com", "t"))
                .hasMessageStartingWith("the base URL must not carry credentials or a query");
        assertThatThrownBy(() -> ServerOptions.builder("https://flags.example.com?token=x", "t"))
                .hasMessageStartingWith("the base URL must not carry credentials or a query");
        assertThatThrownBy(() -> ServerOptions.builder("https://flags.example.com", "two words"))
                .hasMessage("the token must be non-empty, without whitespace or control characters");
        assertThatThrownBy(() -> ServerOptions.builder("https://flags.example.com", "t")
                        .initialBackoff(Duration.ofSeconds(10))
                        .maxBackoff(Duration.ofSeconds(1))
                        .build())
                .hasMessage("maxBackoff PT1S is shorter than initialBackoff PT10S");
        assertThatThrownBy(() ->
                        ServerOptions.builder("https://flags.example.com", "t").pollJitter(0.9))
                .hasMessage("pollJitter must be from 0 to 0.5, was 0.9");
        assertThatThrownBy(() ->
                        ServerOptions.builder("https://flags.example.com", "t").pollInterval(Duration.ZERO))
                .hasMessage("pollInterval must be positive, was PT0S");
    }

    @Test
    void snapshotFile_signatureNextToTheFile_checkedEvery100Millis_byDefault() {
        assertThat(FileSnapshotSource.signatureFile(Path.of("/etc/tollgate/snapshot.json")))
                .isEqualTo(Path.of("/etc/tollgate/snapshot.json.sig"));
        assertThat(TollgateClient.Builder.DEFAULT_FILE_POLL_INTERVAL).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() ->
                        TollgateClient.builder(SeedEvaluationTest.seedSchema()).snapshotFile(Path.of("/")))
                .hasMessage("not a file path: /");
        assertThatThrownBy(() -> TollgateClient.builder(SeedEvaluationTest.seedSchema())
                        .snapshotFile(Path.of("s.json"), Duration.ZERO))
                .hasMessage("pollInterval must be positive, was PT0S");
    }

    @Test
    void builder_rejectsAKeyThatIsNotEd25519() {
        assertThatThrownBy(() ->
                        TollgateClient.builder(SeedEvaluationTest.seedSchema()).publicKey("MCowBQYDK2VwAyEA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an Ed25519 public key");
        assertThatThrownBy(() -> TollgateClient.builder(SeedEvaluationTest.seedSchema())
                        .lastKnownGood(Path.of("cache"), Duration.ZERO))
                .hasMessage("maxAge must be positive, was PT0S");
    }

    /** Regression: a null schema failed inside the schema model's accessor, with a NullPointerException naming nothing. */
    @Test
    void aNullSchema_isRefusedNamingTheParameter() {
        assertThatThrownBy(() -> TollgateClient.builder(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("schema");
        assertThatThrownBy(() -> DynamicInput.context(null, Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("schema");
        assertThatThrownBy(() -> DynamicInput.of(null, "Context", Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("schema");
    }
}
