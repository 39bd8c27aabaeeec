package dev.tollgate.openfeature;

import static dev.tollgate.openfeature.Fixtures.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import dev.tollgate.LogOptions;
import dev.tollgate.TollgateClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The provider called directly, as OpenFeature calls it. */
class TollgateProviderTest {

    @Test
    void metadata_isTollgate() {
        try (TollgateClient client = Fixtures.client()) {
            assertThat(TollgateProvider.of(client).getMetadata().getName()).isEqualTo("Tollgate");
        }
    }

    @Test
    void integerEvaluation_rule() {
        try (TollgateClient client = Fixtures.client()) {
            ProviderEvaluation<Integer> evaluation = TollgateProvider.of(client)
                    .getIntegerEvaluation(
                            "entitlements.maxTeamSize",
                            5,
                            new ImmutableContext(Map.of(
                                    "organization",
                                    Fixtures.organization("o", "PRO"),
                                    "user",
                                    new Value(new dev.openfeature.sdk.ImmutableStructure(
                                            Map.of("id", new Value("u")))))));

            assertThat(evaluation.getValue()).isEqualTo(20);
            assertThat(evaluation.getReason()).isEqualTo("TARGETING_MATCH");
            assertThat(evaluation.getVariant()).isEqualTo("pro");
            assertThat(evaluation.getErrorCode()).isNull();
        }
    }

