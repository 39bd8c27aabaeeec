package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.logs.RecordingSink;
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.IntLimit;
import dev.tollgate.runtime.LimitCheck;
import dev.tollgate.runtime.LimitCheck.Alternative;
import dev.tollgate.spi.LogBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link IntLimit#check}: the verdict, the limit and its reason, and for a denial the plans (enum context values) that
 * would allow the request, computed from the same snapshot at the same instant.
 */
class LimitCheckTest {
    private static final Schema SEED = SeedEvaluationTest.seedSchema();
    private static final String PLAN = "context.organization.plan";
    private static final Object[] NO_ARGS = {};
    private static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");

    /** Enterprise before Pro in the rules, so that enum order, not rule order, shows in the alternatives. */
    private static final String TEAM_SIZE =
            """
            "entitlements.maxTeamSize": {
              "overrides": [{"by": "context.organization.id",
                             "values": {"org_initech": 50},
                             "rows": {"org_hooli": {"value": 10, "until": "2027-01-01T00:00:00Z"}}}],
              "rules": [
                {"id": "enterprise", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "ENTERPRISE"},
                 "value": 1000},
                {"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"}, "value": 20}],
              "default": 5}""";

    private static String snapshot(String fields) {
        return """
                {"format": 1, "revision": 3, "schemaHash": "%s",
                 "segments": {"paid": {"if": {"attribute": "context.organization.plan", "op": "in",
                                              "value": ["PRO", "ENTERPRISE"]}}},
                 "fields": {%s}}
                """
                .formatted(SEED.hash(), fields);
    }

    private static TollgateClient client(Instant now, String fields) {
        TollgateClient client = TollgateClient.builder(SEED)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .logs(LogOptions.disabled())
                .build();
        if (fields != null) {
            client.loadSnapshot(snapshot(fields));
        }
        return client;
    }

    private static FieldReader reader(TollgateClient client, String organization, String plan) {
        return ApiAccess.bind(
                client,
                DynamicInput.context(
                        SEED,
                        Map.of("organization", Map.of("id", organization, "plan", plan), "user", Map.of("id", "u_1"))));
    }

    private static IntLimit teamSize(FieldReader reader) {
        return IntLimit.of(reader, field("entitlements.maxTeamSize"), NO_ARGS);
    }

    private static int field(String path) {
        return ApiAccess.model(SEED).fieldIndex(path);
    }

    private static IntLimit teamSize(TollgateClient client, String organization, String plan) {
        return teamSize(reader(client, organization, plan));
    }

    @Test
    void check_withinTheLimit_isAllowed_withTheRuleAndNoAlternatives() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            LimitCheck check = teamSize(client, "org_globex", "PRO").check(3, 1, 5);

