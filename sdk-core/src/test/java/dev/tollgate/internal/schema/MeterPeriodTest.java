package dev.tollgate.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link MeterPeriod}: calendar hours, days and months in UTC, before and after the epoch. */
class MeterPeriodTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            HOUR  | 2026-12-06T15:42:17.123Z | 2026-12-06T15:00:00Z | 2026-12-06T16:00:00Z
            HOUR  | 2026-12-06T15:00:00Z     | 2026-12-06T15:00:00Z | 2026-12-06T16:00:00Z
            HOUR  | 2026-12-06T15:59:59.999Z | 2026-12-06T15:00:00Z | 2026-12-06T16:00:00Z
            HOUR  | 2026-12-31T23:30:00Z     | 2026-12-31T23:00:00Z | 2027-01-01T00:00:00Z
            HOUR  | 1969-12-31T23:59:59.999Z | 1969-12-31T23:00:00Z | 1970-01-01T00:00:00Z
            HOUR  | 1969-07-20T20:17:40Z     | 1969-07-20T20:00:00Z | 1969-07-20T21:00:00Z
            DAY   | 2026-12-06T15:42:17.123Z | 2026-12-06T00:00:00Z | 2026-12-07T00:00:00Z
            DAY   | 2026-12-06T00:00:00Z     | 2026-12-06T00:00:00Z | 2026-12-07T00:00:00Z
            DAY   | 2026-12-06T23:59:59.999Z | 2026-12-06T00:00:00Z | 2026-12-07T00:00:00Z
            DAY   | 2024-02-28T12:00:00Z     | 2024-02-28T00:00:00Z | 2024-02-29T00:00:00Z
            DAY   | 2026-12-31T08:00:00Z     | 2026-12-31T00:00:00Z | 2027-01-01T00:00:00Z
            DAY   | 1970-01-01T00:00:00Z     | 1970-01-01T00:00:00Z | 1970-01-02T00:00:00Z
            DAY   | 1969-12-31T23:59:59.999Z | 1969-12-31T00:00:00Z | 1970-01-01T00:00:00Z
            DAY   | 1969-07-20T20:17:40Z     | 1969-07-20T00:00:00Z | 1969-07-21T00:00:00Z
            MONTH | 2026-12-06T15:42:17.123Z | 2026-12-01T00:00:00Z | 2027-01-01T00:00:00Z
            MONTH | 2026-12-31T23:59:59.999Z | 2026-12-01T00:00:00Z | 2027-01-01T00:00:00Z
            MONTH | 2027-01-01T00:00:00Z     | 2027-01-01T00:00:00Z | 2027-02-01T00:00:00Z
            MONTH | 2026-01-31T10:00:00Z     | 2026-01-01T00:00:00Z | 2026-02-01T00:00:00Z
            MONTH | 2024-02-29T23:59:59.999Z | 2024-02-01T00:00:00Z | 2024-03-01T00:00:00Z
            MONTH | 2023-02-28T12:00:00Z     | 2023-02-01T00:00:00Z | 2023-03-01T00:00:00Z
            MONTH | 2000-02-29T00:00:00Z     | 2000-02-01T00:00:00Z | 2000-03-01T00:00:00Z
            MONTH | 2026-04-30T23:59:59Z     | 2026-04-01T00:00:00Z | 2026-05-01T00:00:00Z
            MONTH | 1970-01-01T00:00:00Z     | 1970-01-01T00:00:00Z | 1970-02-01T00:00:00Z
            MONTH | 1969-12-31T23:59:59.999Z | 1969-12-01T00:00:00Z | 1970-01-01T00:00:00Z
            MONTH | 1968-02-29T06:00:00Z     | 1968-02-01T00:00:00Z | 1968-03-01T00:00:00Z
            """)
    void startAndEnd_ofAnInstant_areTheUtcCalendarPeriodAroundIt(
            MeterPeriod period, Instant instant, Instant start, Instant end) {
        long begins = period.start(instant.toEpochMilli());

        assertThat(Instant.ofEpochMilli(begins)).isEqualTo(start);
        assertThat(Instant.ofEpochMilli(period.end(begins))).isEqualTo(end);
        assertThat(period.isStart(begins)).isTrue();
        assertThat(period.isStart(instant.toEpochMilli())).isEqualTo(instant.equals(start));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            HOUR  | 2026-12-06T15:00:00.001Z
            HOUR  | 2026-12-06T14:59:59.999Z
            HOUR  | 1969-12-31T23:00:00.001Z
            DAY   | 2026-12-06T01:00:00Z
            DAY   | 1969-12-31T23:59:59.999Z
            MONTH | 2026-12-02T00:00:00Z
            MONTH | 2026-12-01T01:00:00Z
            MONTH | 2026-11-30T23:59:59.999Z
            MONTH | 1969-12-01T00:00:00.001Z
            """)
    void isStart_offTheFirstInstant_isFalse(MeterPeriod period, Instant instant) {
        assertThat(period.isStart(instant.toEpochMilli())).isFalse();
    }

    /** Periods tile the timeline: each ends where the next starts, and every instant lies in exactly one. */
    @ParameterizedTest
    @EnumSource(MeterPeriod.class)
    void start_ofRandomInstants_agreesWithJavaTimeTruncation_andPeriodsTileTheTimeline(MeterPeriod period) {
        SplittableRandom random = new SplittableRandom(42);
        long from = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            long instant = random.nextLong(from, to);

            long start = period.start(instant);
            long end = period.end(start);

            assertThat(start).as("start of %s", instant).isEqualTo(truncated(period, instant));
            assertThat(instant).isGreaterThanOrEqualTo(start).isLessThan(end);
            assertThat(period.start(end - 1)).isEqualTo(start);
            assertThat(period.start(end)).isEqualTo(end);
            assertThat(period.isStart(end)).isTrue();
        }
    }

    @Test
    void end_ofEachMonthStartOfALeapYear_givesTheMonthsTheirLengths() {
        long start = Instant.parse("2028-01-01T00:00:00Z").toEpochMilli();
        int[] days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        for (int month = 0; month < 12; month++) {
            long end = MeterPeriod.MONTH.end(start);

            assertThat(end - start).as("month %d", month + 1).isEqualTo(days[month] * 86_400_000L);
            start = end;
        }
        assertThat(Instant.ofEpochMilli(start)).isEqualTo(Instant.parse("2029-01-01T00:00:00Z"));
    }

    private static long truncated(MeterPeriod period, long epochMillis) {
        OffsetDateTime time = Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
        OffsetDateTime start =
                switch (period) {
                    case HOUR -> time.truncatedTo(ChronoUnit.HOURS);
                    case DAY -> time.truncatedTo(ChronoUnit.DAYS);
                    case MONTH -> time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
                };
        return start.toInstant().toEpochMilli();
    }
}
