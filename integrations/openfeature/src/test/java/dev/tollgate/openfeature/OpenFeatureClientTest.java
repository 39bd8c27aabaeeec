package dev.tollgate.openfeature;

import static dev.tollgate.openfeature.Fixtures.args;
import static dev.tollgate.openfeature.Fixtures.context;
import static dev.tollgate.openfeature.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.tollgate.TollgateClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider as applications use it: through OpenFeature's API and client. */
class OpenFeatureClientTest {
    private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    private final TollgateClient tollgate = Fixtures.client();
    private Client client;

    @BeforeEach
    void setProvider() {
        api.setProviderAndWait(
                TollgateProvider.newBuilder(tollgate).targetingKey("user.id").build());
        client = api.getClient();
    }

    @AfterEach
    void shutdown() {
        api.shutdown();
        tollgate.close();
    }

    @Test
    void override_isTargetingMatch_withOverrideVariantAndKey() {
        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxTeamSize", 5, context("org_big", "FREE", "u_1"));

        assertThat(details.getValue()).isEqualTo(50);
        assertThat(details.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
        assertThat(details.getVariant()).isEqualTo("override");
        assertThat(details.getErrorCode()).isNull();
        assertThat(details.getFlagMetadata().getString("tollgate.reason")).isEqualTo("override");
        assertThat(details.getFlagMetadata().getString("tollgate.override"))
                .isEqualTo("context.organization.id=org_big");
        assertThat(details.getFlagMetadata().getLong("tollgate.revision")).isEqualTo(1L);
    }

    @Test
    void rule_isTargetingMatch_withRuleIdAsVariant() {
        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxTeamSize", 5, context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isEqualTo(20);
        assertThat(details.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
        assertThat(details.getVariant()).isEqualTo("pro");
        assertThat(details.getFlagMetadata().getString("tollgate.reason")).isEqualTo("rule:pro");
    }

    @Test
    void split_isSplit_withArmAsVariant() {
        FlagEvaluationDetails<Boolean> details =
                client.getBooleanDetails("entitlements.versionHistoryEnabled", false, context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isTrue();
        assertThat(details.getReason()).isEqualTo(Reason.SPLIT.name());
        assertThat(details.getVariant()).isEqualTo("on");
        assertThat(details.getFlagMetadata().getString("tollgate.reason")).isEqualTo("split:rollout:on");
    }

    @Test
    void fieldDefault_isDefault_withDefaultVariant() {
        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxTeamSize", 5, context("org_7", "FREE", "u_1"));

        assertThat(details.getValue()).isEqualTo(3);
        assertThat(details.getReason()).isEqualTo(Reason.DEFAULT.name());
        assertThat(details.getVariant()).isEqualTo("default");
        assertThat(details.getFlagMetadata().getString("tollgate.reason")).isEqualTo("default");
    }

    @Test
    void noLogic_isDefault_withCallersValueAndFallbackVariant_noError() {
        FlagEvaluationDetails<Boolean> details =
                client.getBooleanDetails("entitlements.teamRolesEnabled", true, context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isTrue();
        assertThat(details.getReason()).isEqualTo(Reason.DEFAULT.name());
        assertThat(details.getVariant()).isEqualTo("fallback");
        assertThat(details.getErrorCode()).isNull();
        assertThat(details.getFlagMetadata().getString("tollgate.reason")).isEqualTo("fallback:NO_LOGIC");
    }

    @Test
    void noMatch_isDefault_withCallersValue() {
        FlagEvaluationDetails<String> details =
                client.getStringDetails("entitlements.brandName", "Acme", context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isEqualTo("Acme");
        assertThat(details.getReason()).isEqualTo(Reason.DEFAULT.name());
        assertThat(details.getVariant()).isEqualTo("fallback");
        assertThat(details.getFlagMetadata().getString("tollgate.reason")).isEqualTo("fallback:NO_MATCH");
    }

    @Test
    void unknownField_isFlagNotFound() {
        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxSeats", 5, context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isEqualTo(5);
        assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
        assertThat(details.getErrorMessage()).contains("entitlements.maxSeats");
    }

    @Test
    void typeMismatch_isTypeMismatch_namingTheAnswer() {
        FlagEvaluationDetails<Boolean> details =
                client.getBooleanDetails("entitlements.maxTeamSize", false, context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isFalse();
        assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(details.getErrorMessage()).isEqualTo("entitlements.maxTeamSize answered 20 (an Int), not a Boolean");
    }

    @Test
    void intField_asDouble_isTypeMismatch_asLong_isWidened() {
        ImmutableContext ctx = context("org_7", "PRO", "u_1");

        assertThat(client.getDoubleDetails("entitlements.maxTeamSize", 1.5, ctx).getErrorCode())
                .isEqualTo(ErrorCode.TYPE_MISMATCH);
        FlagEvaluationDetails<Long> asLong = client.getLongDetails("entitlements.maxTeamSize", 5L, ctx);
        assertThat(asLong.getValue()).isEqualTo(20L);
        assertThat(asLong.getVariant()).isEqualTo("pro");
    }

    @Test
    void floatField_fromSplitOnRegion() {
        ImmutableContext ctx = with(context("org_7", "PRO", "u_1"), Map.of("region", new Value("eu")));

        FlagEvaluationDetails<Double> details = client.getDoubleDetails("entitlements.storageGb", 1.0, ctx);

        assertThat(details.getValue()).isEqualTo(10.5);
        assertThat(details.getReason()).isEqualTo(Reason.SPLIT.name());
        assertThat(details.getVariant()).isEqualTo("small");
    }

    @Test
    void splitUnitMissing_isInvalidContext() {
        FlagEvaluationDetails<Double> details =
                client.getDoubleDetails("entitlements.storageGb", 1.0, context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isEqualTo(1.0);
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).contains("context.region");
        assertThat(details.getFlagMetadata().getString("tollgate.reason"))
                .isEqualTo("fallback:MISSING_CONTEXT_ATTRIBUTE");
    }

    @Test
    void missingRequiredAttribute_isInvalidContext_namingIt() {
        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxTeamSize", 5, new ImmutableContext("u_1"));

        assertThat(details.getValue()).isEqualTo(5);
        assertThat(details.getReason()).isEqualTo(Reason.ERROR.name());
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).isEqualTo("Context.organization: required Organization! is missing");
    }

    @Test
    void badEnumValue_isInvalidContext_namingIt() {
        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxTeamSize", 5, context("org_7", "GOLD", "u_1"));

        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage())
                .isEqualTo("Context.organization.plan: \"GOLD\" is not a value of enum Plan");
    }

    @Test
    void unknownAttribute_isInvalidContext() {
        ImmutableContext ctx = with(context("org_7", "PRO", "u_1"), Map.of("country", new Value("de")));

        FlagEvaluationDetails<Integer> details = client.getIntegerDetails("entitlements.maxTeamSize", 5, ctx);

        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).isEqualTo("Context: Context has no field country");
    }

    @Test
    void fieldArguments_fromTheArgsStructure() {
        ImmutableContext ctx = context("org_7", "PRO", "u_1");

        FlagEvaluationDetails<Integer> search = client.getIntegerDetails(
                "entitlements.maxApiRequestsPerDay", 5, with(ctx, Map.of("args", args("endpoint", "search"))));
        FlagEvaluationDetails<Integer> export = client.getIntegerDetails(
                "entitlements.maxApiRequestsPerDay", 5, with(ctx, Map.of("args", args("endpoint", "export"))));

        assertThat(search.getValue()).isEqualTo(1000);
        assertThat(search.getVariant()).isEqualTo("search");
        assertThat(export.getValue()).isEqualTo(100);
        assertThat(export.getReason()).isEqualTo(Reason.DEFAULT.name());
    }

    @Test
    void missingArgument_isInvalidContext() {
        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxApiRequestsPerDay", 5, context("org_7", "PRO", "u_1"));

        assertThat(details.getValue()).isEqualTo(5);
        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).contains("entitlements.maxApiRequestsPerDay(endpoint)");
    }

    @Test
    void argumentTheFieldDoesNotHave_isInvalidContext() {
        ImmutableContext ctx = with(context("org_7", "PRO", "u_1"), Map.of("args", args("endpoint", "search")));

        FlagEvaluationDetails<Integer> details = client.getIntegerDetails("entitlements.maxTeamSize", 5, ctx);

        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).isEqualTo("entitlements.maxTeamSize has no argument endpoint");
    }

    @Test
    void argsThatAreNotAStructure_isInvalidContext() {
        ImmutableContext ctx = with(context("org_7", "PRO", "u_1"), Map.of("args", new Value("search")));

        FlagEvaluationDetails<Integer> details = client.getIntegerDetails("entitlements.maxApiRequestsPerDay", 5, ctx);

        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).startsWith("the context attribute args holds the field arguments");
    }

