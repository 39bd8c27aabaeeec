package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import dev.tollgate.testing.TypedTestKitTest.SeedFlags;
import dev.tollgate.testing.TypedTestKitTest.SeedKit;
import dev.tollgate.testing.TypedTestKitTest.SeedValues;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * {@link TypedTestKitExtension} through a subclass shaped like a generated extension, registered on test classes that
 * the JUnit engine runs here.
 */
class TypedTestKitExtensionTest {
    /** What the test classes below saw, by what they looked at. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    /** The extension, as the generator writes it. */
    static final class SeedExtension extends TypedTestKitExtension<SeedFlags, SeedValues, SeedKit, SeedExtension> {
        public SeedExtension() {
            this(SeedKit.create());
        }

        private SeedExtension(SeedKit kit) {
            super(kit);
        }

        static SeedExtension withValues(Consumer<SeedValues> values) {
            return new SeedExtension(SeedKit.builder().values(values).build());
        }
    }

    /**
     * Disables the test classes below unless {@link #run} runs them, so that a surefire pattern matching nested classes
     * does not run them on their own, where their failures are expected.
     */
    static final class RunHereOnly implements ExecutionCondition {
        static final String PARAMETER = "tollgate.testing.extensionCases";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by " + TypedTestKitExtensionTest.class.getSimpleName())
                    : ConditionEvaluationResult.disabled("run by " + TypedTestKitExtensionTest.class.getSimpleName());
        }
    }

    @ExtendWith(RunHereOnly.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static final class RegisteredWithValues {
        @RegisterExtension
        static final SeedExtension TOLLGATE = SeedExtension.withValues(v -> v.maxTeamSize(8));

        @Test
        @Order(1)
        void changesValues(SeedFlags tollgate, SeedKit kit, TollgateClient client) {
            SEEN.put("update", TOLLGATE.update(v -> v.maxTeamSize(3)));
            SEEN.put("changed", tollgate.maxTeamSize("org_1"));
            SEEN.put("tollgate", tollgate);
            SEEN.put("kit", kit);
            SEEN.put("client", client);
        }

        @Test
        @Order(2)
        void seesTheBuiltValuesAgain(SeedFlags tollgate) {
            SEEN.put("after", tollgate.maxTeamSize("org_1"));
            SEEN.put("revision", tollgate.revision());
        }
    }

    @ExtendWith({RunHereOnly.class, SeedExtension.class})
    static final class ExtendedWith {
        @Test
        void startsWithNoValues(SeedFlags tollgate) {
            SEEN.put("extendWith", tollgate.maxTeamSize("org_1"));
        }
    }

    @ExtendWith(RunHereOnly.class)
    static final class AskingForOtherTypes {
        @RegisterExtension
        static final SeedExtension TOLLGATE = new SeedExtension();

        @Test
        void takesTheBaseClass(TypedClient tollgate) {
            SEEN.put("typedClient", tollgate);
        }
    }

    @Test
    void registered_resolvesTheEntryPointTheKitAndTheClient_andPutsTheValuesBackAfterEachTest() {
        SEEN.clear();

        run(RegisteredWithValues.class)
                .assertStatistics(stats -> stats.started(2).succeeded(2));

        SeedExtension extension = RegisteredWithValues.TOLLGATE;
        assertThat(SEEN.get("update")).isSameAs(extension);
        assertThat(SEEN.get("changed")).isEqualTo(3);
        assertThat(SEEN.get("tollgate"))
                .isSameAs(extension.tollgate())
                .isSameAs(extension.kit().tollgate());
        assertThat(SEEN.get("kit")).isSameAs(extension.kit());
        assertThat(SEEN.get("client")).isSameAs(extension.kit().client());
        assertThat(SEEN.get("after")).as("reset after the first test").isEqualTo(8);
        assertThat(SEEN.get("revision")).as("built, updated, reset").isEqualTo(3L);
        assertThat(extension.kit()).as("reset after the second test too").hasToString("SeedKit[revision=4]");
    }

    @Test
    void extendWith_startsWithNoValues() {
        SEEN.clear();

        run(ExtendedWith.class).assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(SEEN).containsEntry("extendWith", -1);
    }

    @Test
    void parameterOfAnotherType_isNotResolved() {
        SEEN.clear();

        run(AskingForOtherTypes.class)
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("takesTheBaseClass"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.startsWith("No ParameterResolver registered for parameter")
                                                && m.contains(TypedClient.class.getName())))));
        assertThat(SEEN).isEmpty();
    }

    @Test
    void constructor_withoutAKit_throws() {
        assertThatThrownBy(() -> new TypedTestKitExtension<SeedFlags, SeedValues, SeedKit, SeedExtension>(null) {})
                .isInstanceOf(NullPointerException.class)
                .hasMessage("kit");
    }

    private static Events run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .configurationParameter(RunHereOnly.PARAMETER, "true")
                .execute()
                .testEvents();
    }
}
