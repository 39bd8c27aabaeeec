package dev.tollgate.benchmarks.tollgate;

/** The schema enum {@code Plan}. */
public enum Plan {
    FREE("FREE"),
    PRO("PRO"),
    ENTERPRISE("ENTERPRISE");

    private final String schemaName;

    Plan(String schemaName) {
        this.schemaName = schemaName;
    }

    /** The value's name in the schema, which is what snapshots compare against. */
    public String schemaName() {
        return schemaName;
    }
}