    @Test
    void contextLevels_areMerged_apiContextWithInvocationContext() {
        api.setEvaluationContext(new ImmutableContext(Map.of("organization", Fixtures.organization("org_7", "PRO"))));

        FlagEvaluationDetails<Integer> details =
                client.getIntegerDetails("entitlements.maxTeamSize", 5, new ImmutableContext("u_1"));

        assertThat(details.getValue()).isEqualTo(20);
    }

    @Test
    void numbersInstantsAndIntegralDoubles_reachTheirAttributes() {
        ImmutableContext trial = with(
                context("org_7", "FREE", "u_1"),
                Map.of("trialEndsAt", new Value(Instant.parse("2030-01-31T00:00:00Z"))));
        ImmutableContext big = with(context("org_7", "FREE", "u_1"), Map.of("seats", new Value(12.0)));

        assertThat(client.getStringValue("entitlements.brandName", "Acme", trial))
                .isEqualTo("Trial");
        assertThat(client.getStringValue("entitlements.brandName", "Acme", big)).isEqualTo("Big");
    }

    @Test
    void fractionalNumberForAnInt_isInvalidContext() {
        ImmutableContext ctx = with(context("org_7", "FREE", "u_1"), Map.of("seats", new Value(12.5)));

        FlagEvaluationDetails<String> details = client.getStringDetails("entitlements.brandName", "Acme", ctx);

        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
        assertThat(details.getErrorMessage()).isEqualTo("Context.seats: 12.5 is not an Int");
    }