    @Test
    void withoutTargetingKeyPath_theTargetingKeyIsNotUsed_soUserIsMissing() {
        try (TollgateClient client = Fixtures.client()) {
            ProviderEvaluation<Integer> evaluation = TollgateProvider.of(client)
                    .getIntegerEvaluation("entitlements.maxTeamSize", 5, context("o", "PRO", "u_1"));

            assertThat(evaluation.getValue()).isEqualTo(5);
            assertThat(evaluation.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
            assertThat(evaluation.getErrorMessage()).isEqualTo("Context.user: required User! is missing");
        }
    }

    @Test
    void notReady_isProviderNotReady_withTheCallersValue() {
        try (TollgateClient client = Fixtures.emptyClient()) {
            ProviderEvaluation<Integer> evaluation = TollgateProvider.newBuilder(client)
                    .targetingKey("user.id")
                    .build()
                    .getIntegerEvaluation("entitlements.maxTeamSize", 5, context("o", "PRO", "u_1"));

            assertThat(evaluation.getValue()).isEqualTo(5);
            assertThat(evaluation.getReason()).isEqualTo("ERROR");
            assertThat(evaluation.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_NOT_READY);
            assertThat(evaluation.getFlagMetadata().getLong("tollgate.revision"))
                    .isEqualTo(0L);
        }
    }

    @Test
    void aFailureInsideTheProvider_isGeneral_neverThrown() {
        try (TollgateClient client = Fixtures.client()) {
            ProviderEvaluation<Boolean> evaluation = TollgateProvider.of(client)
                    .getBooleanEvaluation("entitlements.teamRolesEnabled", true, new BrokenContext());

            assertThat(evaluation.getValue()).isTrue();
            assertThat(evaluation.getErrorCode()).isEqualTo(ErrorCode.GENERAL);
            assertThat(evaluation.getErrorMessage())
                    .isEqualTo("entitlements.teamRolesEnabled: the Tollgate provider failed: "
                            + "java.lang.IllegalStateException: broken context");
        }
    }

    @Test
    void nullContext_isAnEmptyContext() {
        try (TollgateClient client = Fixtures.client()) {
            ProviderEvaluation<Integer> evaluation =
                    TollgateProvider.of(client).getIntegerEvaluation("entitlements.maxTeamSize", 5, null);

            assertThat(evaluation.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
            assertThat(evaluation.getErrorMessage())
                    .isEqualTo("Context.organization: required Organization! is missing");
        }
    }

    @Test
    void initialize_withASnapshotInstalled_returns() throws Exception {
        try (TollgateClient client = Fixtures.client()) {
            TollgateProvider.newBuilder(client)
                    .initTimeout(Duration.ZERO)
                    .build()
                    .initialize(new ImmutableContext());
        }
    }

    @Test
    void initialize_timedOutWithoutSnapshot_throwsProviderNotReady() {
        try (TollgateClient client = TollgateClient.builder(Fixtures.SCHEMA)
                .source(new ManualSource())
                .logs(LogOptions.disabled())
                .build()) {
            TollgateProvider provider = TollgateProvider.newBuilder(client)
                    .initTimeout(Duration.ofMillis(50))
                    .build();

            assertThatThrownBy(() -> provider.initialize(new ImmutableContext()))
                    .isInstanceOf(ProviderNotReadyError.class)
                    .hasMessage("Tollgate has no snapshot: no source delivered a snapshot within 50 ms");
        }
    }

    @Test
    void initialize_onAClientThatCanNoLongerBeReady_throwsFatal() {
        TollgateClient client = TollgateClient.builder(Fixtures.SCHEMA)
                .source(new ManualSource())
                .logs(LogOptions.disabled())
                .build();
        client.close();
        TollgateProvider provider = TollgateProvider.of(client);

        assertThatThrownBy(() -> provider.initialize(new ImmutableContext()))
                .isInstanceOf(FatalError.class)
                .hasMessageStartingWith("Tollgate has no snapshot: ");
    }

    @Test
    void providerBuiltFromAClientBuilder_ownsAndClosesItsClient() {
        TollgateProvider provider = TollgateProvider.newBuilder(
                        TollgateClient.builder(Fixtures.SCHEMA).logs(LogOptions.disabled()))
                .build();
        assertThat(provider.ownsClient()).isTrue();

        provider.shutdown();

        assertThat(provider.client().isClosed()).isTrue();
    }

    @Test
    void providerOverAClient_doesNotCloseIt() {
        try (TollgateClient client = Fixtures.client()) {
            TollgateProvider provider = TollgateProvider.of(client);
            assertThat(provider.ownsClient()).isFalse();

            provider.shutdown();

            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    void builder_refusesBadOptions_namingThem() {
        try (TollgateClient client = Fixtures.client()) {
            TollgateProvider.Builder builder = TollgateProvider.newBuilder(client);

            assertThatThrownBy(() -> builder.targetingKey("user..id"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("targetingKey: \"user..id\" is not a dotted attribute path such as user.id");
            assertThatThrownBy(() -> builder.argumentsKey("targetingKey"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("argumentsKey: \"targetingKey\" cannot hold the field arguments");
            assertThatThrownBy(() -> builder.initTimeout(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("initTimeout: PT-1S is negative");
        }
    }

    @Test
    void argumentsKey_canBeRenamed() {
        try (TollgateClient client = Fixtures.client()) {
            TollgateProvider provider = TollgateProvider.newBuilder(client)
                    .targetingKey("user.id")
                    .argumentsKey("fieldArgs")
                    .build();
            ImmutableContext ctx =
                    Fixtures.with(context("o", "PRO", "u_1"), Map.of("fieldArgs", Fixtures.args("endpoint", "search")));

            assertThat(provider.getIntegerEvaluation("entitlements.maxApiRequestsPerDay", 5, ctx)
                            .getValue())
                    .isEqualTo(1000);
        }
    }

    /** A context whose attributes cannot be read, standing in for any failure inside the provider. */
    private static final class BrokenContext implements EvaluationContext {
        @Override
        public String getTargetingKey() {
            return null;
        }

        @Override
        public EvaluationContext merge(EvaluationContext overridingContext) {
            return this;
        }

        @Override
        public boolean isEmpty() {
            return false;
        }

        @Override
        public Set<String> keySet() {
            return Set.of();
        }

        @Override
        public Value getValue(String key) {
            return null;
        }

        @Override
        public Map<String, Value> asMap() {
            throw new IllegalStateException("broken context");
        }

        @Override
        public Map<String, Value> asUnmodifiableMap() {
            throw new IllegalStateException("broken context");
        }

        @Override
        public Map<String, Object> asObjectMap() {
            throw new IllegalStateException("broken context");
        }
    }
}
