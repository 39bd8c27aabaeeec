package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.IntLimit;
import dev.tollgate.runtime.LimitCheck;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evaluating a primitive field allocates nothing: measured with the JVM's per-thread allocation counter (bytes, not
 * time), over enough calls that a single allocation per call would show as megabytes.
 */
class AllocationTest {
    private static final int CALLS = 200_000;
    private static final Object[] NO_ARGS = new Object[0];

    private final Schema schema = SeedEvaluationTest.seedSchema();

    @Test
    void primitiveAccessors_allocateNothingPerCall() {
        TollgateClient client = SnapshotBuilder.forSchema(schema)
                .field("entitlements.maxTeamSize", f -> f.override("context.organization.id", "org_42", 50)
                        .rule("enterprise", ConditionSpec.eq("context.organization.plan", "ENTERPRISE"), 1000)
                        .rule("pro", ConditionSpec.in("context.organization.plan", List.of("PRO")), 20)
                        .defaultValue(5))
                .field("entitlements.teamRolesEnabled", f -> f.rule(
                                "staff",
                                ConditionSpec.all(
                                        ConditionSpec.startsWith("context.user.id", "staff_"),
                                        ConditionSpec.not(ConditionSpec.eq("context.organization.plan", "FREE"))),
                                true)
                        .defaultValue(false))
                .newClient();
        FieldReader root = ApiAccess.bind(
                client,
                DynamicInput.context(
                        schema,
                        Map.of("organization", Map.of("id", "org_7", "plan", "PRO"), "user", Map.of("id", "staff_1"))));
        int teamSize = ApiAccess.model(schema).fieldIndex("entitlements.maxTeamSize");
        int roles = ApiAccess.model(schema).fieldIndex("entitlements.teamRolesEnabled");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = run(root, teamSize, roles);
        long threadId = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(threadId);
        sum += run(root, teamSize, roles);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(sum).isEqualTo(2L * CALLS * 21);
        assertThat(allocated).as("bytes allocated by %d evaluations", 2 * CALLS).isLessThan(4_096);
    }

    @Test
    void windowedRowsRulesAndSegments_allocateNothingPerCall() {
        TollgateClient client = TollgateClient.builder(schema)
                .clock(Clock.fixed(Instant.parse("2027-06-01T00:00:00Z"), ZoneOffset.UTC))
                .logs(LogOptions.disabled())
                .build();
        client.loadSnapshot(
                """
                {"format": 1, "revision": 1, "schemaHash": "%s",
                 "segments": {"staff": {"from": "2027-01-01T00:00:00Z",
                                        "if": {"attribute": "context.user.id", "op": "startsWith", "value": "staff_"}}},
                 "fields": {
                   "entitlements.maxTeamSize": {
                     "overrides": [{"by": "context.organization.id", "values": {"org_42": 50},
                                    "rows": {"org_7": {"value": 50, "until": "2027-01-01T00:00:00Z"},
                                             "org_8": {"value": 60, "from": "2027-01-01T00:00:00Z"}}}],
                     "rules": [{"id": "pro-2027", "from": "2027-01-01T00:00:00Z", "until": "2028-01-01T00:00:00Z",
                                "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                                "value": 20}],
                     "default": 5},
                   "entitlements.teamRolesEnabled": {"rules": [{"id": "staff", "if": {"segment": "staff"}, "value": true}],
                                                     "default": false}}}
                """
                        .formatted(schema.hash()));
        FieldReader root = ApiAccess.bind(
                client,
                DynamicInput.context(
                        schema,
                        Map.of("organization", Map.of("id", "org_7", "plan", "PRO"), "user", Map.of("id", "staff_1"))));
        int teamSize = ApiAccess.model(schema).fieldIndex("entitlements.maxTeamSize");
        int roles = ApiAccess.model(schema).fieldIndex("entitlements.teamRolesEnabled");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = run(root, teamSize, roles);
        long threadId = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(threadId);
        sum += run(root, teamSize, roles);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(sum)
                .as("the lapsed row is passed over for the rule, the segment holds")
                .isEqualTo(2L * CALLS * 21);
        assertThat(allocated).as("bytes allocated by %d evaluations", 2 * CALLS).isLessThan(4_096);
    }

    /**
     * An allowed limit check allocates its result and nothing else: no alternatives, no notes, no detail. The result
     * is a handful of bytes (five fields); one list, reason or detail more per call would pass the bound.
     */
    @Test
    void allowedLimitCheck_allocatesOnlyItsResult() {
        TollgateClient client = SnapshotBuilder.forSchema(schema)
                .field("entitlements.maxTeamSize", f -> f.override("context.organization.id", "org_42", 50)
                        .rule("enterprise", ConditionSpec.eq("context.organization.plan", "ENTERPRISE"), 1000)
                        .rule("pro", ConditionSpec.eq("context.organization.plan", "PRO"), 20)
                        .defaultValue(5))
                .newClient();
        FieldReader root = ApiAccess.bind(
                client,
                DynamicInput.context(
                        schema,
                        Map.of("organization", Map.of("id", "org_7", "plan", "PRO"), "user", Map.of("id", "u_1"))));
        IntLimit teamSize = IntLimit.of(root, ApiAccess.model(schema).fieldIndex("entitlements.maxTeamSize"), NO_ARGS);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = check(teamSize);
        long threadId = Thread.currentThread().getId();

        long before = threads.getThreadAllocatedBytes(threadId);
        sum += check(teamSize);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertThat(sum).as("every check allowed, with 20 - 3 remaining").isEqualTo(2L * CALLS * 17);
        assertThat(allocated / CALLS).as("bytes allocated per allowed check").isLessThanOrEqualTo(40);
    }

    private static long check(IntLimit teamSize) {
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            LimitCheck check = teamSize.check(3, 1, 5);
            sum += check.allowed() && check.alternatives().isEmpty() ? check.remaining() : -1_000_000;
        }
        return sum;
    }

    private static long run(FieldReader root, int teamSize, int roles) {
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += root.intValue(teamSize, NO_ARGS, 5);
            sum += root.booleanValue(roles, NO_ARGS, false) ? 1 : 0;
        }
        return sum;
    }
}