    @Test
    void enumField_asString_andAsObject() {
        ImmutableContext ctx = context("org_7", "ENTERPRISE", "u_1");

        assertThat(client.getStringValue("entitlements.supportTier", "BASIC", ctx))
                .isEqualTo("PRIORITY");
        FlagEvaluationDetails<Value> object =
                client.getObjectDetails("entitlements.supportTier", new Value("BASIC"), ctx);
        assertThat(object.getValue()).isEqualTo(new Value("PRIORITY"));
        assertThat(object.getVariant()).isEqualTo("enterprise");
    }

    @Test
    void listField_asObject_isAListValue() {
        FlagEvaluationDetails<Value> details = client.getObjectDetails(
                "entitlements.allowedRegions", new Value(List.of()), context("org_7", "PRO", "u_1"));

        assertThat(details.getValue().asList()).containsExactly(new Value("eu"), new Value("us"));
        assertThat(details.getReason()).isEqualTo(Reason.DEFAULT.name());
    }

    @Test
    void listField_asString_isTypeMismatch() {
        FlagEvaluationDetails<String> details =
                client.getStringDetails("entitlements.allowedRegions", "eu", context("org_7", "PRO", "u_1"));

        assertThat(details.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
        assertThat(details.getErrorMessage())
                .isEqualTo("entitlements.allowedRegions answered [eu, us] (a list), not a String");
    }

    @Test
    void targetingKey_fillsUserId_unlessTheContextSetsIt() {
        ImmutableContext ownUser = new ImmutableContext(
                "u_key",
                Map.of(
                        "organization",
                        Fixtures.organization("org_7", "PRO"),
                        "user",
                        new Value(new ImmutableStructure(Map.of("id", new Value("u_own"))))));

        assertThat(client.getIntegerValue("entitlements.maxTeamSize", 5, ownUser))
                .isEqualTo(20);
        assertThat(new ContextMapping(Fixtures.SCHEMA, List.of("user", "id"), "args")
                        .context(ownUser)
                        .values())
                .containsEntry("user", Map.of("id", "u_own"));
    }
}
