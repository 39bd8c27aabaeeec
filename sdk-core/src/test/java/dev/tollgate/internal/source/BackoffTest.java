package dev.tollgate.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @RepeatedTest(20)
    void next_doublesFromTheInitialDelay_withinTheUpperHalf_upToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));

        assertThat(backoff.failing()).isFalse();
        assertThat(backoff.next()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next()).isBetween(Duration.ofMillis(250), Duration.ofMillis(500));
        }
        assertThat(backoff.failing()).isTrue();
    }

    @Test
    void reset_startsOverFromTheInitialDelay() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }

        backoff.reset();

        assertThat(backoff.failing()).isFalse();
        assertThat(backoff.next()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @RepeatedTest(20)
    void jittered_staysWithinTheFraction() {
        assertThat(Backoff.jittered(Duration.ofSeconds(30), 0.1))
                .isBetween(Duration.ofSeconds(27), Duration.ofSeconds(33));
        assertThat(Backoff.jittered(Duration.ofSeconds(30), 0)).isEqualTo(Duration.ofSeconds(30));
    }
}
