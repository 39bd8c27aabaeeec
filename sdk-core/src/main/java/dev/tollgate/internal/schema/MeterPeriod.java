package dev.tollgate.internal.schema;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The period a metered limit counts usage over: a calendar hour, day or month in UTC. A period starts at its first
 * instant and ends where the next one starts; usage counted in one period does not carry into the next.
 */
public enum MeterPeriod {
    HOUR,
    DAY,
    MONTH;

    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 86_400_000L;

    /** The start of the period holding {@code epochMillis}, in epoch milliseconds. */
    public long start(long epochMillis) {
        return switch (this) {
            case HOUR -> Math.floorDiv(epochMillis, HOUR_MILLIS) * HOUR_MILLIS;
            case DAY -> Math.floorDiv(epochMillis, DAY_MILLIS) * DAY_MILLIS;
            case MONTH -> monthStart(epochMillis);
        };
    }

    /** The end of the period that starts at {@code start} (the next period's start), in epoch milliseconds. */
    public long end(long start) {
        return switch (this) {
            case HOUR -> start + HOUR_MILLIS;
            case DAY -> start + DAY_MILLIS;
            case MONTH -> date(start)
                    .plusMonths(1)
                    .atStartOfDay()
                    .toInstant(ZoneOffset.UTC)
                    .toEpochMilli();
        };
    }

    /** Whether {@code epochMillis} is the first instant of a period of this kind. */
    public boolean isStart(long epochMillis) {
        return start(epochMillis) == epochMillis;
    }

    private static long monthStart(long epochMillis) {
        return date(epochMillis)
                .withDayOfMonth(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .toEpochMilli();
    }

    private static LocalDate date(long epochMillis) {
        return LocalDate.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
