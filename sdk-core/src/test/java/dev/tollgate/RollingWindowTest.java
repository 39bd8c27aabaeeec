package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.meter.MeterLedger;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.MeteredLimit;
import dev.tollgate.testing.ManualClock;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code @metered(..., window: ROLLING)}: the limit holds over the last period's length, the current day's usage plus
 * the share of the previous day's that the window still covers (as if used evenly), rounded up; a calendar meter of
 * the same schema starts again from 0 at midnight.
 */
class RollingWindowTest {
    static final String SDL =
            """
            input Context { organization: Organization! }
            input Organization { id: String! }
            type Root { entitlements: Entitlements! }
            type Entitlements {
              rollingPerDay: Int! @metered(period: DAY, by: "context.organization.id", window: ROLLING)
              calendarPerDay: Int! @metered(period: DAY, by: "context.organization.id")
            }
            """;
    static final Schema SCHEMA = Schema.parse(SDL, "rolling.graphql");

    static final Instant DAY_ONE_NOON = Instant.parse("2026-12-06T12:00:00Z");
    static final Instant DAY_TWO = Instant.parse("2026-12-07T00:00:00Z");

    private static TollgateClient client(ManualClock clock) {
        TollgateClient client = TollgateClient.builder(SCHEMA)
                .clock(clock)
                .logs(LogOptions.disabled())
                .build();
        client.loadSnapshot(
                """
                {"format": 1, "revision": 1, "schemaHash": "%s", "fields": {
                  "entitlements.rollingPerDay": {"default": 100},
                  "entitlements.calendarPerDay": {"default": 100}}}
                """
                        .formatted(SCHEMA.hash()));
        return client;
    }

    private static MeteredLimit limit(TollgateClient client, String field) {
        return MeteredLimit.of(
                ApiAccess.bind(client, DynamicInput.context(SCHEMA, Map.of("organization", Map.of("id", "org_1")))),
                ApiAccess.model(SCHEMA).fieldIndex(field),
                new Object[0]);
    }

    private static int consumeUntilDenied(MeteredLimit limit) {
        int granted = 0;
        while (limit.tryConsume(1, 0).allowed()) {
            granted++;
        }
        return granted;
    }

    @Test
    void rollingWindow_countsTheShareOfYesterdayTheWindowStillCovers() {
        ManualClock clock = ManualClock.at(DAY_ONE_NOON);
        try (TollgateClient client = client(clock)) {
            MeteredLimit rolling = limit(client, "entitlements.rollingPerDay");
            MeteredLimit calendar = limit(client, "entitlements.calendarPerDay");
            for (int i = 0; i < 80; i++) {
                assertThat(rolling.tryConsume(1, 0).allowed()).isTrue();
                assertThat(calendar.tryConsume(1, 0).allowed()).isTrue();
            }

            clock.set(DAY_TWO.plus(Duration.ofHours(6)));
            Consumption first = rolling.tryConsume(1, 0);
            assertThat(first.status()).isEqualTo(Consumption.Status.ALLOWED);
            assertThat(first.used())
                    .as("18 of yesterday's 24 hours are in the window: 80 * 18/24 = 60, plus this one")
                    .isEqualTo(61);
            assertThat(first.limit()).isEqualTo(100);
            assertThat(first.resetsAt()).isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
            assertThat(consumeUntilDenied(rolling)).isEqualTo(39);
            Consumption denied = rolling.tryConsume(1, 0);
            assertThat(denied.status()).isEqualTo(Consumption.Status.DENIED);
            assertThat(denied.used()).isEqualTo(100);
            assertThat(calendar.usage(0).used())
                    .as("the calendar meter starts again at midnight")
                    .isZero();

            clock.set(DAY_TWO.plus(Duration.ofHours(18)));
            assertThat(rolling.usage(0).used())
                    .as("6 of yesterday's hours are left in the window: 80 * 6/24 = 20, plus today's 40")
                    .isEqualTo(60);
            assertThat(consumeUntilDenied(rolling)).isEqualTo(40);

            clock.set(DAY_TWO.plus(Duration.ofHours(18)).plusMillis(1));
            assertThat(rolling.usage(0).used())
                    .as("the share is rounded up: 80 * (6 h - 1 ms) / 24 h is just below 20")
                    .isEqualTo(100);
        }
    }

    @Test
    void rollingWindow_afterAQuietDay_hasNothingToCarry() {
        ManualClock clock = ManualClock.at(DAY_ONE_NOON);
        try (TollgateClient client = client(clock)) {
            MeteredLimit rolling = limit(client, "entitlements.rollingPerDay");
            for (int i = 0; i < 80; i++) {
                rolling.tryConsume(1, 0);
            }

            clock.set(DAY_TWO.plus(Duration.ofDays(1)).plus(Duration.ofHours(1)));

            assertThat(rolling.tryConsume(1, 0).used())
                    .as("the day with usage is two days back: out of the window")
                    .isEqualTo(1);
        }
    }

    @Test
    void rollingWindow_ofAClientStartedToday_carriesTheFleetsUsageOfYesterday() throws ReflectiveOperationException {
        ManualClock clock = ManualClock.at(DAY_TWO.plus(Duration.ofHours(6)));
        try (TollgateClient client = client(clock)) {
            MeterLedger ledger = ledger(client);
            ledger.fleet(List.of(MeterLedger.FleetRow.of(
                    "entitlements.rollingPerDay",
                    Map.of(),
                    "org_1",
                    "DAY",
                    Instant.parse("2026-12-06T00:00:00Z").toEpochMilli(),
                    80,
                    0,
                    7)));

            assertThat(limit(client, "entitlements.rollingPerDay").usage(0).used())
                    .isEqualTo(60);
            assertThat(limit(client, "entitlements.calendarPerDay").usage(0).used())
                    .as("a calendar meter has no use for yesterday")
                    .isZero();
        }
    }

    @Test
    void schemaHash_coversTheWindow() {
        Schema calendar = Schema.parse(SDL.replace(", window: ROLLING", ""), "rolling.graphql");
        Schema explicitCalendar = Schema.parse(SDL.replace("window: ROLLING", "window: CALENDAR"), "rolling.graphql");

        assertThat(calendar.hash()).isNotEqualTo(SCHEMA.hash());
        assertThat(explicitCalendar.hash()).isEqualTo(calendar.hash());
    }

    private static MeterLedger ledger(TollgateClient client) throws ReflectiveOperationException {
        Field meters = TollgateClient.class.getDeclaredField("meters");
        meters.setAccessible(true);
        return (MeterLedger) meters.get(client);
    }
}
