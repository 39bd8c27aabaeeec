package dev.tollgate.server;

import java.time.Instant;

/**
 * The UTC calendar periods a meter counts in: an hour, a day, a month. The calendar arithmetic is the SDK's ({@link
 * dev.tollgate.internal.schema.MeterPeriod}), so that the server and every client agree on where a period starts.
 */
enum MeterPeriod {
    HOUR,
    DAY,
    MONTH;

    private dev.tollgate.internal.schema.MeterPeriod calendar() {
        return dev.tollgate.internal.schema.MeterPeriod.valueOf(name());
    }

    /** The start of the period of this kind that contains {@code instant}. */
    Instant start(Instant instant) {
        return Instant.ofEpochMilli(calendar().start(instant.toEpochMilli()));
    }

    /** The end (exclusive) of the period of this kind that starts at {@code start}. */
    Instant end(Instant start) {
        return Instant.ofEpochMilli(calendar().end(start.toEpochMilli()));
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
}
