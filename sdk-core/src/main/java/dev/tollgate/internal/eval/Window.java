package dev.tollgate.internal.eval;

import java.time.Instant;

/**
 * Time windows of override rows and rules, as two longs of epoch milliseconds: a window covers the instants {@code from
 * <= now < until}. An open side is {@link #OPEN_FROM} or {@link #OPEN_UNTIL}, so checking a window is two comparisons of
 * primitives, whatever the number of windowed rows.
 */
final class Window {
    /** The {@code from} of a window that has none: every instant is at or after it. */
    static final long OPEN_FROM = Long.MIN_VALUE;
    /** The {@code until} of a window that has none: every instant a clock gives is before it. */
    static final long OPEN_UNTIL = Long.MAX_VALUE;

    private Window() {}

    /** Whether the window {@code [from, until)} covers {@code now}: exactly at {@code from} yes, at {@code until} no. */
    static boolean covers(long from, long until, long now) {
        return now >= from && now < until;
    }

    /** Why a window does not cover {@code now}, for explanations: {@code lapsed at ...} or {@code starts at ...}. */
    static String missed(long from, long until, long now) {
        return now >= until ? "lapsed at " + Instant.ofEpochMilli(until) : "starts at " + Instant.ofEpochMilli(from);
    }
}
