package dev.tollgate.internal.logs;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How often log batches may start: {@link #BURST} at once, then one per spacing, the flush interval or five seconds,
 * whichever is shorter. A service that calls {@code flushLogs()} after every request therefore sends about twelve
 * batches a minute at the default interval, not one per request; occasional flushes (a short job's last one, a test's)
 * still go at once.
 *
 * <p>It is the generic cell rate algorithm: {@code next} is when the budget would next be full again were one more
 * batch sent, and a batch may start when that lies no more than {@code BURST - 1} spacings ahead. Not thread-safe: the
 * {@link LogPipeline}'s monitor guards it.
 */
final class FlushBudget {
    static final int BURST = 5;
    static final Duration MAX_SPACING = Duration.ofSeconds(5);

    private final long spacing;
    private final LongSupplier nanoClock;
    private long next;

    FlushBudget(Duration flushInterval) {
        this(flushInterval, System::nanoTime);
    }

    FlushBudget(Duration flushInterval, LongSupplier nanoClock) {
        this.spacing = Math.min(flushInterval.toNanos(), MAX_SPACING.toNanos());
        this.nanoClock = nanoClock;
        this.next = nanoClock.getAsLong();
    }

    /** Nanoseconds until a batch may start; 0 when one may start now. */
    long waitNanos() {
        return Math.max(0, next - nanoClock.getAsLong() - (BURST - 1) * spacing);
    }

    /**
     * Counts a batch that starts now, whether or not the budget allowed it (a batch forced by the exposure threshold or
     * by closing); the debt is capped at one spacing, so forced batches never hold back a later flush for longer.
     */
    void take() {
        long now = nanoClock.getAsLong();
        long from = next - now < 0 ? now : next;
        next = Math.min(from - now + spacing, BURST * spacing) + now;
    }
}
