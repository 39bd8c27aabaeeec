package dev.tollgate.benchmarks.tollgate;

import dev.tollgate.runtime.InputValue;
import java.util.Objects;

/** The schema input type {@code Organization}. Immutable. */
public final class Organization implements InputValue {
    private final String id;
    private final Plan plan;

    private Organization(String id, Plan plan) {
        this.id = Objects.requireNonNull(id, "Organization.id is required");
        this.plan = Objects.requireNonNull(plan, "Organization.plan is required");
    }

    public static Organization of(String id, Plan plan) {
        return new Organization(id, plan);
    }

    public String id() {
        return id;
    }

    public Plan plan() {
        return plan;
    }

    @Override
    public String inputTypeName() {
        return "Organization";
    }

    @Override
    public Object attribute(int slot) {
        return switch (slot) {
            case 0 -> id;
            case 1 -> plan.schemaName();
            default -> null;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Organization that && id.equals(that.id) && plan == that.plan;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, plan);
    }

    @Override
    public String toString() {
        return "Organization[id=" + id + ", plan=" + plan + "]";
    }
}
