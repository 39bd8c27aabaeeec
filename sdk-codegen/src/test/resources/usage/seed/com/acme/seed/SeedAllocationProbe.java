package com.acme.seed;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measures what the generated accessors allocate: nothing per call for fields without arguments, counted with the
 * JVM's per-thread allocation counter over enough calls that one allocation per call would show as megabytes.
 */
public final class SeedAllocationProbe implements Supplier<Map<String, Object>> {
    private static final int CALLS = 200_000;

    @Override
    public Map<String, Object> get() {
        try (Tollgate tollgate = Tollgate.create()) {
            tollgate.loadSnapshot("""
                    {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {
                      "entitlements.maxTeamSize": {
                        "overrides": [{"by": "context.organization.id", "values": {"org_42": 50}}],
                        "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"}, "value": 20}],
                        "default": 5},
                      "entitlements.teamRolesEnabled": {"default": true}}}
                    """.formatted(Tollgate.SCHEMA_HASH));
            Entitlements entitlements = tollgate.root(Context.builder()
                            .organization("org_1", Plan.PRO)
                            .user("u1")
                            .build())
                    .entitlements();
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long sum = run(entitlements);
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            sum += run(entitlements);
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            return Map.of("sum", sum, "allocated", allocated, "calls", 2L * CALLS);
        }
    }

    private static long run(Entitlements entitlements) {
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += entitlements.maxTeamSize(5);
            sum += entitlements.teamRolesEnabled(false) ? 1 : 0;
        }
        return sum;
    }
}
