package dev.tollgate.internal.source;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": the n-th consecutive delay is drawn uniformly from the upper half of {@code
 * min(max, initial * 2^n)}, so retries of many clients spread out but never come sooner than half the nominal delay.
 * Not thread-safe: each source confines its backoffs to the client's thread.
 */
final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
    }

    /** The delay before the next attempt, counting one more consecutive failure. */
    Duration next() {
        long nominal = initialNanos;
        for (int i = 0; i < failures && nominal < maxNanos; i++) {
            nominal *= 2;
        }
        nominal = Math.min(nominal, maxNanos);
        failures++;
        long half = nominal / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(nominal - half + 1));
    }

    /** After a success: the next failure starts from the initial delay again. */
    void reset() {
        failures = 0;
    }

    /** Whether the last attempt failed. */
    boolean failing() {
        return failures > 0;
    }

    /** A period shortened or lengthened at random by up to {@code fraction} of itself. */
    static Duration jittered(Duration period, double fraction) {
        long nanos = period.toNanos();
        long spread = (long) (nanos * fraction);
        if (spread == 0) {
            return period;
        }
        return Duration.ofNanos(nanos - spread + ThreadLocalRandom.current().nextLong(2 * spread + 1));
    }
}
