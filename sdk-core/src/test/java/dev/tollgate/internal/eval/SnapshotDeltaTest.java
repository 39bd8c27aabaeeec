package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.DynamicInput;
import dev.tollgate.Reason;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import dev.tollgate.internal.snapshot.RowHasher;
import dev.tollgate.runtime.InputValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Applying the {@code delta} events of the stream to a compiled snapshot: {@link SnapshotDelta}. */
class SnapshotDeltaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaModel SCHEMA = SchemaParser.parse(
            """
            input Context { org: String  tier: Int }
            type Root { seats: Int!  byTier: Int!  limits: Limits! }
            type Limits { seats: Int! }
            """,
            "delta.graphql");
    private static final Object[] NO_ARGS = new Object[0];
    private static final long Y2030 = 1_893_456_000_000L;
    private static final String UNTIL_2030 = "\"until\": \"2030-01-01T00:00:00Z\"";

    /** The rows of {@code seats} in revision 1, as row objects. */
    private static Map<String, String> baseRows() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("org_1", "{\"value\": 50}");
        rows.put("org_2", "{\"value\": 50}");
        rows.put("org_3", "{\"value\": 60}");
        rows.put("org_w", "{\"value\": 70, " + UNTIL_2030 + "}");
        return rows;
    }

    private static CompiledSnapshot base() {
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s",
                 "fields": {
                   "seats": {"overrides": [{"by": "context.org",
                       "values": {"org_1": 50, "org_2": 50, "org_3": 60},
                       "rows": {"org_w": {"value": 70, %s}}}],
                     "default": 5},
                   "byTier": {"overrides": [{"by": "context.tier", "values": {"1": 10, "2": 20}}], "default": 1},
                   "limits": {"default": {"seats": 3}}}}
                """
                        .formatted(SCHEMA.hash(), UNTIL_2030);
        return SnapshotCompiler.compile(SCHEMA, SnapshotLimits.defaults(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static String checksum(Map<String, String> rows) {
        RowHasher hasher = new RowHasher();
        long sum = 0;
        for (Map.Entry<String, String> row : rows.entrySet()) {
            sum += hasher.rowObject(row.getKey(), tree(row.getValue()));
        }
        return RowHasher.hex(sum);
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** A delta from revision 1 to 2 changing {@code seats} table 0 into {@code after}. */
    private static JsonNode seatsDelta(String set, String remove, Map<String, String> after) {
        return seatsDelta(1, 2, set, remove, after.size(), checksum(after));
    }

    private static JsonNode seatsDelta(long base, long revision, String set, String remove, int rows, String sum) {
        return tree(
                """
                {"revision": %d, "base": %d, "changes": [{"field": "seats", "table": 0,
                  "set": %s, "remove": %s, "rows": %d, "checksum": "%s"}]}
                """
                        .formatted(revision, base, set, remove, rows, sum));
    }

    private static SnapshotDelta.Applied apply(CompiledSnapshot base, JsonNode delta) {
        return SnapshotDelta.apply(base, delta, SnapshotLimits.defaults());
    }

    private static Outcome seats(CompiledSnapshot snapshot, String org, long now) {
        InputValue input = DynamicInput.context(ApiAccess.schema(SCHEMA), Map.of("org", org));
        return snapshot.evaluate(SCHEMA.fieldIndex("seats"), input, NO_ARGS, now);
    }

    @Test
    void set_changesTheRow_reusesTheOutcomeOfThatValue_andLeavesTheBaseAlone() {
        CompiledSnapshot base = base();
        Map<String, String> after = baseRows();
        after.put("org_1", "{\"value\": 60}");

        SnapshotDelta.Applied applied =
                apply(base, seatsDelta("{\"org_1\": {\"value\": 60, \"was\": {\"value\": 50}}}", "{}", after));

        CompiledSnapshot next = applied.snapshot();
        assertThat(next.revision()).isEqualTo(2);
        assertThat(seats(next, "org_1", 0).intValue()).isEqualTo(60);
        assertThat(seats(next, "org_1", 0)).isSameAs(seats(base, "org_3", 0));
        assertThat(next.outcomeCount()).isEqualTo(base.outcomeCount());
        assertThat(seats(next, "org_2", 0).intValue()).isEqualTo(50);
        assertThat(seats(base, "org_1", 0).intValue())
                .as("the base is unchanged")
                .isEqualTo(50);
        assertThat(next.plan(SCHEMA.fieldIndex("byTier"))).isSameAs(base.plan(SCHEMA.fieldIndex("byTier")));
        assertThat(next.overrideRows()).isEqualTo(6);
        assertThat(applied.changedFields()).containsExactly("seats");
        assertThat(applied.changedRows()).isEqualTo(1);
    }

    @Test
    void set_newKeyWithANewValue_addsAnOutcomeThatGetsItsCounterSlotAlone() {
        CompiledSnapshot base = base();
        base.attachCounterSlots(new int[base.outcomeCount()]);
        Map<String, String> after = baseRows();
        after.put("org_9", "{\"value\": 99}");

        CompiledSnapshot next = apply(base, seatsDelta("{\"org_9\": {\"value\": 99, \"was\": null}}", "{}", after))
                .snapshot();

        Outcome added = seats(next, "org_9", 0);
        assertThat(added.intValue()).isEqualTo(99);
        assertThat(added.reason()).isEqualTo(Reason.override("context.org"));
        assertThat(added.id()).isEqualTo(base.outcomeCount());
        assertThat(next.outcome(added.id())).isSameAs(added);
        assertThat(next.unattachedOutcomeKeys()).containsExactly(new OutcomeKey("seats", "override"));
        assertThatThrownBy(() -> next.attachCounterSlots(new int[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("2 counter slots for the 1 new outcomes of CompiledSnapshot[revision=2");
        next.attachCounterSlots(new int[] {7});
        assertThat(added.counterSlot()).isEqualTo(7);
        assertThat(next.overrideRows()).isEqualTo(7);
    }

    @Test
    void remove_dropsTheRow_soTheDefaultAnswers() {
        CompiledSnapshot base = base();
        Map<String, String> after = baseRows();
        after.remove("org_2");

        CompiledSnapshot next = apply(base, seatsDelta("{}", "{\"org_2\": {\"was\": {\"value\": 50}}}", after))
                .snapshot();

        assertThat(seats(next, "org_2", 0).reason()).isEqualTo(Reason.ofDefault());
        assertThat(seats(next, "org_2", 0).intValue()).isEqualTo(5);
        assertThat(next.overrideRows()).isEqualTo(5);
    }

    @Test
    void moves_intoAWindowAndOutOfOne() {
        CompiledSnapshot base = base();
        assertThat(seats(base, "org_w", Y2030).intValue()).as("lapsed in 2030").isEqualTo(5);
        Map<String, String> after = baseRows();
        after.put("org_1", "{\"value\": 50, \"from\": \"2030-01-01T00:00:00Z\"}");
        after.put("org_w", "{\"value\": 70}");

        CompiledSnapshot next = apply(
                        base,
                        seatsDelta(
                                "{\"org_1\": {\"value\": 50, \"from\": \"2030-01-01T00:00:00Z\", \"was\": {\"value\": 50}},"
                                        + " \"org_w\": {\"value\": 70, \"was\": {\"value\": 70, " + UNTIL_2030 + "}}}",
                                "{}",
                                after))
                .snapshot();

        assertThat(seats(next, "org_1", 0).intValue()).isEqualTo(5);
        assertThat(seats(next, "org_1", Y2030).intValue()).isEqualTo(50);
        assertThat(seats(next, "org_w", Y2030).intValue()).isEqualTo(70);
        assertThat(next.readsTime()).isTrue();
        assertThat(next.skippedOverrideRows(
                        SCHEMA.fieldIndex("seats"),
                        DynamicInput.context(ApiAccess.schema(SCHEMA), Map.of("org", "org_1")),
                        NO_ARGS,
                        0))
                .containsExactly("override context.org=org_1 starts at 2030-01-01T00:00:00Z");
    }

    @Test
    void intKeys_areReadLikeTheCompilerReadsThem() {
        CompiledSnapshot base = base();
        RowHasher hasher = new RowHasher();
        long sum = hasher.rowObject("1", tree("{\"value\": 10}")) + hasher.rowObject("2", tree("{\"value\": 25}"));
        JsonNode delta = tree(
                """
                {"revision": 2, "base": 1, "changes": [{"field": "byTier", "table": 0,
                  "set": {"2": {"value": 25, "was": {"value": 20}}}, "rows": 2, "checksum": "%s"}]}
                """
                        .formatted(RowHasher.hex(sum)));

        CompiledSnapshot next = apply(base, delta).snapshot();

        InputValue tier2 = DynamicInput.context(ApiAccess.schema(SCHEMA), Map.of("tier", 2));
        assertThat(next.evaluate(SCHEMA.fieldIndex("byTier"), tier2, NO_ARGS, 0).intValue())
                .isEqualTo(25);
        JsonNode badKey = tree(delta.toString().replace("\"2\":", "\"02\":"));
        assertThatThrownBy(() -> apply(base, badKey))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessageContaining("\"02\" is not written as a canonical Int key; write it as 2");
    }

    @Test
    void overlay_staysSmallThenIsFoldedIntoAFreshTable() {
        CompiledSnapshot base = base();
        Map<String, String> after = baseRows();
        StringBuilder set = new StringBuilder("{");
        for (int i = 0; i < 1_100; i++) {
            after.put("new_" + i, "{\"value\": " + (i % 7) + "}");
            set.append(i == 0 ? "" : ",")
                    .append("\"new_")
                    .append(i)
                    .append("\": {\"value\": ")
                    .append(i % 7)
                    .append(", \"was\": null}");
        }
        Map<String, String> one = baseRows();
        one.put("new_0", "{\"value\": 0}");

        CompiledSnapshot small = apply(base, seatsDelta("{\"new_0\": {\"value\": 0, \"was\": null}}", "{}", one))
                .snapshot();
        CompiledSnapshot large =
                apply(base, seatsDelta(set.append('}').toString(), "{}", after)).snapshot();

        int seats = SCHEMA.fieldIndex("seats");
        assertThat(small.plan(seats).own().table(0).overlaid()).isTrue();
        assertThat(large.plan(seats).own().table(0).overlaid()).isFalse();
        assertThat(large.overrideRows()).isEqualTo(4 + 1_100 + 2);
        assertThat(seats(large, "new_1099", 0).intValue()).isEqualTo(1_099 % 7);
        assertThat(seats(large, "org_3", 0).intValue()).isEqualTo(60);
        assertThat(seats(large, "org_w", Y2030).intValue()).isEqualTo(5);
    }

    @Test
    void newOutcomes_areBounded_untilTheNextFullLoad() {
        CompiledSnapshot base = base();
        Map<String, String> after = baseRows();
        StringBuilder set = new StringBuilder("{");
        for (int i = 0; i <= SnapshotDelta.MAX_ADDED_OUTCOMES; i++) {
            after.put("n_" + i, "{\"value\": " + (1_000 + i) + "}");
            set.append(i == 0 ? "" : ",")
                    .append("\"n_")
                    .append(i)
                    .append("\": {\"value\": ")
                    .append(1_000 + i)
                    .append(", \"was\": null}");
        }

        assertThatThrownBy(() -> apply(base, seatsDelta(set.append('}').toString(), "{}", after)))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("deltas since the last full load would have added 4097 outcomes, over 4096; loading the"
                        + " snapshot whole drops the unused ones");
    }

    @Test
    void checksumMismatch_isRefused_namingBothSides() {
        CompiledSnapshot base = base();
        Map<String, String> serverRows = baseRows();
        serverRows.put("org_3", "{\"value\": 61}"); // the server's revision 1 differs from the installed one there
        serverRows.put("org_1", "{\"value\": 60}");

        assertThatThrownBy(() -> apply(
                        base, seatsDelta("{\"org_1\": {\"value\": 60, \"was\": {\"value\": 50}}}", "{}", serverRows)))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessageMatching("seats table 0 after the delta: 4 rows with checksum [0-9a-f]{16}, but the server"
                        + " has 4 rows with checksum [0-9a-f]{16}; the installed revision 1 differs from the"
                        + " server's");
        assertThat(seats(base, "org_1", 0).intValue()).isEqualTo(50);
    }

    @Test
    void gap_isRefused() {
        assertThatThrownBy(() -> apply(base(), seatsDelta(5, 6, "{}", "{}", 4, checksum(baseRows()))))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("the delta to revision 6 applies to revision 5, but revision 1 is installed");
    }

    @Test
    void aDeltaSkippingRevisions_isRefused() {
        assertThatThrownBy(() -> apply(base(), seatsDelta(1, 1000, "{}", "{}", 4, checksum(baseRows()))))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("the delta's revision 1000 is not the one after its base 1");
    }

    @Test
    void malformedDeltas_areRefusedWithTheReason() {
        CompiledSnapshot base = base();
        String sum = checksum(baseRows());
        assertThatThrownBy(() -> apply(
                        base,
                        seatsDelta(
                                1,
                                2,
                                "{\"org_1\": {\"value\": \"many\", \"was\": {\"value\":" + " 50}}}",
                                "{}",
                                4,
                                sum)))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("seats table 0: key \"org_1\": value \"many\" is not an Int");
        assertThatThrownBy(() ->
                        apply(base, seatsDelta(1, 2, "{\"org_1\": {\"value\": 50, \"was\": null}}", "{}", 4, sum)))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("seats table 0 key \"org_1\": the delta says the row was absent in revision 1, but the"
                        + " installed one has it");
        assertThatThrownBy(() -> apply(base, seatsDelta(1, 2, "{}", "{\"org_8\": {\"was\": {\"value\": 1}}}", 4, sum)))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("seats table 0 key \"org_8\": the delta removes a row that the installed revision 1 does"
                        + " not have");
        assertThatThrownBy(() -> apply(base, tree("{\"revision\": 2, \"base\": 1, \"changes\": [], \"x\": 1}")))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("the delta has the unknown key \"x\"");
        assertThatThrownBy(() -> apply(
                        base,
                        tree("{\"revision\": 2, \"base\": 1, \"changes\": [{\"field\": \"limits\","
                                + " \"table\": 0}]}")))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("changes[0].field must name a field of the schema that is not an object but is"
                        + " \"limits\"");
        assertThatThrownBy(() -> SnapshotDelta.parse(
                        "{\"revision\": 2, \"revision\": 3}".getBytes(StandardCharsets.UTF_8),
                        SnapshotLimits.defaults()))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessageStartingWith("the delta is not valid JSON: ");
    }
}
