package dev.tollgate.server;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts events per key (a client address, a token at an address) in one-minute windows, and says how long a key that
 * has used up its allowance must wait. The server keeps two: failed authentications per address, which slows down
 * guessing, and SDK requests per endpoint, token and address, which keeps one misconfigured service from flooding the
 * server (each SDK endpoint has its own allowance, so that log batches cannot starve snapshot fetches). Bounded: past
 * 100,000 tracked keys the table is cleared.
 *
 * <p>Concurrency: request threads update the map with atomic {@code compute} calls only.
 */
final class MinuteWindows {
    private static final long WINDOW_MILLIS = 60_000;
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final int allowed;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    MinuteWindows(Clock clock, int allowedPerMinute) {
        this.clock = clock;
        this.allowed = allowedPerMinute;
    }

    private record Window(long start, int count) {}

    /** Seconds until {@code key} may go on, or 0 when it has not used up its allowance. */
    long blockedForSeconds(String key) {
        return blockedForSeconds(windows.get(key), clock.millis());
    }

    /** Counts one event for {@code key}. */
    void record(String key) {
        count(key, clock.millis());
    }

    /**
     * Counts one event for {@code key} and says whether it was within the allowance: 0 when it was, else the seconds
     * until the window ends.
     */
    long acquire(String key) {
        long now = clock.millis();
        Window window = count(key, now);
        return window.count() > allowed ? secondsLeft(window, now) : 0;
    }

    private Window count(String key, long now) {
        if (windows.size() > MAX_KEYS) {
            windows.clear();
        }
        return windows.compute(
                key,
                (k, window) -> window == null || now - window.start() >= WINDOW_MILLIS
                        ? new Window(now, 1)
                        : new Window(window.start(), window.count() + 1));
    }

    private long blockedForSeconds(Window window, long now) {
        if (window == null || now - window.start() >= WINDOW_MILLIS || window.count() < allowed) {
            return 0;
        }
        return secondsLeft(window, now);
    }

    private static long secondsLeft(Window window, long now) {
        return Math.max(1, (window.start() + WINDOW_MILLIS - now + 999) / 1000);
    }
}
