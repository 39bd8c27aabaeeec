package dev.tollgate.internal.schema;

import java.util.Objects;

/**
 * A field's {@code @metered(period: DAY, by: "context.organization.id")}: the Int field is a limit on usage, counted
 * per value of the context attribute {@code countedBy} (and per value of the field's arguments) over each {@code
 * period}.
 *
 * <p>With {@code window: ROLLING} the limit holds over the last period's length rather than the calendar period: usage is
 * still counted per calendar period, and a call adds to the current period's usage the share of the previous period's
 * that the window still covers, as the previous period had been used evenly (the sliding-window estimate).
 *
 * @param period the calendar period usage is counted over, in UTC
 * @param countedBy the context attribute whose value names what is counted, as written: {@code context.organization.id}
 * @param rolling whether the limit holds over a rolling window of the period's length
 * @param location where the directive is written
 */
public record MeterDefinition(MeterPeriod period, String countedBy, boolean rolling, SourceLocation location) {
    /** The prefix every counting attribute starts with: usage is counted by an attribute of the context. */
    public static final String CONTEXT_PREFIX = "context.";

    public MeterDefinition {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(countedBy, "countedBy");
        Objects.requireNonNull(location, "location");
    }

    /** The counting attribute's path within the context type, such as {@code organization.id}. */
    public String contextPath() {
        return countedBy.startsWith(CONTEXT_PREFIX) ? countedBy.substring(CONTEXT_PREFIX.length()) : countedBy;
    }

    /** What the schema hash covers of the directive. */
    String canonical() {
        return " @metered(" + period + "," + countedBy + (rolling ? ",ROLLING" : "") + ")";
    }
}
