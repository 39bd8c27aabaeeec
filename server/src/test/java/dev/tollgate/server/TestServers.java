package dev.tollgate.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts servers for the tests on an ephemeral loopback port, on H2 in a temporary directory or on PostgreSQL. */
final class TestServers {
    static final String ADMIN_TOKEN = "tga_test-admin-token-0123456789abcdefghijklmnopqrstu";

    static final String SCHEMA =
            """
            input Context { organization: Organization!  user: User! }
            input Organization { id: String!  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }

            type Root { entitlements: Entitlements! }
            type Entitlements {
              "Whether custom team roles can be created."
              teamRolesEnabled: Boolean!
              maxTeamSize: Int!
              maxApiRequestsPerDay(endpoint: String!): Int!
              versionHistoryEnabled: Boolean!
            }
            """;

    /** A rule that gives {@code value} to organizations on {@code plan}: what the dashboard shows as a plan default. */
    static Map<String, Object> planRule(String id, String plan, Object value) {
        return Map.of(
                "id",
                id,
                "if",
                Map.of("attribute", "context.organization.plan", "op", "eq", "value", plan),
                "value",
                value);
    }

    private TestServers() {}

    /** The storage a test suite runs against. */
    enum Storage {
        H2,
        POSTGRES
    }

    static ServerConfig.Builder config(Storage storage) {
        ServerConfig.Builder config = ServerConfig.builder()
                .bind("127.0.0.1")
                .port(0)
                .initialAdminToken(ADMIN_TOKEN)
                .initialEnvironments(List.of("production", "staging"))
                .pollInterval(Duration.ofSeconds(5))
                .authFailuresPerMinute(1_000)
                .sdkRequestsPerMinute(Integer.MAX_VALUE);
        if (storage == Storage.POSTGRES) {
            return config.dbUrl(PostgresCluster.get().newDatabase());
        }
        try {
            Path dir = Files.createTempDirectory("tollgate-h2-");
            dir.toFile().deleteOnExit();
            return config.dataDir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TollgateServer start(Storage storage) {
        return TollgateServer.start(config(storage).build());
    }

    static TollgateServer start(Storage storage, java.time.Clock clock) {
        return TollgateServer.start(config(storage).build(), clock);
    }

    static Api admin(TollgateServer server) {
        return new Api(server.url(), ADMIN_TOKEN);
    }

    /** A new SDK token named {@code name} for the production environment, made through {@code admin}. */
    static String sdkToken(Api admin, String name) {
        return admin.post("/v1/admin/tokens", Map.of("name", name, "kind", "sdk", "environment", "production"))
                .json()
                .get("token")
                .asText();
    }
}
