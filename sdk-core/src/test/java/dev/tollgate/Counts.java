package dev.tollgate;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Waits on a count that a client's own threads move, such as the requests a test server has received: a request
 * already on its way when the test has seen what it waited for (a stream open on the server, {@code close()} returned)
 * lands a little later, on a loaded machine much later. A test that wants the count after it reads it once it has
 * stopped moving, not after a fixed sleep.
 */
public final class Counts {
    /** How long a count may keep moving before the wait gives up and returns what it reads. */
    private static final Duration CAP = Duration.ofSeconds(5);

    private Counts() {}

    /**
     * Reads {@code count} until it has not changed for {@code window} (a few of the intervals at which it can move),
     * for at most {@link #CAP}, and returns the last value read; the caller asserts on it, so a count that never stops
     * moving fails there.
     */
    public static int settled(IntSupplier count, Duration window) {
        long start = System.nanoTime();
        int value = count.getAsInt();
        long changed = start;
        while (System.nanoTime() - changed < window.toNanos() && System.nanoTime() - start < CAP.toNanos()) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the count to settle at " + value, e);
            }
            int now = count.getAsInt();
            if (now != value) {
                value = now;
                changed = System.nanoTime();
            }
        }
        return value;
    }
}
