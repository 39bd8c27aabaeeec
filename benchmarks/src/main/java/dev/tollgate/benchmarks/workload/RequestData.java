package dev.tollgate.benchmarks.workload;

/** What a request knows about its caller before asking for entitlements: the raw input every SDK's context is made of. */
public record RequestData(String organizationId, Plan plan, String userId) {}
