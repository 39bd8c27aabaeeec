package dev.tollgate.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.DynamicInput;
import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.LogOptions;
import dev.tollgate.Reason;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.runtime.IntLimit;
import dev.tollgate.runtime.LimitCheck;
import dev.tollgate.spi.LogBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What reads put in the log batch: one evaluation count, at most one exposure and at most one SDK message per read,
 * whether the read is plain, a detail (whose reason's notes are worked out after the answer) or a limit check, and
 * whether or not the field has enclosing logic or override rows out of their windows.
 *
 * <p>The clients here keep a dedupe window under a millisecond, which suppresses nothing: every exposure recorded
 * reaches the batch, so a second one recorded by the same read shows.
 */
class DetailReadLogsTest {
    private static final Schema SEED = Schema.parse(
            """
            input Context { organization: Organization!  user: User! }
            input Organization { id: String!  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }

            type Root { entitlements: Entitlements! }
            type Entitlements {
              teamRolesEnabled: Boolean!
              maxTeamSize: Int!
              maxApiRequestsPerDay(endpoint: String!): Int!
              versionHistoryEnabled: Boolean!
            }
            """,
            "seed.graphql");

    private static final String TEAM_SIZE = "entitlements.maxTeamSize";
    private static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");
    private static final String LAPSED = "override context.organization.id=org_hooli lapsed at 2027-01-01T00:00:00Z";
    private static final int READS = 3;

    /**
     * Team size: org_hooli's override row (lapsed, when {@code windowed}), then Pro users all in the one arm of split
     * "pro" with 25, and no default, so that other plans get the enclosing {@code entitlements} logic's 5 when {@code
     * enclosing}, and the fallback otherwise.
     */
    private static String snapshot(boolean enclosing, boolean windowed) {
        String table = windowed
                ? "\"rows\": {\"org_hooli\": {\"value\": 10, \"until\": \"2027-01-01T00:00:00Z\"}}"
                : "\"values\": {\"org_initech\": 50}";
        String entitlements = enclosing
                ? """
                "entitlements": {"default": {"teamRolesEnabled": false, "maxTeamSize": 5,
                                             "maxApiRequestsPerDay": 1000, "versionHistoryEnabled": false}},
                """
                : "";
        return """
                {"format": 1, "revision": 4, "schemaHash": "%s",
                 "fields": {%s
                   "entitlements.maxTeamSize": {
                     "overrides": [{"by": "context.organization.id", %s}],
                     "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                                "split": {"by": "context.user.id", "seed": "seats",
                                          "arms": [{"id": "all", "weight": 100, "value": 25}]}}]}}}
                """
                .formatted(SEED.hash(), entitlements, table);
    }

    private static TollgateClient client(RecordingSink sink, boolean enclosing, boolean windowed) {
        TollgateClient client = TollgateClient.builder(SEED)
                .clock(Clock.fixed(UNTIL.plus(Duration.ofDays(1)), ZoneOffset.UTC))
                .logs(LogOptions.builder()
                        .sink(sink)
                        .flushInterval(Duration.ofHours(1))
                        .exposureDedupeWindow(Duration.ofNanos(1))
                        .build())
                .build();
        client.loadSnapshot(snapshot(enclosing, windowed));
        return client;
    }

    private static DynamicInput hooli(String plan, String user) {
        return DynamicInput.context(
                SEED, Map.of("organization", Map.of("id", "org_hooli", "plan", plan), "user", Map.of("id", user)));
    }

    private static List<String> notes(boolean windowed) {
        return windowed ? List.of(LAPSED) : List.of();
    }

    private static List<String> users() {
        return List.of("u_1", "u_2", "u_3");
    }

    /** Regression: a detail read evaluated the field's own logic again for the notes, reaching its split twice. */
    @ParameterizedTest(name = "enclosing={0}, windowed={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void detail_ofASplit_recordsOneExposureOneCountAndNoMessagePerRead(boolean enclosing, boolean windowed)
            throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink, enclosing, windowed)) {
            for (String user : users()) {
                EvaluationDetail<Object> detail =
                        client.root(hooli("PRO", user)).detail(TEAM_SIZE, Map.of(), -1);

                assertThat(detail.value()).isEqualTo(25);
                assertThat(detail.reason()).isEqualTo(Reason.split("pro", "all").withNotes(notes(windowed)));
            }
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertExposedOnceEach(sink, users());
            assertThat(sink.counts(TEAM_SIZE)).isEqualTo(Map.of("split:pro:all", (long) READS));
            assertThat(sink.batches).flatMap(LogBatch::messages).isEmpty();
        }
    }

    /** A plan without the split: the enclosing logic answers, or nothing does; counted once, nothing exposed. */
    @ParameterizedTest(name = "enclosing={0}, windowed={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void detail_withoutASplit_recordsOneCountAndNoExposurePerRead(boolean enclosing, boolean windowed)
            throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink, enclosing, windowed)) {
            for (String user : users()) {
                EvaluationDetail<Object> detail =
                        client.root(hooli("FREE", user)).detail(TEAM_SIZE, Map.of(), -1);

                assertThat(detail.value()).isEqualTo(enclosing ? 5 : -1);
                assertThat(detail.reason().label()).isEqualTo(enclosing ? "default" : "fallback:NO_MATCH");
                assertThat(detail.reason().notes()).isEqualTo(notes(windowed));
            }
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.exposures()).isEmpty();
            assertThat(sink.counts(TEAM_SIZE))
                    .isEqualTo(Map.of(enclosing ? "default" : "fallback:NO_MATCH", (long) READS));
            assertThat(sink.batches).flatMap(LogBatch::messages).isEmpty();
        }
    }

    /** The plain accessor never looks for notes: one exposure per read, as a guard. */
    @ParameterizedTest(name = "enclosing={0}, windowed={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void plainRead_ofASplit_recordsOneExposureAndOneCountPerRead(boolean enclosing, boolean windowed) throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink, enclosing, windowed)) {
            for (String user : users()) {
                assertThat(client.root(hooli("PRO", user)).intValue(TEAM_SIZE, -1))
                        .isEqualTo(25);
            }
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertExposedOnceEach(sink, users());
            assertThat(sink.counts(TEAM_SIZE)).isEqualTo(Map.of("split:pro:all", (long) READS));
            assertThat(sink.batches).flatMap(LogBatch::messages).isEmpty();
        }
    }

    /**
     * Regression: a limit check gives the detail's reason, notes included, so it reached the split twice too; a denial
     * also looks for alternatives, which record nothing.
     */
    @ParameterizedTest(name = "enclosing={0}, windowed={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void limitCheck_ofASplit_recordsOneExposureAndOneCountPerCheck(boolean enclosing, boolean windowed)
            throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink, enclosing, windowed)) {
            IntLimit u1 = teamSize(client, hooli("PRO", "u_1"));
            IntLimit u2 = teamSize(client, hooli("PRO", "u_2"));

            LimitCheck allowed = u1.check(3, 1, -1);
            LimitCheck denied = u2.check(25, 1, -1);

            assertThat(allowed.allowed()).isTrue();
            assertThat(allowed.reason()).isEqualTo(Reason.split("pro", "all").withNotes(notes(windowed)));
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.limit()).isEqualTo(25);
            assertThat(denied.alternatives()).isEmpty();
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertExposedOnceEach(sink, List.of("u_1", "u_2"));
            assertThat(sink.counts(TEAM_SIZE)).isEqualTo(Map.of("split:pro:all", 2L));
            assertThat(sink.batches).flatMap(LogBatch::messages).isEmpty();
        }
    }

    /**
     * A context whose user id cannot be read fails the evaluation at the split: one fallback counted and one message
     * per detail read, and the notes, which need no split, are still given.
     */
    @ParameterizedTest(name = "enclosing={0}, windowed={1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void detail_failingAtTheSplit_recordsOneCountAndOneMessagePerRead(boolean enclosing, boolean windowed)
            throws Exception {
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = client(sink, enclosing, windowed)) {
            InputValue unreadableUser = unreadableUser(hooli("PRO", "u_1"));
            for (int i = 0; i < READS; i++) {
                EvaluationDetail<Object> detail =
                        ApiAccess.bind(client, unreadableUser).detail(fieldIndex(TEAM_SIZE), new Object[0], -1);

                assertThat(detail.value()).isEqualTo(-1);
                assertThat(detail.reason().fallbackCause()).isEqualTo(FallbackCause.EVALUATION_ERROR);
                assertThat(detail.reason().message())
                        .isEqualTo("evaluating entitlements.maxTeamSize failed:"
                                + " java.lang.IllegalStateException: the user id is unreadable");
                assertThat(detail.reason().notes()).isEqualTo(notes(windowed));
            }
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.exposures()).isEmpty();
            assertThat(sink.counts(TEAM_SIZE)).isEqualTo(Map.of("fallback:EVALUATION_ERROR", (long) READS));
            assertThat(sink.batches)
                    .flatMap(LogBatch::messages)
                    .extracting(LogBatch.SdkMessage::level, LogBatch.SdkMessage::message, LogBatch.SdkMessage::count)
                    .containsExactly(tuple(
                            "WARN",
                            "EVALUATION_ERROR: evaluating entitlements.maxTeamSize failed:"
                                    + " java.lang.IllegalStateException: the user id is unreadable",
                            (long) READS));
        }
    }

    private static void assertExposedOnceEach(RecordingSink sink, List<String> units) {
        assertThat(sink.exposures())
                .extracting(
                        LogBatch.Exposure::field,
                        LogBatch.Exposure::rule,
                        LogBatch.Exposure::arm,
                        LogBatch.Exposure::unit)
                .containsExactlyInAnyOrderElementsOf(units.stream()
                        .map(unit -> tuple(TEAM_SIZE, "pro", "all", unit))
                        .toList());
    }

    private static IntLimit teamSize(TollgateClient client, InputValue context) {
        return IntLimit.of(ApiAccess.bind(client, context), fieldIndex(TEAM_SIZE), new Object[0]);
    }

    private static int fieldIndex(String path) {
        return ApiAccess.model(SEED).fieldIndex(path);
    }

    /** {@code context}, but reading the user id, the split's unit, throws. */
    private static InputValue unreadableUser(DynamicInput context) {
        int userSlot = ApiAccess.model(SEED)
                .contextLayout()
                .attribute("user.id")
                .orElseThrow()
                .slot();
        return new InputValue() {
            @Override
            public String inputTypeName() {
                return context.inputTypeName();
            }

            @Override
            public Object attribute(int slot) {
                if (slot == userSlot) {
                    throw new IllegalStateException("the user id is unreadable");
                }
                return context.attribute(slot);
            }
        };
    }
}
