package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.DynamicInput;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import dev.tollgate.testing.SplitSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ids and keys the compiler gives a snapshot's value outcomes, and the counter slots a client attaches to them. */
class OutcomeIdsTest {
    private static final SchemaModel SCHEMA = SchemaParser.parse(
            """
            input Context { org: String  plan: String  user: String }
            type Root { seats: Int!  beta: Boolean!  limits: Limits! }
            type Limits { seats: Int!  name: String! }
            """,
            "ids.graphql");
    private static final Object[] NO_ARGS = new Object[0];

    private static byte[] snapshot() {
        return SnapshotBuilder.forSchema(ApiAccess.schema(SCHEMA))
                .field("seats", f -> f.override("context.org", "org_1", 50)
                        .override("context.org", "org_2", 50)
                        .override("context.org", "org_3", 60)
                        .rule("pro", ConditionSpec.eq("context.plan", "pro"), 20)
                        .defaultValue(5))
                .field(
                        "beta",
                        f -> f.splitRule(
                                "rollout",
                                null,
                                SplitSpec.by("context.user")
                                        .seed("s")
                                        .arm("on", 50, true)
                                        .arm("off", 50, false)))
                .field("limits", f -> f.defaultValue(Map.of("seats", 3, "name", "basic")))
                .toJson()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static CompiledSnapshot compile() {
        return SnapshotCompiler.compile(SCHEMA, SnapshotLimits.defaults(), snapshot());
    }

    private static Outcome evaluate(CompiledSnapshot compiled, String path, Map<String, ?> context) {
        InputValue input = DynamicInput.context(ApiAccess.schema(SCHEMA), context);
        return compiled.evaluate(SCHEMA.fieldIndex(path), input, NO_ARGS, 0L);
    }

    @Test
    void outcomes_areNumberedInDocumentOrder_andNamedByFieldPathAndLabel() {
        CompiledSnapshot compiled = compile();

        assertThat(compiled.outcomeKeys())
                .extracting(OutcomeKey::toString)
                .containsExactly(
                        "seats override",
                        "seats override",
                        "seats rule:pro",
                        "seats default",
                        "beta split:rollout:on",
                        "beta split:rollout:off",
                        "limits.seats default",
                        "limits.name default",
                        "limits default");
        for (int id = 0; id < compiled.outcomeCount(); id++) {
            assertThat(compiled.outcome(id).id()).isEqualTo(id);
            assertThat(compiled.outcome(id).key())
                    .isSameAs(compiled.outcomeKeys().get(id));
        }
        assertThat(compiled.outcomeKeys().get(1))
                .as("outcomes with one key share one instance")
                .isSameAs(compiled.outcomeKeys().get(0));
    }

    @Test
    void evaluation_endsInTheNumberedOutcomes_includingProjectedDescendants() {
        CompiledSnapshot compiled = compile();

        assertThat(evaluate(compiled, "seats", Map.of("org", "org_2")).id()).isEqualTo(0);
        assertThat(evaluate(compiled, "seats", Map.of("org", "org_3")).id()).isEqualTo(1);
        assertThat(evaluate(compiled, "seats", Map.of("plan", "pro")).id()).isEqualTo(2);
        assertThat(evaluate(compiled, "seats", Map.of()).id()).isEqualTo(3);
        Outcome projected = evaluate(compiled, "limits.name", Map.of());
        assertThat(projected.value()).isEqualTo("basic");
        assertThat(projected.id()).isEqualTo(7);
        assertThat(projected.key()).isEqualTo(new OutcomeKey("limits.name", "default"));
    }

    @Test
    void compilingTheSameDocumentAgain_givesTheSameIdsAndKeys() {
        assertThat(compile().outcomeKeys()).isEqualTo(compile().outcomeKeys());
    }

    @Test
    void fallbacks_haveNoIdKeyOrSlot() {
        CompiledSnapshot compiled = SnapshotCompiler.compile(
                SCHEMA,
                SnapshotLimits.defaults(),
                SnapshotBuilder.forSchema(ApiAccess.schema(SCHEMA))
                        .field("seats", f -> f.rule("pro", ConditionSpec.eq("context.plan", "pro"), 20))
                        .toJson()
                        .getBytes(StandardCharsets.UTF_8));
        compiled.attachCounterSlots(new int[] {42});

        Outcome noMatch = evaluate(compiled, "seats", Map.of("plan", "free"));
        assertThat(noMatch.isFallback()).isTrue();
        assertThat(noMatch.id()).isEqualTo(-1);
        assertThat(noMatch.key()).isNull();
        assertThat(noMatch.counterSlot()).isEqualTo(-1);
        assertThat(evaluate(compiled, "seats", Map.of("plan", "pro")).counterSlot())
                .isEqualTo(42);
    }

    @Test
    void counterSlots_areNoneUntilAttached_thenOnePerOutcomeId() {
        CompiledSnapshot compiled = compile();
        assertThat(evaluate(compiled, "seats", Map.of("plan", "pro")).counterSlot())
                .isEqualTo(-1);

        compiled.attachCounterSlots(new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18});

        assertThat(evaluate(compiled, "seats", Map.of("org", "org_1")).counterSlot())
                .isEqualTo(10);
        assertThat(evaluate(compiled, "seats", Map.of("plan", "pro")).counterSlot())
                .isEqualTo(12);
        assertThat(evaluate(compiled, "limits.seats", Map.of()).counterSlot()).isEqualTo(16);
        assertThat(evaluate(compiled, "limits", Map.of()).counterSlot()).isEqualTo(18);
    }

    @Test
    void attachCounterSlots_refusesASecondAttachmentAndAWrongCount() {
        CompiledSnapshot compiled = compile();

        assertThatThrownBy(() -> compiled.attachCounterSlots(new int[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 counter slots for the 9 outcomes of CompiledSnapshot[revision=1, fields=5,"
                        + " overrideRows=3]");
        assertThat(compiled.outcome(8).counterSlot()).as("nothing attached").isEqualTo(-1);
        compiled.attachCounterSlots(new int[9]);
        assertThatThrownBy(() -> compiled.attachCounterSlots(new int[9]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("counter slots are attached to CompiledSnapshot[revision=1, fields=5, overrideRows=3]"
                        + " already");
        assertThat(compiled.outcome(8).counterSlot()).isEqualTo(0);
    }
}
