package dev.tollgate.benchmarks.workload;

/** An organization's plan, as the application knows it (from its own database, say) before asking any SDK. */
public enum Plan {
    FREE,
    PRO,
    ENTERPRISE
}
