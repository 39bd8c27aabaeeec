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
import dev.tollgate.internal.snapshot.LogicFingerprints;
import dev.tollgate.internal.snapshot.RowHasher;
import dev.tollgate.runtime.InputValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deltas that replace a field's logic or a segment's definition: {@link SnapshotDelta} with the compiler's code. */
class SnapshotDeltaLogicTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaModel SCHEMA = SchemaParser.parse(
            """
            input Context { org: String  tier: Int }
            type Root { seats: Int!  byTier: Int!  limits: Limits! }
            type Limits { seats: Int! }
            """,
            "delta-logic.graphql");
    private static final Object[] NO_ARGS = new Object[0];
    private static final String VIP =
            "{\"if\": {\"attribute\": \"context.org\", \"op\": \"in\", \"value\": [\"org_1\"]}}";
    private static final String SEATS =
            """
            {"overrides": [{"by": "context.org", "values": {"org_9": 90}}],
             "rules": [{"id": "vip", "if": {"segment": "vip"}, "value": 40}],
             "default": 5}""";
    private static final String BY_TIER =
            """
            {"rules": [{"id": "vip", "if": {"segment": "vip"}, "value": 7},
                       {"id": "t2", "if": {"attribute": "context.tier", "op": "eq", "value": 2}, "value": 20}],
             "default": 1}""";

    private static CompiledSnapshot base() {
        String json =
                """
                {"format": 1, "revision": 1, "schemaHash": "%s",
                 "segments": {"vip": %s},
                 "fields": {"seats": %s, "byTier": %s, "limits": {"default": {"seats": 3}}}}
                """
                        .formatted(SCHEMA.hash(), VIP, SEATS, BY_TIER);
        return SnapshotCompiler.compile(SCHEMA, SnapshotLimits.defaults(), json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String fingerprint(String logic) {
        return LogicFingerprints.of(LogicFingerprints.withoutRows(tree(logic)));
    }

    private static String checksum(String key, int value) {
        return RowHasher.hex(new RowHasher().rowObject(key, tree("{\"value\": " + value + "}")));
    }

    /** A delta from revision 1 to 2 replacing the logic of {@code seats} with {@code logic}. */
    private static JsonNode seatsLogic(String logic, String fingerprint) {
        return tree(
                """
                {"revision": 2, "base": 1,
                 "changes": [{"field": "seats", "logic": %s, "checksums": ["%s"]}],
                 "fingerprints": {"seats": "%s"}}
                """
                        .formatted(logic, checksum("org_9", 90), fingerprint));
    }

    /** A delta from revision 1 to 2 replacing segment {@code vip} with {@code definition}. */
    private static JsonNode vipSegment(String definition, String fingerprints) {
        return tree(
                """
                {"revision": 2, "base": 1,
                 "changes": [{"segment": "vip", "definition": %s, "fingerprint": "%s"}],
                 "fingerprints": %s}
                """
                        .formatted(definition, LogicFingerprints.of(tree(definition)), fingerprints));
    }

    private static SnapshotDelta.Applied apply(CompiledSnapshot base, JsonNode delta) {
        return SnapshotDelta.apply(base, delta, SnapshotLimits.defaults());
    }

    private static Outcome evaluate(CompiledSnapshot snapshot, String field, String org, int tier) {
        InputValue input = DynamicInput.context(ApiAccess.schema(SCHEMA), Map.of("org", org, "tier", tier));
        return snapshot.evaluate(SCHEMA.fieldIndex(field), input, NO_ARGS, 0);
    }

    @Test
    void ruleValueChanged_compilesTheField_keepsItsTable_andNumbersTheNewOutcomesAfterTheBase() {
        CompiledSnapshot base = base();
        base.attachCounterSlots(new int[base.outcomeCount()]);
        String logic = SEATS.replace("\"value\": 40", "\"value\": 45").replace(", \"values\": {\"org_9\": 90}", "");

        SnapshotDelta.Applied applied = apply(base, seatsLogic(logic, fingerprint(SEATS.replace("40", "45"))));

        CompiledSnapshot next = applied.snapshot();
        Outcome vip = evaluate(next, "seats", "org_1", 1);
        assertThat(vip.intValue()).isEqualTo(45);
        assertThat(vip.reason()).isEqualTo(Reason.rule("vip"));
        assertThat(evaluate(next, "seats", "org_9", 1).intValue()).isEqualTo(90);
        assertThat(evaluate(next, "seats", "org_5", 1).intValue()).isEqualTo(5);
        assertThat(evaluate(base, "seats", "org_1", 1).intValue())
                .as("the base is unchanged")
                .isEqualTo(40);
        int seats = SCHEMA.fieldIndex("seats");
        assertThat(next.plan(seats).own().table(0))
                .isSameAs(base.plan(seats).own().table(0));
        assertThat(next.plan(SCHEMA.fieldIndex("byTier"))).isSameAs(base.plan(SCHEMA.fieldIndex("byTier")));
        assertThat(next.overrideRows()).isEqualTo(1);
        assertThat(applied.changedFields()).containsExactly("seats");
        assertThat(vip.id()).isGreaterThanOrEqualTo(base.outcomeCount());
        assertThat(next.outcome(vip.id())).isSameAs(vip);
        assertThat(next.outcomeCount()).isEqualTo(base.outcomeCount() + 2);
        assertThat(next.unattachedOutcomeKeys())
                .containsExactly(
                        new OutcomeKey("seats", Reason.rule("vip").label()),
                        new OutcomeKey("seats", Reason.ofDefault().label()));
        next.attachCounterSlots(new int[] {11, 12});
        assertThat(vip.counterSlot()).isEqualTo(11);
        assertThat(evaluate(next, "seats", "org_5", 1).counterSlot()).isEqualTo(12);
    }

    @Test
    void defaultChanged_answersTheNewDefault() {
        CompiledSnapshot base = base();
        String logic = SEATS.replace("\"default\": 5", "\"default\": 6");

        CompiledSnapshot next =
                apply(base, seatsLogic(logic, fingerprint(logic))).snapshot();

        assertThat(evaluate(next, "seats", "org_5", 1).intValue()).isEqualTo(6);
        assertThat(evaluate(next, "seats", "org_5", 1).reason()).isEqualTo(Reason.ofDefault());
        assertThat(evaluate(next, "seats", "org_9", 1).intValue())
                .as("rows sent again")
                .isEqualTo(90);
        assertThat(evaluate(next, "seats", "org_1", 1).intValue()).isEqualTo(40);
    }

    @Test
    void segmentMembersAdded_recompilesBothFieldsThatUseIt_andLeavesTheOthers() {
        CompiledSnapshot base = base();
        assertThat(evaluate(base, "seats", "org_2", 1).intValue()).isEqualTo(5);
        String vip = VIP.replace("[\"org_1\"]", "[\"org_1\", \"org_2\"]");

        SnapshotDelta.Applied applied = apply(
                base,
                vipSegment(
                        vip,
                        "{\"seats\": \"%s\", \"byTier\": \"%s\"}".formatted(fingerprint(SEATS), fingerprint(BY_TIER))));

        CompiledSnapshot next = applied.snapshot();
        assertThat(evaluate(next, "seats", "org_2", 1).intValue()).isEqualTo(40);
        assertThat(evaluate(next, "byTier", "org_2", 2).intValue()).isEqualTo(7);
        assertThat(evaluate(next, "byTier", "org_3", 2).intValue()).isEqualTo(20);
        assertThat(evaluate(next, "seats", "org_9", 1).intValue()).isEqualTo(90);
        assertThat(evaluate(base, "seats", "org_2", 1).intValue())
                .as("the base is unchanged")
                .isEqualTo(5);
        assertThat(applied.changedFields()).containsExactly("seats", "byTier");
        assertThat(next.plan(SCHEMA.fieldIndex("limits"))).isSameAs(base.plan(SCHEMA.fieldIndex("limits")));
        assertThat(next.segments().get("vip")).isEqualTo(tree(vip));
        assertThat(base.segments().get("vip")).isEqualTo(tree(VIP));
    }

    @Test
    void segmentChanged_butTheServerListsOtherFields_isRefused() {
        CompiledSnapshot base = base();
        String vip = VIP.replace("[\"org_1\"]", "[\"org_1\", \"org_2\"]");

        assertThatThrownBy(() -> apply(base, vipSegment(vip, "{\"seats\": \"%s\"}".formatted(fingerprint(SEATS)))))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("byTier after the delta has logic with fingerprint " + fingerprint(BY_TIER)
                        + ", but the server's has nothing; the installed revision 1 differs from the server's");
    }

    @Test
    void invalidLogic_isRefused_andTheBaseStays() {
        CompiledSnapshot base = base();
        String logic = SEATS.replace("\"value\": 40", "\"value\": \"many\"");

        assertThatThrownBy(() -> apply(base, seatsLogic(logic, fingerprint(logic))))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessageContaining("the delta's logic is invalid: ")
                .hasMessageContaining("value \"many\" is not an Int");
        assertThat(evaluate(base, "seats", "org_1", 1).intValue()).isEqualTo(40);
    }

    @Test
    void fingerprintMismatch_isRefused() {
        CompiledSnapshot base = base();
        String logic = SEATS.replace("\"default\": 5", "\"default\": 6");

        assertThatThrownBy(() -> apply(base, seatsLogic(logic, fingerprint(SEATS))))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("seats after the delta has logic with fingerprint " + fingerprint(logic)
                        + ", but the server's has " + fingerprint(SEATS)
                        + "; the installed revision 1 differs from the server's");
    }

    @Test
    void tableChecksumMismatch_isRefused() {
        CompiledSnapshot base = base();
        String logic = SEATS.replace("\"org_9\": 90", "\"org_9\": 91");

        assertThatThrownBy(() -> apply(base, seatsLogic(logic, fingerprint(logic))))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("seats table 0 after the delta has checksum " + checksum("org_9", 91)
                        + ", but the server's has " + checksum("org_9", 90)
                        + "; the installed revision 1 differs from the server's");
    }

    @Test
    void tableWithoutRows_keyedOtherwise_isRefused() {
        CompiledSnapshot base = base();
        String logic =
                SEATS.replace("\"by\": \"context.org\", \"values\": {\"org_9\": 90}", "\"by\": \"context.tier\"");

        assertThatThrownBy(() -> apply(base, seatsLogic(logic, fingerprint(logic))))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessageContaining("a table without rows keeps the installed table 0, but the installed logic of"
                        + " seats has one by context.org, not one by context.tier");
    }

    @Test
    void segmentFingerprintMismatch_isRefused() {
        CompiledSnapshot base = base();
        JsonNode delta = tree(
                """
                {"revision": 2, "base": 1,
                 "changes": [{"segment": "vip", "definition": %s, "fingerprint": "%s"}]}
                """
                        .formatted(VIP, LogicFingerprints.of(tree("{}"))));

        assertThatThrownBy(() -> apply(base, delta))
                .isInstanceOf(SnapshotDelta.Refused.class)
                .hasMessage("segment \"vip\" after the delta has fingerprint " + LogicFingerprints.of(tree(VIP))
                        + ", but the server's has " + LogicFingerprints.of(tree("{}")));
    }
}
