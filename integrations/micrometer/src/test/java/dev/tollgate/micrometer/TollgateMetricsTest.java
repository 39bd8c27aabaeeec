package dev.tollgate.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.ClientStatus;
import dev.tollgate.DynamicInput;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import dev.tollgate.testing.ManualClock;
import dev.tollgate.testing.SnapshotBuilder;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TollgateMetricsTest {
    static final Schema SCHEMA = Schema.parse(
            """
            input Context { organization: Organization!  user: User! }
            input Organization { id: String!  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO }
            type Root { entitlements: Entitlements! }
            type Entitlements { maxTeamSize: Int!  teamRolesEnabled: Boolean! }
            """,
            "metrics.graphql");
    private static final String TEAM = "entitlements.maxTeamSize";
    private static final String ROLES = "entitlements.teamRolesEnabled";
    /**
     * Per field: five outcome kinds and seven fallback causes; then revision, age, 4 load results, 5 states, 4 drops
     * (evaluations, exposures, messages, usage of metered fields).
     */
    private static final int METERS_FOR_TWO_FIELDS = 2 * (5 + 7) + 1 + 1 + 4 + 5 + 4;

    private final ManualClock clock = ManualClock.at(Instant.now());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TollgateClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        registry.close();
    }

    private TollgateClient client(LogSink sink) {
        client = TollgateClient.builder(SCHEMA)
                .logs(LogOptions.builder()
                        .sink(sink)
                        .flushInterval(Duration.ofHours(1))
                        .maxAttempts(1)
                        .build())
                .build();
        new TollgateMetrics(client, Tags.of("service", "team"), clock).bindTo(registry);
        return client;
    }

    private static void installOverrides(TollgateClient client, int organizations) {
        SnapshotBuilder.forSchema(SCHEMA)
                .revision(4)
                .field(TEAM, f -> {
                    for (int i = 0; i < organizations; i++) {
                        f.override("context.organization.id", "org_" + i, 50 + i);
                    }
                    f.defaultValue(5);
                })
                .installInto(client);
    }

    private static UntypedRoot root(TollgateClient client, String organization) {
        return client.root(DynamicInput.context(
                SCHEMA, Map.of("organization", Map.of("id", organization, "plan", "PRO"), "user", Map.of("id", "u1"))));
    }

    private double counter(String name, String... tags) {
        return registry.get(name)
                .tags("service", "team")
                .tags(tags)
                .functionCounter()
                .count();
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags("service", "team").tags(tags).gauge().value();
    }

    @Test
    void evaluations_areCountedByFieldAndOutcomeKind_andFallbacksByCause() {
        TollgateClient client = client(new Accepting());
        root(client, "org_1").intValue(TEAM, 3);
        installOverrides(client, 10);
        for (int i = 0; i < 4; i++) {
            root(client, "org_" + i).intValue(TEAM, 3);
        }
        root(client, "org_new").intValue(TEAM, 3);
        root(client, "org_1").booleanValue(ROLES, false);
        root(client, "org_1").booleanValue(TEAM, false);
        clock.advance(Duration.ofSeconds(1));
        // Regression: the counters took the binder, which nothing else holds, as Micrometer's weakly held state
        // object, and read 0 once it was collected.
        System.gc();

        assertThat(counter("tollgate.evaluations", "field", TEAM, "outcome", "override"))
                .isEqualTo(4);
        assertThat(counter("tollgate.evaluations", "field", TEAM, "outcome", "default"))
                .isEqualTo(1);
        assertThat(counter("tollgate.evaluations", "field", TEAM, "outcome", "fallback"))
                .isEqualTo(2);
        assertThat(counter("tollgate.fallbacks", "field", TEAM, "cause", "NOT_READY"))
                .isEqualTo(1);
        assertThat(counter("tollgate.fallbacks", "field", TEAM, "cause", "TYPE_MISMATCH"))
                .isEqualTo(1);
        assertThat(counter("tollgate.fallbacks", "field", ROLES, "cause", "NO_LOGIC"))
                .isEqualTo(1);
        assertThat(counter("tollgate.evaluations", "field", ROLES, "outcome", "rule"))
                .isZero();
        assertThat(registry.find("tollgate.fallbacks")
                        .tag("cause", "UNKNOWN_FIELD")
                        .meters())
                .as("an unknown path is no field to count under")
                .isEmpty();
    }

    /**
     * Bounded cardinality: ten thousand organizations with an override row each, all evaluated, add no meter and no
     * tag value naming an organization or user.
     */
    @Test
    void tags_neverNameOrganizationsOrUsers_andTheMeterCountIsFixedByTheSchema() {
        TollgateClient client = client(new Accepting());
        assertThat(registry.getMeters()).hasSize(METERS_FOR_TWO_FIELDS);

        installOverrides(client, 10_000);
        for (int i = 0; i < 10_000; i++) {
            root(client, "org_" + i).intValue(TEAM, 3);
        }
        clock.advance(Duration.ofSeconds(1));
        registry.getMeters().forEach(meter -> meter.measure().forEach(Measurement::getValue));

        assertThat(registry.getMeters()).hasSize(METERS_FOR_TWO_FIELDS);
        List<String> tagValues = registry.getMeters().stream()
                .flatMap(meter -> meter.getId().getTags().stream())
                .map(Tag::getValue)
                .distinct()
                .toList();
        assertThat(tagValues).noneMatch(value -> value.startsWith("org_") || value.equals("u1"));
        assertThat(registry.getMeters().stream()
                        .map(Meter::getId)
                        .map(Meter.Id::getName)
                        .distinct())
                .containsExactlyInAnyOrder(
                        "tollgate.evaluations",
                        "tollgate.fallbacks",
                        "tollgate.snapshot.revision",
                        "tollgate.snapshot.age",
                        "tollgate.snapshot.loads",
                        "tollgate.client.state",
                        "tollgate.logs.dropped");
        assertThat(counter("tollgate.evaluations", "field", TEAM, "outcome", "override"))
                .isEqualTo(10_000);
    }

    /** One scrape reads the client's counters once: within a second, every evaluation meter shows the same reading. */
    @Test
    void evaluationMeters_shareOneReadingPerSecond() {
        TollgateClient client = client(new Accepting());
        installOverrides(client, 1);
        root(client, "org_0").intValue(TEAM, 3);
        assertThat(counter("tollgate.evaluations", "field", TEAM, "outcome", "override"))
                .isEqualTo(1);

        root(client, "org_0").intValue(TEAM, 3);
        assertThat(counter("tollgate.evaluations", "field", TEAM, "outcome", "override"))
                .isEqualTo(1);

        clock.advance(Duration.ofMillis(1_000));
        assertThat(counter("tollgate.evaluations", "field", TEAM, "outcome", "override"))
                .isEqualTo(2);
    }

    @Test
    void snapshotMeters_followRevisionAgeAndLoads() {
        TollgateClient client = client(new Accepting());
        assertThat(gauge("tollgate.snapshot.revision")).isZero();
        assertThat(registry.get("tollgate.snapshot.age").timeGauge().value(TimeUnit.SECONDS))
                .isNaN();

        installOverrides(client, 1);
        installOverrides(client, 1);
        assertThatThrownBy(() -> client.loadSnapshot("{}")).isInstanceOf(InvalidSnapshotException.class);
        Instant installed = client.metrics().installedAt().orElseThrow();
        Instant confirmed = client.status().lastSuccess().orElseThrow();
        assertThat(confirmed).isAfterOrEqualTo(installed);
        clock.set(confirmed.plusSeconds(90));

        assertThat(gauge("tollgate.snapshot.revision")).isEqualTo(4);
        assertThat(registry.get("tollgate.snapshot.age").timeGauge().value(TimeUnit.SECONDS))
                .isEqualTo(90);
        assertThat(counter("tollgate.snapshot.loads", "result", "installed")).isEqualTo(1);
        assertThat(counter("tollgate.snapshot.loads", "result", "unchanged")).isEqualTo(1);
        assertThat(counter("tollgate.snapshot.loads", "result", "older_ignored"))
                .isZero();
        assertThat(counter("tollgate.snapshot.loads", "result", "rejected")).isEqualTo(1);
    }

    @Test
    void clientState_isOneForTheCurrentStateOnly() {
        TollgateClient client = client(new Accepting());
        installOverrides(client, 1);
        ClientStatus.State current = client.status().state();

        for (ClientStatus.State state : ClientStatus.State.values()) {
            assertThat(gauge("tollgate.client.state", "state", state.name().toLowerCase(Locale.ROOT)))
                    .as(state.name())
                    .isEqualTo(state == current ? 1 : 0);
        }
        client.close();
        assertThat(gauge("tollgate.client.state", "state", "off")).isEqualTo(1);
    }

    @Test
    void logRecordsTheSinkNeverReceived_areCountedOnce() throws Exception {
        TollgateClient client = client(new Refusing());
        installOverrides(client, 1);
        for (int i = 0; i < 3; i++) {
            root(client, "org_0").intValue(TEAM, 3);
        }
        assertThatThrownBy(() -> client.flushLogs().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        root(client, "org_0").intValue(TEAM, 3);
        assertThatThrownBy(() -> client.flushLogs().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        assertThat(counter("tollgate.logs.dropped", "kind", "evaluations")).isEqualTo(4);
        assertThat(counter("tollgate.logs.dropped", "kind", "messages")).isEqualTo(1);
        assertThat(counter("tollgate.logs.dropped", "kind", "exposures")).isZero();
        assertThat(counter("tollgate.logs.dropped", "kind", "usage")).isZero();
    }

    @Test
    void withLoggingOff_theEvaluationMetersAreLeftOut() {
        client = TollgateClient.builder(SCHEMA).logs(LogOptions.disabled()).build();
        new TollgateMetrics(client).bindTo(registry);

        assertThat(registry.find("tollgate.evaluations").meters()).isEmpty();
        assertThat(registry.find("tollgate.fallbacks").meters()).isEmpty();
        assertThat(registry.getMeters()).hasSize(1 + 1 + 4 + 5 + 4);
    }

    private static final class Accepting implements LogSink {
        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {}
    }

    private static final class Refusing implements LogSink {
        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            return CompletableFuture.failedFuture(new LogSinkException("refused", false));
        }

        @Override
        public void close() {}
    }
}