            assertThat(check.allowed()).isTrue();
            assertThat(check.limit()).isEqualTo(20);
            assertThat(check.used()).isEqualTo(3);
            assertThat(check.requested()).isEqualTo(1);
            assertThat(check.remaining()).isEqualTo(17);
            assertThat(check.reason()).isEqualTo(Reason.rule("pro"));
            assertThat(check.alternatives()).isEmpty();
        }
    }

    @Test
    void check_atTheBoundary_allowsUsedPlusRequestedEqualToTheLimit_andDeniesOneMore() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            IntLimit limit = teamSize(client, "org_globex", "PRO");

            LimitCheck full = limit.check(19, 1, 5);
            LimitCheck over = limit.check(20, 1, 5);

            assertThat(full.allowed()).isTrue();
            assertThat(full.remaining()).isEqualTo(1);
            assertThat(over.allowed()).isFalse();
            assertThat(over.remaining()).isZero();
            assertThat(over.alternatives()).containsExactly(Alternative.of(PLAN, "ENTERPRISE", 1000));
        }
    }

    @Test
    void check_denied_listsThePlansThatWouldAllowIt_inEnumOrder_skippingTheCurrentPlan() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            LimitCheck free = teamSize(client, "org_globex", "FREE").check(5, 1, 5);
            LimitCheck bigRequest = teamSize(client, "org_globex", "FREE").check(5, 16, 5);
            LimitCheck enterprise = teamSize(client, "org_globex", "ENTERPRISE").check(1000, 1, 5);

            assertThat(free.allowed()).isFalse();
            assertThat(free.limit()).isEqualTo(5);
            assertThat(free.remaining()).isZero();
            assertThat(free.reason()).isEqualTo(Reason.ofDefault());
            assertThat(free.alternatives())
                    .containsExactly(Alternative.of(PLAN, "PRO", 20), Alternative.of(PLAN, "ENTERPRISE", 1000));
            assertThat(bigRequest.alternatives()).containsExactly(Alternative.of(PLAN, "ENTERPRISE", 1000));
            assertThat(enterprise.allowed()).isFalse();
            assertThat(enterprise.alternatives()).isEmpty();
        }
    }

    @Test
    void check_throughASegment_findsThePlansTheSegmentTests() {
        String fields =
                """
                "entitlements.maxTeamSize": {"rules": [{"id": "paid", "if": {"segment": "paid"}, "value": 20}],
                                             "default": 5}""";
        try (TollgateClient client = client(UNTIL, fields)) {
            LimitCheck check = teamSize(client, "org_globex", "FREE").check(5, 1, 5);

            assertThat(check.alternatives())
                    .containsExactly(Alternative.of(PLAN, "PRO", 20), Alternative.of(PLAN, "ENTERPRISE", 20));
        }
    }

    @Test
    void check_logicThatDoesNotTestThePlan_givesNoAlternatives() {
        String fields =
                """
                "entitlements.maxTeamSize": {"overrides": [{"by": "context.organization.id", "values": {"org_a": 50}}],
                                             "default": 5}""";
        try (TollgateClient client = client(UNTIL, fields)) {
            LimitCheck check = teamSize(client, "org_globex", "FREE").check(5, 1, 5);

            assertThat(check.allowed()).isFalse();
            assertThat(check.alternatives()).isEmpty();
        }
    }

    @Test
    void check_overrideThatAnswersWhateverThePlan_givesNoAlternatives() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            LimitCheck check = teamSize(client, "org_initech", "FREE").check(50, 1, 5);

            assertThat(check.allowed()).isFalse();
            assertThat(check.limit()).isEqualTo(50);
            assertThat(check.reason()).isEqualTo(Reason.override("context.organization.id=org_initech"));
            assertThat(check.alternatives()).isEmpty();
        }
    }

    @Test
    void check_windowedOverrideWithinItsWindow_answersForEveryPlan() {
        try (TollgateClient client = client(UNTIL.minusSeconds(1), TEAM_SIZE)) {
            IntLimit limit = teamSize(client, "org_hooli", "FREE");

            LimitCheck sixth = limit.check(5, 1, 5);
            LimitCheck eleventh = limit.check(10, 1, 5);

            assertThat(sixth.allowed()).isTrue();
            assertThat(sixth.reason()).isEqualTo(Reason.override("context.organization.id=org_hooli"));
            assertThat(eleventh.allowed()).isFalse();
            assertThat(eleventh.alternatives())
                    .as("the trial row answers whatever the plan")
                    .isEmpty();
        }
    }

    @Test
    void check_windowedOverrideThatLapsedAtTheRootsInstant_fallsBackToThePlanValue_andItsAlternatives() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            LimitCheck check = teamSize(client, "org_hooli", "FREE").check(5, 1, 5);

            assertThat(check.allowed()).isFalse();
            assertThat(check.limit()).isEqualTo(5);
            assertThat(check.reason())
                    .isEqualTo(Reason.ofDefault()
                            .withNotes(List.of(
                                    "override context.organization.id=org_hooli lapsed at 2027-01-01T00:00:00Z")));
            assertThat(check.alternatives())
                    .containsExactly(Alternative.of(PLAN, "PRO", 20), Alternative.of(PLAN, "ENTERPRISE", 1000));
        }
    }

    @Test
    void check_withoutASnapshot_fallsBackToTheCallersLimit_withItsReason() {
        try (TollgateClient client = client(UNTIL, null)) {
            LimitCheck allowed = teamSize(client, "org_globex", "FREE").check(4, 1, 5);
            LimitCheck denied = teamSize(client, "org_globex", "FREE").check(5, 1, 5);

            assertThat(allowed.allowed()).isTrue();
            assertThat(allowed.limit()).isEqualTo(5);
            assertThat(allowed.reason())
                    .isEqualTo(Reason.fallback(FallbackCause.NOT_READY, "no snapshot has been installed yet"));
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.alternatives()).isEmpty();
        }
    }

    @Test
    void check_ofAFieldThatIsNotAnInt_fallsBackWithTheTypeMismatch() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            FieldReader reader = reader(client, "org_globex", "FREE");
            LimitCheck check = IntLimit.of(reader, field("entitlements.teamRolesEnabled"), NO_ARGS)
                    .check(7, 1, 3);

            assertThat(check.allowed()).isFalse();
            assertThat(check.limit()).isEqualTo(3);
            assertThat(check.reason())
                    .isEqualTo(Reason.fallback(
                            FallbackCause.TYPE_MISMATCH, "entitlements.teamRolesEnabled is a Boolean, not an Int"));
            assertThat(check.alternatives()).isEmpty();
        }
    }

    @Test
    void check_whenTheLogicHasNoAnswer_usesTheFallback_yetListsThePlansWhoseRulesAnswer() {
        String fields =
                """
                "entitlements.maxTeamSize": {"rules": [{"id": "pro", "if": {"attribute": "context.organization.plan",
                                                                            "op": "eq", "value": "PRO"}, "value": 20}]}""";
        try (TollgateClient client = client(UNTIL, fields)) {
            LimitCheck check = teamSize(client, "org_globex", "FREE").check(3, 1, 3);

            assertThat(check.limit()).isEqualTo(3);
            assertThat(check.reason().fallbackCause()).isEqualTo(FallbackCause.NO_MATCH);
            assertThat(check.alternatives()).containsExactly(Alternative.of(PLAN, "PRO", 20));
        }
    }

    @Test
    void check_ofAFieldWithArguments_evaluatesTheAlternativesWithTheSameArguments() {
        String fields =
                """
                "entitlements.maxApiRequestsPerDay": {"rules": [
                  {"id": "pro-search", "if": {"all": [{"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                                                      {"attribute": "args.endpoint", "op": "eq", "value": "search"}]},
                   "value": 10000},
                  {"id": "enterprise", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "ENTERPRISE"},
                   "value": 50}],
                  "default": 100}""";
        try (TollgateClient client = client(UNTIL, fields)) {
            FieldReader reader = reader(client, "org_globex", "FREE");
            int field = field("entitlements.maxApiRequestsPerDay");

            LimitCheck search =
                    IntLimit.of(reader, field, new Object[] {"search"}).check(100, 1, 7);
            LimitCheck export =
                    IntLimit.of(reader, field, new Object[] {"export"}).check(100, 1, 7);

            assertThat(search.alternatives()).containsExactly(Alternative.of(PLAN, "PRO", 10000));
            assertThat(export.alternatives()).isEmpty();
        }
    }

    @Test
    void check_addsUsedAndRequestedWithoutOverflow() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            LimitCheck check =
                    teamSize(client, "org_globex", "ENTERPRISE").check(Integer.MAX_VALUE, Integer.MAX_VALUE, 5);

            assertThat(check.allowed()).isFalse();
            assertThat(check.remaining()).isZero();
            assertThat(check.alternatives()).isEmpty();
        }
    }

    @Test
    void check_withANegativeAmount_throwsNamingTheArgument() {
        try (TollgateClient client = client(UNTIL, TEAM_SIZE)) {
            IntLimit limit = teamSize(client, "org_globex", "FREE");
            FieldReader reader = reader(client, "org_globex", "FREE");

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> limit.check(-1, 1, 5))
                    .withMessage("used must not be negative, but was -1");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> limit.check(0, -3, 5))
                    .withMessage("requested must not be negative, but was -3");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> reader.limitCheck(field("entitlements.maxTeamSize"), NO_ARGS, 0, -3, 5))
                    .withMessage("requested must not be negative, but was -3");
        }
    }

    @Test
    void check_theHypotheticalEvaluations_areNeitherCountedNorExposed() throws Exception {
        String fields =
                """
                "entitlements.maxTeamSize": {"rules": [
                  {"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                   "split": {"by": "context.user.id", "seed": "seats", "arms": [{"id": "all", "weight": 100, "value": 25}]}}],
                  "default": 5}""";
        RecordingSink sink = new RecordingSink();
        try (TollgateClient client = TollgateClient.builder(SEED)
                .logs(LogOptions.builder()
                        .sink(sink)
                        .flushInterval(Duration.ofHours(1))
                        .build())
                .build()) {
            client.loadSnapshot(snapshot(fields));

            LimitCheck check = teamSize(client, "org_globex", "FREE").check(5, 1, 5);
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(check.alternatives()).containsExactly(Alternative.of(PLAN, "PRO", 25));
            assertThat(sink.count("entitlements.maxTeamSize", "default")).isEqualTo(1);
            assertThat(sink.batches)
                    .flatMap(LogBatch::evaluations)
                    .extracting(LogBatch.EvaluationCount::outcome)
                    .containsExactly("default");
            assertThat(sink.batches).flatMap(LogBatch::exposures).isEmpty();
        }
    }

    @Test
    void limitCheck_isAValue() {
        LimitCheck denied = LimitCheck.of(5, 5, 1, Reason.ofDefault(), List.of(Alternative.of(PLAN, "PRO", 20)));

        assertThat(denied)
                .isEqualTo(LimitCheck.of(5, 5, 1, Reason.ofDefault(), List.of(Alternative.of(PLAN, "PRO", 20))))
                .hasSameHashCodeAs(LimitCheck.of(5, 5, 1, Reason.ofDefault(), List.of(Alternative.of(PLAN, "PRO", 20))))
                .isNotEqualTo(LimitCheck.of(5, 5, 1, Reason.ofDefault(), List.of()))
                .hasToString("LimitCheck[denied, used 5 + requested 1 > limit 5 (default),"
                        + " alternatives=[context.organization.plan=PRO: 20]]");
        assertThat(LimitCheck.of(20, 3, 1, Reason.rule("pro"), List.of()))
                .hasToString("LimitCheck[allowed, used 3 + requested 1 <= limit 20 (rule:pro)]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LimitCheck.of(20, 3, 1, Reason.rule("pro"), List.of(Alternative.of(PLAN, "PRO", 20))))
                .withMessage("an allowed check has no alternatives, but was given [context.organization.plan=PRO: 20]");
    }
}
