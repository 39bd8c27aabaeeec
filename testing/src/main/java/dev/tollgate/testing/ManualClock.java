package dev.tollgate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that a test moves by hand, for time windows: give it to {@code TollgateClient.Builder.clock} (or a generated
 * client's builder) and a trial's {@code until} passes when the test says so, with no sleeping. Every root reads the
 * clock once, so a root taken before {@link #set} keeps the instant it was taken at.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2027-01-01T00:00:00Z").minusMillis(1));
 * Tollgate tollgate = Tollgate.builder().clock(clock).build();
 * ... // the trial's row answers
 * clock.advance(Duration.ofMillis(1));
 * ... // the plan's value answers, and the reason notes the lapse
 * }</pre>
 *
 * <p>Thread-safe: the client's and a server's threads see each move at once. Its zone is
 * UTC, and {@link #withZone} gives a view in another zone that moves with it.
 */
public final class ManualClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * A clock standing at {@code instant}, in UTC.
     *
     * @throws NullPointerException if {@code instant} is null
     */
    public static ManualClock at(Instant instant) {
        return new ManualClock(new AtomicReference<>(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
    }

    /**
     * Moves the clock to {@code instant}, forwards or back.
     *
     * @throws NullPointerException if {@code instant} is null
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock by {@code duration} (negative moves it back).
     *
     * @throws NullPointerException if {@code duration} is null
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of this clock in {@code zone}: the same instant, moved by the same calls. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new ManualClock(now, Objects.requireNonNull(zone, "zone"));
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + ", " + zone + "]";
    }
}
