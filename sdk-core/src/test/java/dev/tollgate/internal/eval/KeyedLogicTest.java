package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.schema.InputAttribute;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import dev.tollgate.runtime.InputValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyedLogic}, the specialized plan a counted read takes: each shape it folds answers exactly as the general
 * path ({@link CompiledLogic#evaluate}) does, and the shapes it does not take stay on the general path.
 */
class KeyedLogicTest {
    private static final SchemaModel SCHEMA = SchemaParser.parse(
            """
            input Context { organization: Organization  user: User  region: String  beta: Boolean }
            input Organization { id: String  plan: Plan }
            input User { id: String }
            enum Plan { FREE PRO ENTERPRISE }
            type Root { entitlements: Entitlements  limits: Limits }
            type Entitlements { maxTeamSize: Int!  maxApiRequestsPerDay(endpoint: String!): Int! }
            type Limits { seats: Int!  storage: Int! }
            """,
            "keyed.graphql");

    private static final long NOW = Instant.parse("2027-06-01T00:00:00Z").toEpochMilli();
    private static final Object[] NO_ARGS = {};
    private static final String BY_PLAN = "\"attribute\": \"context.organization.plan\", \"op\": \"eq\"";
    private static final String TABLE =
            "\"overrides\": [{\"by\": \"context.organization.id\", \"values\": {\"org_a\": 50}}]";

    /** Each exposure as {@code field/rule/arm/unit}. */
    private final List<String> exposures = new ArrayList<>();

    // ---- the specialized shapes ----

    @Test
    void evaluate_tableThenEqRunOnAnEnum_foldsTheRun_andAnswersAsTheRules() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                %s,
                "rules": [{"id": "ent", "if": {%s, "value": "ENTERPRISE"}, "value": 1000},
                          {"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(TABLE, BY_PLAN, BY_PLAN)));
        KeyedLogic keyed = snapshot.plan(teamSizeIndex()).keyed();

        assertThat(keyed).isNotNull();
        assertThat(keyed.readsTable()).isTrue();
        assertThat(keyed.runSlot()).isEqualTo(slot("organization.plan"));
        assertThat(keyed.rulesAfterRun()).isZero();
        assertAnswer(snapshot, context("org_a", "PRO"), 50, "override");
        assertAnswer(snapshot, context("org_b", "ENTERPRISE"), 1000, "rule:ent");
        assertAnswer(snapshot, context("org_b", "PRO"), 20, "rule:pro");
        assertAnswer(snapshot, context("org_b", "FREE"), 5, "default");
        assertAnswer(snapshot, context(null, "ENTERPRISE"), 1000, "rule:ent");
    }

    /** An enum value that is not the interned literal, as a dynamic input may give it, is compared by equality. */
    @Test
    void evaluate_enumValueNotInterned_matchesByEquality() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "ent", "if": {%s, "value": "ENTERPRISE"}, "value": 1000},
                          {"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(BY_PLAN, BY_PLAN)));
        String pro = new String("PRO".toCharArray());
        String free = new String("FREE".toCharArray());

        assertThat(snapshot.plan(teamSizeIndex()).keyed().readsTable()).isFalse();
        assertThat(pro).isNotSameAs("PRO");
        assertAnswer(snapshot, context("org_b", pro), 20, "rule:pro");
        assertAnswer(snapshot, context("org_b", free), 5, "default");
        assertAnswer(snapshot, context("org_b", "GOLD"), 5, "default");
    }

    @Test
    void evaluate_absentEnumOrAbsentObject_matchesNoFoldedRule() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                %s,
                "rules": [{"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(TABLE, BY_PLAN)));

        assertAnswer(snapshot, context("org_b", null), 5, "default");
        assertAnswer(snapshot, context("org_a", null), 50, "override");
        assertAnswer(snapshot, new Slots(), 5, "default");
    }

    @Test
    void evaluate_withoutDefault_endsInTheNoMatchFallback() {
        CompiledSnapshot snapshot = compile(
                teamSize("""
                "rules": [{"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}]"""
                        .formatted(BY_PLAN)));

        assertThat(snapshot.plan(teamSizeIndex()).keyed()).isNotNull();
        assertAnswer(snapshot, context("org_b", "PRO"), 20, "rule:pro");
        assertAnswer(snapshot, context("org_b", "FREE"), 0, "fallback:NO_MATCH");
    }

    /** A later rule with the same operand is never reached: the first one answers. */
    @Test
    void evaluate_repeatedOperand_theFirstRuleAnswers() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "pro", "if": {%s, "value": "PRO"}, "value": 20},
                          {"id": "pro-again", "if": {%s, "value": "PRO"}, "value": 99}],
                "default": 5"""
                        .formatted(BY_PLAN, BY_PLAN)));

        assertThat(snapshot.plan(teamSizeIndex()).keyed().rulesAfterRun()).isZero();
        assertAnswer(snapshot, context("org_b", "PRO"), 20, "rule:pro");
    }

    @Test
    void evaluate_splitRuleAfterTheRun_isEvaluatedAfterIt_andRecordsItsExposure() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "ent", "if": {%s, "value": "ENTERPRISE"}, "value": 1000},
                          {"id": "pro", "if": {%s, "value": "PRO"},
                           "split": {"by": "context.user.id", "seed": "seats",
                                     "arms": [{"id": "all", "weight": 100, "value": 25}]}}],
                "default": 5"""
                        .formatted(BY_PLAN, BY_PLAN)));

        assertThat(snapshot.plan(teamSizeIndex()).keyed().rulesAfterRun()).isEqualTo(1);
        assertAnswer(snapshot, context("org_b", "ENTERPRISE"), 1000, "rule:ent");
        assertThat(exposures).isEmpty();
        Outcome split =
                snapshot.evaluate(teamSizeIndex(), context("org_b", "PRO").with("user.id", "u_1"), NO_ARGS, NOW);
        assertThat(split.intValue()).isEqualTo(25);
        assertThat(split.reason().label()).isEqualTo("split:pro:all");
        assertThat(exposures).containsExactly("entitlements.maxTeamSize/pro/all/u_1");
        assertThat(snapshot.evaluate(teamSizeIndex(), context("org_b", "PRO"), NO_ARGS, NOW)
                        .reason()
                        .label())
                .isEqualTo("fallback:MISSING_CONTEXT_ATTRIBUTE");
        assertAnswer(snapshot, context("org_b", "FREE"), 5, "default");
    }

    /** A rule with a window ends the run: it and the rules after it are evaluated in order, at the given instant. */
    @Test
    void evaluate_ruleWithAWindow_endsTheRun_andKeepsItsWindow() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "ent", "if": {%s, "value": "ENTERPRISE"}, "value": 1000},
                          {"id": "promo", "if": {%s, "value": "PRO"}, "value": 40,
                           "from": "2027-01-01T00:00:00Z", "until": "2027-03-01T00:00:00Z"},
                          {"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(BY_PLAN, BY_PLAN, BY_PLAN)));
        long inPromo = Instant.parse("2027-02-01T00:00:00Z").toEpochMilli();

        assertThat(snapshot.plan(teamSizeIndex()).keyed().rulesAfterRun()).isEqualTo(2);
        assertAnswer(snapshot, context("org_b", "PRO"), 20, "rule:pro");
        Outcome promo = snapshot.evaluate(teamSizeIndex(), context("org_b", "PRO"), NO_ARGS, inPromo);
        assertThat(promo.intValue()).isEqualTo(40);
        assertThat(promo.reason().label()).isEqualTo("rule:promo");
        assertAnswer(snapshot, context("org_b", "ENTERPRISE"), 1000, "rule:ent");
    }

    @Test
    void evaluate_firstRuleWithAWindow_foldsNothing() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "promo", "if": {%s, "value": "PRO"}, "value": 40,
                           "until": "2027-03-01T00:00:00Z"},
                          {"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(BY_PLAN, BY_PLAN)));
        long before = Instant.parse("2027-02-01T00:00:00Z").toEpochMilli();

        assertThat(snapshot.plan(teamSizeIndex()).keyed().runSlot()).isEqualTo(-1);
        assertThat(snapshot.plan(teamSizeIndex()).keyed().rulesAfterRun()).isEqualTo(2);
        assertAnswer(snapshot, context("org_b", "PRO"), 20, "rule:pro");
        assertThat(snapshot.evaluate(teamSizeIndex(), context("org_b", "PRO"), NO_ARGS, before)
                        .intValue())
                .isEqualTo(40);
    }

    /** An {@code eq} on another attribute ends the run, and rules keep their order around it. */
    @Test
    void evaluate_eqOnAnotherAttributeBetween_keepsRuleOrder() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "free", "if": {%s, "value": "FREE"}, "value": 5},
                          {"id": "eu", "if": {"attribute": "context.region", "op": "eq", "value": "EU"}, "value": 30},
                          {"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 1"""
                        .formatted(BY_PLAN, BY_PLAN)));

        assertThat(snapshot.plan(teamSizeIndex()).keyed().rulesAfterRun()).isEqualTo(2);
        assertAnswer(snapshot, context("org_b", "PRO").with("region", "EU"), 30, "rule:eu");
        assertAnswer(snapshot, context("org_b", "PRO").with("region", "US"), 20, "rule:pro");
        assertAnswer(snapshot, context("org_b", "FREE").with("region", "EU"), 5, "rule:free");
        assertAnswer(snapshot, context("org_b", "ENTERPRISE").with("region", "EU"), 30, "rule:eu");
        assertAnswer(snapshot, context("org_b", "ENTERPRISE"), 1, "default");
    }

    /** A run on a string attribute, not an enum: its operands are the only keys; other values are compared. */
    @Test
    void evaluate_runOnAStringAttribute_comparesValuesThatAreNotTheOperands() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "eu", "if": {"attribute": "context.region", "op": "eq", "value": "EU"}, "value": 30},
                          {"id": "us", "if": {"attribute": "context.region", "op": "eq", "value": "US"}, "value": 40},
                          {"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 1"""
                        .formatted(BY_PLAN)));

        assertThat(snapshot.plan(teamSizeIndex()).keyed().runSlot()).isEqualTo(slot("region"));
        assertThat(snapshot.plan(teamSizeIndex()).keyed().rulesAfterRun()).isEqualTo(1);
        assertAnswer(snapshot, context("org_b", "PRO").with("region", new String("US".toCharArray())), 40, "rule:us");
        assertAnswer(snapshot, context("org_b", "PRO").with("region", "APAC"), 20, "rule:pro");
        assertAnswer(snapshot, context("org_b", "FREE"), 1, "default");
    }

    /** {@code ne} is false on an absent attribute and true on another value: it is not folded. */
    @Test
    void evaluate_neRule_isNotFolded() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "paid", "if": {"attribute": "context.organization.plan", "op": "ne",
                                                "value": "FREE"}, "value": 20}],
                "default": 5"""
                        .formatted()));

        assertThat(snapshot.plan(teamSizeIndex()).keyed().runSlot()).isEqualTo(-1);
        assertAnswer(snapshot, context("org_b", "PRO"), 20, "rule:paid");
        assertAnswer(snapshot, context("org_b", "FREE"), 5, "default");
        assertAnswer(snapshot, context("org_b", null), 5, "default");
    }

    /** An {@code eq} on a Boolean attribute is not a string comparison: it is evaluated as a rule. */
    @Test
    void evaluate_eqOnABoolean_isNotFolded() {
        CompiledSnapshot snapshot = compile(
                teamSize(
                        """
                "rules": [{"id": "beta", "if": {"attribute": "context.beta", "op": "eq", "value": true}, "value": 8}],
                "default": 5"""));

        assertThat(snapshot.plan(teamSizeIndex()).keyed().runSlot()).isEqualTo(-1);
        assertAnswer(snapshot, context("org_b", "PRO").with("beta", true), 8, "rule:beta");
        assertAnswer(snapshot, context("org_b", "PRO").with("beta", false), 5, "default");
    }

    @Test
    void evaluate_windowedRowsInTheTable_areCheckedAtTheInstant() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "overrides": [{"by": "context.organization.id",
                               "rows": {"org_a": {"value": 50, "until": "2027-01-01T00:00:00Z"},
                                        "org_c": {"value": 60, "from": "2027-01-01T00:00:00Z"}}}],
                "rules": [{"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(BY_PLAN)));
        long earlier = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();

        assertThat(snapshot.plan(teamSizeIndex()).keyed().readsTable()).isTrue();
        assertAnswer(snapshot, context("org_a", "PRO"), 20, "rule:pro");
        assertAnswer(snapshot, context("org_c", "PRO"), 60, "override");
        assertThat(snapshot.evaluate(teamSizeIndex(), context("org_a", "PRO"), NO_ARGS, earlier)
                        .intValue())
                .isEqualTo(50);
        assertThat(snapshot.evaluate(teamSizeIndex(), context("org_c", "FREE"), NO_ARGS, earlier)
                        .intValue())
                .isEqualTo(5);
        assertThat(snapshot.skippedOverrideRows(teamSizeIndex(), context("org_a", "PRO"), NO_ARGS, NOW))
                .containsExactly("override context.organization.id=org_a lapsed at 2027-01-01T00:00:00Z");
        assertThat(snapshot.matchedOverrideKey(teamSizeIndex(), context("org_c", "PRO"), NO_ARGS, NOW))
                .isEqualTo("context.organization.id=org_c");
    }

    /** Limit checks try the other enum values on the general path; the folded run gives the same answers. */
    @Test
    void alternatives_ofAFoldedRun_listTheOtherPlans() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "rules": [{"id": "ent", "if": {%s, "value": "ENTERPRISE"}, "value": 1000},
                          {"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(BY_PLAN, BY_PLAN)));

        assertThat(snapshot.alternatives(teamSizeIndex(), context("org_b", "FREE"), NO_ARGS, NOW, 10))
                .extracting(a -> a.value() + "=" + a.limit())
                .containsExactly("PRO=20", "ENTERPRISE=1000");
    }

    // ---- the general path ----

    @Test
    void evaluate_twoOverrideTables_takesTheGeneralPath() {
        CompiledSnapshot snapshot = compile(teamSize(
                """
                "overrides": [{"by": "context.organization.id", "values": {"org_a": 50}},
                              {"by": "context.user.id", "values": {"u_1": 70}}],
                "rules": [{"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                "default": 5"""
                        .formatted(BY_PLAN)));

        assertThat(snapshot.plan(teamSizeIndex()).keyed()).isNull();
        assertAnswer(snapshot, context("org_a", "PRO").with("user.id", "u_1"), 50, "override");
        assertAnswer(snapshot, context("org_b", "PRO").with("user.id", "u_1"), 70, "override");
        assertAnswer(snapshot, context("org_b", "PRO"), 20, "rule:pro");
    }

    @Test
    void evaluate_tableKeyedByAnArgument_takesTheGeneralPath() {
        int field = SCHEMA.fieldIndex("entitlements.maxApiRequestsPerDay");
        CompiledSnapshot snapshot = compile(
                """
                "entitlements.maxApiRequestsPerDay": {
                  "overrides": [{"by": "args.endpoint", "values": {"search": 7}}],
                  "rules": [{"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}],
                  "default": 5}"""
                        .formatted(BY_PLAN));

        assertThat(snapshot.plan(field).keyed()).isNull();
        assertThat(snapshot.evaluate(field, context("org_b", "PRO"), new Object[] {"search"}, NOW)
                        .intValue())
                .isEqualTo(7);
        assertThat(snapshot.evaluate(field, context("org_b", "PRO"), new Object[] {"export"}, NOW)
                        .intValue())
                .isEqualTo(20);
        assertThat(snapshot.evaluate(field, context("org_b", "FREE"), new Object[] {"export"}, NOW)
                        .intValue())
                .isEqualTo(5);
    }

    /** A field with enclosing logic takes the general path, which falls back to the enclosing value on no match. */
    @Test
    void evaluate_withEnclosingLogic_takesTheGeneralPath() {
        int seats = SCHEMA.fieldIndex("limits.seats");
        int storage = SCHEMA.fieldIndex("limits.storage");
        CompiledSnapshot snapshot = compile(
                """
                "limits": {"rules": [{"id": "ent", "if": {%s, "value": "ENTERPRISE"},
                                      "value": {"seats": 100, "storage": 1000}}],
                           "default": {"seats": 1, "storage": 10}},
                "limits.seats": {"rules": [{"id": "pro", "if": {%s, "value": "PRO"}, "value": 20}]}"""
                        .formatted(BY_PLAN, BY_PLAN));

        assertThat(snapshot.plan(seats).keyed()).isNull();
        assertThat(snapshot.plan(storage).keyed()).isNull();
        assertThat(snapshot.evaluate(seats, context("org_b", "PRO"), NO_ARGS, NOW)
                        .intValue())
                .isEqualTo(20);
        assertThat(snapshot.evaluate(seats, context("org_b", "ENTERPRISE"), NO_ARGS, NOW)
                        .intValue())
                .isEqualTo(100);
        assertThat(snapshot.evaluate(seats, context("org_b", "FREE"), NO_ARGS, NOW)
                        .intValue())
                .isEqualTo(1);
        assertThat(snapshot.evaluate(storage, context("org_b", "PRO"), NO_ARGS, NOW)
                        .intValue())
                .isEqualTo(10);
    }

    @Test
    void evaluate_withoutLogic_isTheNoLogicFallback() {
        CompiledSnapshot snapshot = compile(teamSize("\"default\": 5"));
        int field = SCHEMA.fieldIndex("entitlements.maxApiRequestsPerDay");

        assertThat(snapshot.plan(field).keyed()).isNull();
        assertThat(snapshot.evaluate(field, context("org_b", "PRO"), NO_ARGS, NOW)
                        .reason()
                        .label())
                .isEqualTo("fallback:NO_LOGIC");
        assertAnswer(snapshot, context("org_b", "PRO"), 5, "default");
    }

    // ---- helpers ----

    /**
     * Asserts the counted read's value and reason, and that the general path gives the same outcome object (so the
     * same counter slot).
     */
    private void assertAnswer(CompiledSnapshot snapshot, InputValue context, int value, String label) {
        Outcome outcome = snapshot.evaluate(teamSizeIndex(), context, NO_ARGS, NOW);
        assertThat(outcome.intValue()).isEqualTo(value);
        assertThat(outcome.reason().label()).isEqualTo(label);
        FieldPlan plan = snapshot.plan(teamSizeIndex());
        if (plan.own() != null) {
            assertThat(plan.own().evaluate(context, NO_ARGS, NOW, false)).isSameAs(outcome);
        }
    }

    private static int teamSizeIndex() {
        return SCHEMA.fieldIndex("entitlements.maxTeamSize");
    }

    private static String teamSize(String logic) {
        return "\"entitlements.maxTeamSize\": {" + logic + "}";
    }

    private CompiledSnapshot compile(String fields) {
        return SnapshotCompiler.compile(
                SCHEMA,
                SnapshotLimits.defaults(),
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {%s}}"""
                        .formatted(SCHEMA.hash(), fields)
                        .getBytes(StandardCharsets.UTF_8),
                (field, rule, arm, unit) -> exposures.add(field + "/" + rule + "/" + arm + "/" + unit));
    }

    private static int slot(String path) {
        for (InputAttribute attribute : SCHEMA.contextLayout().attributes()) {
            if (attribute.path().equals(path)) {
                return attribute.slot();
            }
        }
        throw new IllegalArgumentException(path);
    }

    private static Slots context(String organization, String plan) {
        return new Slots().with("organization.id", organization).with("organization.plan", plan);
    }

    /** A context by slot, as generated inputs give it: enum values as they are passed (literals are interned). */
    private static final class Slots implements InputValue {
        private final Object[] values;

        Slots() {
            this(new Object[SCHEMA.contextLayout().attributes().size()]);
        }

        private Slots(Object[] values) {
            this.values = values;
        }

        Slots with(String path, Object value) {
            Object[] copy = Arrays.copyOf(values, values.length);
            copy[slot(path)] = value;
            return new Slots(copy);
        }

        @Override
        public String inputTypeName() {
            return "Context";
        }

        @Override
        public Object attribute(int slot) {
            return values[slot];
        }
    }
}
