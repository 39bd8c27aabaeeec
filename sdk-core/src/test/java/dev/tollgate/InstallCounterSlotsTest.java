package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.logs.EvaluationCounters;
import dev.tollgate.internal.logs.ExposureBuffer;
import dev.tollgate.internal.logs.LogHooks;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counter slots a client's snapshot pipeline registers: for the snapshots it installs, and only those. */
class InstallCounterSlotsTest {
    private static final SchemaModel SCHEMA =
            SchemaParser.parse("input Context { plan: String } type Root { seats: Int! }", "install-slots.graphql");
    private static final Object[] NO_ARGS = new Object[0];

    private final EvaluationCounters counters = new EvaluationCounters(SCHEMA);
    private final SnapshotPipeline pipeline = pipeline(counters);
    private final int fallbacksOnly = counters.slotCount();

    private static SnapshotPipeline pipeline(EvaluationCounters counters) {
        EventDispatch events = new EventDispatch(Runnable::run, List.of(), List.of());
        LogHooks hooks = new LogHooks(counters, new ExposureBuffer(100, 50, 64, 1_000, () -> {}));
        return new SnapshotPipeline(
                SCHEMA, SnapshotLimits.defaults(), null, null, new StatusTracker(0, events, null), events, hooks);
    }

    private static byte[] snapshot(long revision, String... ruleIds) {
        return SnapshotBuilder.forSchema(ApiAccess.schema(SCHEMA))
                .revision(revision)
                .field("seats", f -> {
                    for (String id : ruleIds) {
                        f.rule(id, ConditionSpec.eq("context.plan", id), 20);
                    }
                    f.defaultValue(5);
                })
                .toJson()
                .getBytes(StandardCharsets.UTF_8);
    }

    private LoadResult load(byte[] snapshot) {
        return pipeline.load(snapshot, null, SnapshotPipeline.Origin.manual());
    }

    private int slotOf(String plan) {
        return pipeline.snapshot()
                .evaluate(0, DynamicInput.context(ApiAccess.schema(SCHEMA), Map.of("plan", plan)), NO_ARGS, 0L)
                .counterSlot();
    }

    /**
     * Regression: slots were registered once a snapshot had compiled, before the pipeline knew whether it was newer, so
     * a source serving an older revision (a lagging replica), or the installed revision with other content, grew every
     * counting thread's counts with the slots of logic that never ran.
     */
    @Test
    void olderAndSameRevisions_registerNoSlots() {
        assertThat(load(snapshot(5, "pro")).status()).isEqualTo(LoadResult.Status.INSTALLED);
        int installed = counters.slotCount();
        assertThat(installed).isEqualTo(fallbacksOnly + 2);

        assertThat(load(snapshot(3, "legacy")).status()).isEqualTo(LoadResult.Status.OLDER_IGNORED);
        assertThat(load(snapshot(5, "other")).status()).isEqualTo(LoadResult.Status.UNCHANGED);

        assertThat(counters.slotCount()).isEqualTo(installed);
        assertThat(counters.label(slotOf("pro"))).isEqualTo("rule:pro");
    }

    @Test
    void rejectedSnapshot_registersNoSlots() {
        byte[] broken = SnapshotBuilder.forSchema(ApiAccess.schema(SCHEMA))
                .revision(2)
                .field("seats", f -> f.rule("draft", 20)
                        .rule("broken", ConditionSpec.eq("context.plan", "x"), "twenty"))
                .toJson()
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> load(broken))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("value \"twenty\" is not an Int");
        assertThat(counters.slotCount()).isEqualTo(fallbacksOnly);
    }

    @Test
    void installedSnapshots_countTheSameKeyInTheSameSlot_acrossSwaps() {
        load(snapshot(1, "pro"));
        int pro = slotOf("pro");
        int byDefault = slotOf("free");

        load(snapshot(2, "enterprise", "pro"));

        assertThat(slotOf("pro")).isEqualTo(pro);
        assertThat(slotOf("free")).isEqualTo(byDefault);
        int enterprise = slotOf("enterprise");
        assertThat(counters.field(enterprise)).isEqualTo("seats");
        assertThat(counters.label(enterprise)).isEqualTo("rule:enterprise");
        assertThat(counters.label(byDefault)).isEqualTo("default");
        assertThat(counters.slotCount()).isEqualTo(fallbacksOnly + 3);
    }
}
