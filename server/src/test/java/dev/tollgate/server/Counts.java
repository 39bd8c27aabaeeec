package dev.tollgate.server;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Waits on counts the tests read from a server. A request is counted in {@code tollgate_http_requests_total} once its
 * answer is written ({@code Router.handle} counts it in {@code finally}), so a scrape may lag an answer the caller
 * already has; a usage batch sent just before its sender died lands a little later. Each wait returns the last value
 * read and never fails: the caller asserts on it, so a count that never gets there fails with the caller's message.
 */
final class Counts {
    /** How long a wait reads at most: a loaded CI machine can hold a request's thread for a while. */
    private static final Duration CAP = Duration.ofSeconds(10);
    /** How long a count must stay the same to count as settled. */
    private static final Duration SETTLED = Duration.ofMillis(300);

    private static final long READ_EVERY_MILLIS = 20;

    private Counts() {}

    /** Reads {@code count} until it is {@code expected}, for at most {@link #CAP}; for a gauge that goes up and down. */
    static long awaitValue(LongSupplier count, long expected) {
        long deadline = System.nanoTime() + CAP.toNanos();
        long value = count.getAsLong();
        while (value != expected && System.nanoTime() < deadline) {
            pause();
            value = count.getAsLong();
        }
        return value;
    }

    /** {@link #settled(LongSupplier, long, Duration)} over {@link #SETTLED}. */
    static long settled(LongSupplier count, long atLeast) {
        return settled(count, atLeast, SETTLED);
    }

    /**
     * Reads {@code count} until it is at least {@code atLeast} and has not changed for {@code window}, for at most
     * {@link #CAP}. Waiting for it to settle, not just to arrive, also catches a count that goes past what was expected.
     */
    static long settled(LongSupplier count, long atLeast, Duration window) {
        long start = System.nanoTime();
        long value = count.getAsLong();
        long changed = start;
        while ((value < atLeast || System.nanoTime() - changed < window.toNanos())
                && System.nanoTime() - start < CAP.toNanos()) {
            pause();
            long now = count.getAsLong();
            if (now != value) {
                value = now;
                changed = System.nanoTime();
            }
        }
        return value;
    }

    private static void pause() {
        try {
            Thread.sleep(READ_EVERY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted reading a count", e);
        }
    }
}
