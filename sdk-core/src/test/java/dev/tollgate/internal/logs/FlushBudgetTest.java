package dev.tollgate.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FlushBudgetTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private long now = 1_000 * SECOND;

    @Test
    void aBurstOfFiveGoesAtOnce_thenOneBatchPerFlushInterval() {
        FlushBudget budget = new FlushBudget(Duration.ofSeconds(5), () -> now);
        for (int i = 0; i < 5; i++) {
            assertThat(budget.waitNanos()).as("batch %d of the burst", i + 1).isZero();
            budget.take();
        }

        assertThat(budget.waitNanos()).isEqualTo(5 * SECOND);
        now += 5 * SECOND;
        assertThat(budget.waitNanos()).isZero();
        budget.take();
        assertThat(budget.waitNanos()).isEqualTo(5 * SECOND);
    }

    @Test
    void sustained_sendsTwelveBatchesAMinute_atTheDefaultInterval() {
        FlushBudget budget = new FlushBudget(Duration.ofSeconds(5), () -> now);
        drain(budget);
        int sent = 0;
        for (int step = 1; step <= 600; step++) {
            now += SECOND / 10;
            if (budget.waitNanos() == 0) {
                budget.take();
                sent++;
            }
        }

        assertThat(sent).isEqualTo(12);
    }

    @Test
    void spacing_isTheFlushIntervalOrFiveSeconds_whicheverIsShorter() {
        FlushBudget fast = new FlushBudget(Duration.ofMillis(200), () -> now);
        FlushBudget slow = new FlushBudget(Duration.ofHours(1), () -> now);
        drain(fast);
        drain(slow);

        assertThat(fast.waitNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(slow.waitNanos()).isEqualTo(5 * SECOND);
    }

    @Test
    void batchesForcedPastTheBudget_holdTheNextBackForOneSpacingAtMost() {
        FlushBudget budget = new FlushBudget(Duration.ofSeconds(5), () -> now);
        for (int i = 0; i < 100; i++) {
            budget.take();
        }

        assertThat(budget.waitNanos()).isEqualTo(5 * SECOND);
    }

    @Test
    void aQuietBudget_refillsToAFullBurst() {
        FlushBudget budget = new FlushBudget(Duration.ofSeconds(5), () -> now);
        drain(budget);
        now += 3_600 * SECOND;

        for (int i = 0; i < 5; i++) {
            assertThat(budget.waitNanos()).isZero();
            budget.take();
        }
        assertThat(budget.waitNanos()).isPositive();
    }

    private static void drain(FlushBudget budget) {
        while (budget.waitNanos() == 0) {
            budget.take();
        }
    }
}
