package dev.tollgate.server;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing: counts failed authentications per client address in one-minute windows; once an address has
 * used up its allowance, every request from it gets 429 with {@code Retry-After} until the window ends, even with a
 * valid token. Bounded: past 100,000 tracked addresses the table is cleared.
 *
 * <p>Concurrency: request threads update the map with atomic {@code compute} calls only.
 */
final class AuthFailures {
    private static final long WINDOW_MILLIS = 60_000;
    private static final int MAX_ADDRESSES = 100_000;

    private final Clock clock;
    private final int allowed;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    AuthFailures(Clock clock, int allowedPerMinute) {
        this.clock = clock;
        this.allowed = allowedPerMinute;
    }

    private record Window(long start, int failures) {}

    /** Seconds until {@code address} may try again, or 0 when it is not blocked. */
    long blockedForSeconds(String address) {
        Window window = windows.get(address);
        long now = clock.millis();
        if (window == null || now - window.start() >= WINDOW_MILLIS || window.failures() < allowed) {
            return 0;
        }
        return Math.max(1, (window.start() + WINDOW_MILLIS - now + 999) / 1000);
    }

    void recordFailure(String address) {
        if (windows.size() > MAX_ADDRESSES) {
            windows.clear();
        }
        long now = clock.millis();
        windows.compute(
                address,
                (key, window) -> window == null || now - window.start() >= WINDOW_MILLIS
                        ? new Window(now, 1)
                        : new Window(window.start(), window.failures() + 1));
    }
}
