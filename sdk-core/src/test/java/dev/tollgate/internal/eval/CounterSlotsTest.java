package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.DynamicInput;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.logs.EvaluationCounters;
import dev.tollgate.internal.logs.ExposureBuffer;
import dev.tollgate.internal.logs.LogHooks;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which counter slots compiling and attaching a snapshot registers in a client's evaluation counters. */
class CounterSlotsTest {
    private static final SchemaModel SCHEMA =
            SchemaParser.parse("input Context { plan: String } type Root { seats: Int! }", "slots.graphql");

    private final EvaluationCounters counters = new EvaluationCounters(SCHEMA);
    private final ExposureBuffer exposures = new ExposureBuffer(100, 50, 64, 1_000, () -> {});
    private final LogHooks hooks = new LogHooks(counters, exposures);

    /** Regression: every rejected snapshot registered slots for its rule ids, which every counting thread then kept. */
    @Test
    void rejectedSnapshots_registerNoSlots_validOnesRegisterTheirOutcomes() {
        int fallbacksOnly = counters.slotCount();
        for (int i = 2; i < 12; i++) {
            String rule = "draft" + i;
            byte[] draft = SnapshotBuilder.forSchema(ApiAccess.schema(SCHEMA))
                    .revision(i)
                    .field("seats", f -> f.rule(rule, ConditionSpec.eq("context.plan", "pro"), 20)
                            .rule("broken", ConditionSpec.eq("context.plan", "free"), "twenty"))
                    .toJson()
                    .getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> SnapshotCompiler.compile(SCHEMA, SnapshotLimits.defaults(), draft, exposures))
                    .isInstanceOf(InvalidSnapshotException.class)
                    .hasMessageContaining("value \"twenty\" is not an Int");
        }
        assertThat(counters.slotCount()).as("ten rejected drafts").isEqualTo(fallbacksOnly);

        CompiledSnapshot compiled = SnapshotCompiler.compile(
                SCHEMA,
                SnapshotLimits.defaults(),
                SnapshotBuilder.forSchema(ApiAccess.schema(SCHEMA))
                        .revision(12)
                        .field("seats", f -> f.rule("pro", ConditionSpec.eq("context.plan", "pro"), 20)
                                .defaultValue(5))
                        .toJson()
                        .getBytes(StandardCharsets.UTF_8),
                exposures);
        assertThat(counters.slotCount()).as("compiling registers nothing").isEqualTo(fallbacksOnly);
        hooks.attachCounters(compiled);

        assertThat(counters.slotCount()).isEqualTo(fallbacksOnly + 2);
        int slot = compiled.evaluate(
                        0, DynamicInput.context(ApiAccess.schema(SCHEMA), Map.of("plan", "free")), new Object[0], 0L)
                .counterSlot();
        assertThat(counters.field(slot)).isEqualTo("seats");
        assertThat(counters.label(slot)).isEqualTo("default");
    }
}
