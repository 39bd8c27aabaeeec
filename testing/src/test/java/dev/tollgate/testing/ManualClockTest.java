package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final Instant START = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void standsStill_untilSetOrAdvanced_forwardsAndBack() {
        ManualClock clock = ManualClock.at(START);

        assertThat(clock.instant()).isEqualTo(START);
        assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
        clock.advance(Duration.ofMillis(1));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2027-01-01T00:00:00.001Z"));
        clock.advance(Duration.ofDays(-1));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-31T00:00:00.001Z"));
        clock.set(START.plusSeconds(2));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2027-01-01T00:00:02Z"));
    }

    @Test
    void aViewInAnotherZone_movesWithTheClock() {
        ManualClock clock = ManualClock.at(START);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.instant()).isEqualTo(Instant.parse("2027-01-01T01:00:00Z"));
        assertThat(paris.toString()).isEqualTo("ManualClock[2027-01-01T01:00:00Z, Europe/Paris]");
    }

    @Test
    void nulls_areRefusedNamingTheArgument() {
        ManualClock clock = ManualClock.at(START);

        assertThatNullPointerException().isThrownBy(() -> ManualClock.at(null)).withMessage("instant");
        assertThatNullPointerException().isThrownBy(() -> clock.set(null)).withMessage("instant");
        assertThatNullPointerException().isThrownBy(() -> clock.advance(null)).withMessage("duration");
        assertThatNullPointerException().isThrownBy(() -> clock.withZone(null)).withMessage("zone");
        assertThat(clock.instant()).isEqualTo(START);
    }
}
