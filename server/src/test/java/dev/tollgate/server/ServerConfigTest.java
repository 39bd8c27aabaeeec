package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults_areTheDocumentedOnes() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of());

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.bind()).isEqualTo("0.0.0.0");
        assertThat(config.dataDir()).isEqualTo(Path.of("tollgate-data"));
        assertThat(config.dbUrl()).isEmpty();
        assertThat(config.dbPoolSize()).isEqualTo(10);
        assertThat(config.httpThreads()).isEqualTo(32);
        assertThat(config.maxBodyBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(config.maxLogBodyBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(config.streamHeartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxStreams()).isEqualTo(10_000);
        assertThat(config.authFailuresPerMinute()).isEqualTo(10);
        assertThat(config.sdkRequestsPerMinute()).isEqualTo(3_000);
        assertThat(config.initialEnvironments()).containsExactly("production", "staging");
        assertThat(config.tokenCacheTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.usageRetentionDays()).isEqualTo(90);
        assertThat(config.signingKeyFile()).isEmpty();
        assertThat(config.lapseCheckInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.expiredOverrideRetention()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void lapseCheckAndRetention_areReadByName_andBadValuesRefused() {
        ServerConfig config = ServerConfig.fromEnvironment(
                Map.of("TOLLGATE_LAPSE_CHECK_SECONDS", "5", "TOLLGATE_EXPIRED_OVERRIDE_RETENTION", "PT12H"));

        assertThat(config.lapseCheckInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.expiredOverrideRetention()).isEqualTo(Duration.ofHours(12));
        assertThat(ServerConfig.fromEnvironment(Map.of("TOLLGATE_EXPIRED_OVERRIDE_RETENTION", "P0D"))
                        .expiredOverrideRetention())
                .isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TOLLGATE_EXPIRED_OVERRIDE_RETENTION", "30d")))
                .hasMessage("tollgate.expired.override.retention must be an ISO-8601 duration such as P30D or PT12H,"
                        + " was \"30d\"");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TOLLGATE_EXPIRED_OVERRIDE_RETENTION", "-P1D")))
                .hasMessage("tollgate.expired.override.retention must not be negative, was -P1D");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TOLLGATE_LAPSE_CHECK_SECONDS", "0")))
                .hasMessage("tollgate.lapse.check.seconds must be between 1 and 3600, was 0");
    }

    /**
     * Regression: a retention past what an instant can be moved by was accepted, and then every round failed with a
     * DateTimeException and pruned nothing. Bounded like the usage retention, at 36,500 days.
     */
    @Test
    void retention_isBoundedAt36500Days_byNameAndByBuilder() {
        assertThat(ServerConfig.fromEnvironment(Map.of("TOLLGATE_EXPIRED_OVERRIDE_RETENTION", "P36500D"))
                        .expiredOverrideRetention())
                .isEqualTo(Duration.ofDays(36_500));
        assertThatThrownBy(() ->
                        ServerConfig.fromEnvironment(Map.of("TOLLGATE_EXPIRED_OVERRIDE_RETENTION", "P400000000000D")))
                .hasMessage("tollgate.expired.override.retention must be at most 36500 days (P36500D), was"
                        + " P400000000000D");
        assertThatThrownBy(
                        () -> ServerConfig.fromEnvironment(Map.of("TOLLGATE_EXPIRED_OVERRIDE_RETENTION", "P36500DT1S")))
                .hasMessage("tollgate.expired.override.retention must be at most 36500 days (P36500D), was"
                        + " P36500DT1S");
        assertThatThrownBy(() -> ServerConfig.builder().expiredOverrideRetention(Duration.ofDays(36_501)))
                .hasMessage("expiredOverrideRetention must be at most 36500 days (P36500D), was PT876024H");
    }

    @Test
    void environmentVariables_overrideTheFile() throws Exception {
        Path file = dir.resolve("tollgate.properties");
        Files.writeString(
                file, "tollgate.port=9000\ntollgate.http.threads=4\ntollgate.initial.environments=prod, dev\n");

        ServerConfig config = ServerConfig.fromEnvironment(Map.of(
                "TOLLGATE_CONFIG",
                file.toString(),
                "TOLLGATE_PORT",
                "9100",
                "TOLLGATE_MAX_STREAMS",
                "250",
                "PATH",
                "/bin"));

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.maxStreams())
                .as("regression: documented, but refused as unknown")
                .isEqualTo(250);
        assertThat(config.httpThreads()).isEqualTo(4);
        assertThat(config.initialEnvironments()).isEqualTo(List.of("prod", "dev"));
    }

    @Test
    void invalidOrUnknownSettings_areRefusedByName() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TOLLGATE_PORT", "eighty")))
                .hasMessage("tollgate.port must be an integer, was \"eighty\"");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TOLLGATE_HTTP_THREADS", "0")))
                .hasMessage("tollgate.http.threads must be between 1 and 10000, was 0");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("TOLLGATE_PROT", "80")))
                .hasMessage("unknown setting tollgate.prot (environment variable TOLLGATE_PROT)");
    }
}
