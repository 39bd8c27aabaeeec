package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.DynamicInput;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link FieldPlan}: a field's own logic, then its enclosing object's; and the notes on skipped override rows, which
 * follow the same precedence without evaluating anything again.
 */
class FieldPlanTest {
    private static final SchemaModel SCHEMA = SchemaParser.parse(
            """
            input Context { organization: Organization!  user: User }
            input Organization { id: String!  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }
            type Root { entitlements: Entitlements! }
            type Entitlements { maxTeamSize: Int!  teamRolesEnabled: Boolean! }
            """,
            "plan.graphql");

    private static final long NOW = Instant.parse("2027-06-01T00:00:00Z").toEpochMilli();
    private static final Object[] NO_ARGS = {};

    /** Each exposure as {@code field/rule/arm/unit}. */
    private final List<String> exposures = new ArrayList<>();

    /**
     * Team size: a lapsed row for org_hooli, then Pro users in split "pro" (25), no default; the enclosing object: its
     * own row for org_hooli, lapsed earlier, then 5.
     */
    private final CompiledSnapshot snapshot = SnapshotCompiler.compile(
            SCHEMA,
            SnapshotLimits.defaults(),
            """
            {"format": 1, "revision": 1, "schemaHash": "%s",
             "fields": {
               "entitlements": {
                 "overrides": [{"by": "context.organization.id",
                                "rows": {"org_hooli": {"value": {"maxTeamSize": 9, "teamRolesEnabled": true},
                                                       "until": "2026-01-01T00:00:00Z"}}}],
                 "default": {"maxTeamSize": 5, "teamRolesEnabled": false}},
               "entitlements.maxTeamSize": {
                 "overrides": [{"by": "context.organization.id",
                                "rows": {"org_hooli": {"value": 10, "until": "2027-01-01T00:00:00Z"}}}],
                 "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                            "split": {"by": "context.user.id", "seed": "seats",
                                      "arms": [{"id": "all", "weight": 100, "value": 25}]}}]}}}
            """
                    .formatted(SCHEMA.hash())
                    .getBytes(StandardCharsets.UTF_8),
            (field, rule, arm, unit) -> exposures.add(field + "/" + rule + "/" + arm + "/" + unit));

    private static final String OWN_LAPSED =
            "override context.organization.id=org_hooli lapsed at 2027-01-01T00:00:00Z";
    private static final String ENCLOSING_LAPSED =
            "override context.organization.id=org_hooli lapsed at 2026-01-01T00:00:00Z";

    private static DynamicInput hooli(String plan, Map<String, ?> user) {
        return DynamicInput.context(
                ApiAccess.schema(SCHEMA),
                user == null
                        ? Map.of("organization", Map.of("id", "org_hooli", "plan", plan))
                        : Map.of("organization", Map.of("id", "org_hooli", "plan", plan), "user", user));
    }

    private static int teamSize() {
        return SCHEMA.fieldIndex("entitlements.maxTeamSize");
    }

    /** Regression: the notes evaluated the own logic again to see whether it answered, reaching its split twice. */
    @Test
    void skippedOverrideRows_whenTheOwnLogicAnswersWithASplit_recordNoExposure_andOmitTheEnclosingRows() {
        DynamicInput pro = hooli("PRO", Map.of("id", "u_1"));

        Outcome outcome = snapshot.evaluate(teamSize(), pro, NO_ARGS, NOW);
        List<String> notes = snapshot.skippedOverrideRows(teamSize(), pro, NO_ARGS, NOW);

        assertThat(outcome.intValue()).isEqualTo(25);
        assertThat(outcome.reason().label()).isEqualTo("split:pro:all");
        assertThat(notes).containsExactly(OWN_LAPSED);
        assertThat(exposures).containsExactly("entitlements.maxTeamSize/pro/all/u_1");
    }

    @Test
    void skippedOverrideRows_whenTheOwnLogicHasNoMatch_addTheEnclosingRows_andRecordNoExposure() {
        DynamicInput free = hooli("FREE", Map.of("id", "u_1"));

        Outcome outcome = snapshot.evaluate(teamSize(), free, NO_ARGS, NOW);
        List<String> notes = snapshot.skippedOverrideRows(teamSize(), free, NO_ARGS, NOW);

        assertThat(outcome.intValue()).isEqualTo(5);
        assertThat(outcome.reason().label()).isEqualTo("default");
        assertThat(notes).containsExactly(OWN_LAPSED, ENCLOSING_LAPSED);
        assertThat(exposures).isEmpty();
    }

    /** A rule that holds answers, even when its split has no unit: the enclosing rows are not the ones passed over. */
    @Test
    void skippedOverrideRows_whenTheSplitUnitIsAbsent_stillCountTheRuleAsTheAnswer() {
        DynamicInput noUser = hooli("PRO", null);

        Outcome outcome = snapshot.evaluate(teamSize(), noUser, NO_ARGS, NOW);
        List<String> notes = snapshot.skippedOverrideRows(teamSize(), noUser, NO_ARGS, NOW);

        assertThat(outcome.reason().label()).isEqualTo("fallback:MISSING_CONTEXT_ATTRIBUTE");
        assertThat(notes).containsExactly(OWN_LAPSED);
        assertThat(exposures).isEmpty();
    }

    @Test
    void skippedOverrideRows_withoutSkippedRows_isTheSharedEmptyList() {
        DynamicInput other = DynamicInput.context(
                ApiAccess.schema(SCHEMA),
                Map.of("organization", Map.of("id", "org_7", "plan", "PRO"), "user", Map.of("id", "u_1")));

        assertThat(snapshot.skippedOverrideRows(teamSize(), other, NO_ARGS, NOW))
                .isSameAs(List.of());
        assertThat(exposures).isEmpty();
    }
}
