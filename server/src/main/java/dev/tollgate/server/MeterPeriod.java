package dev.tollgate.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** The UTC calendar periods a meter counts in: an hour, a day, a month. */
enum MeterPeriod {
    HOUR,
    DAY,
    MONTH;

    /** The start of the period of this kind that contains {@code instant}. */
    Instant start(Instant instant) {
        return switch (this) {
            case HOUR -> instant.truncatedTo(ChronoUnit.HOURS);
            case DAY -> instant.truncatedTo(ChronoUnit.DAYS);
            case MONTH -> utc(instant)
                    .truncatedTo(ChronoUnit.DAYS)
                    .withDayOfMonth(1)
                    .toInstant();
        };
    }

    /** The end (exclusive) of the period of this kind that starts at {@code start}. */
    Instant end(Instant start) {
        return switch (this) {
            case HOUR -> start.plus(1, ChronoUnit.HOURS);
            case DAY -> start.plus(1, ChronoUnit.DAYS);
            case MONTH -> utc(start).plusMonths(1).toInstant();
        };
    }

    /** The period kind named {@code text}, or null. */
    static MeterPeriod named(String text) {
        for (MeterPeriod period : values()) {
            if (period.name().equals(text)) {
                return period;
            }
        }
        return null;
    }

    private static ZonedDateTime utc(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }
}
