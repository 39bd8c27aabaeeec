package dev.tollgate.runtime;

import dev.tollgate.Reason;
import java.time.Instant;
import java.util.Objects;

/**
 * The answer to "may this caller use {@code requested} more of a metered limit?": whether it may, the limit and why it
 * came out, how much of the period's usage is taken and left, and when the period resets. Obtained from a generated
 * metered field's {@link MeteredLimit}, as in {@code root.entitlements().maxApiRequestsPerDay("search").tryConsume(1,
 * 100)}.
 *
 * <p>{@link #used()} is the usage the client knows of: what the whole fleet reported to the Tollgate server as of the
 * last sync, plus what this client consumed since (see {@code docs/metering.md}). Immutable; equal when every part is.
 */
public final class Consumption {
    /** What happened to the request. */
    public enum Status {
        /** Within the limit: the amount is counted. */
        ALLOWED,
        /** Past a soft limit: allowed and counted, and reported as over the limit. */
        ALLOWED_OVER_LIMIT,
        /** Past a hard limit: nothing is counted. */
        DENIED,
        /**
         * Allowed without being counted, because usage cannot be counted for this call; {@link #message()} says why
         * (the context has no value for the counting attribute, the field is not metered, or the client counts as
         * many keys in this period as it may).
         */
        NOT_COUNTED
    }

    private final Status status;
    private final long limit;
    private final long used;
    private final long requested;
    private final long resetsAtMillis;
    private final Reason reason;
    private final String message;

    private Consumption(
            Status status, long limit, long used, long requested, long resetsAtMillis, Reason reason, String message) {
        this.status = status;
        this.limit = limit;
        this.used = used;
        this.requested = requested;
        this.resetsAtMillis = resetsAtMillis;
        this.reason = reason;
        this.message = message;
    }

    /**
     * A counted answer: {@code status} is not {@link Status#NOT_COUNTED}.
     *
     * @param status allowed, allowed over a soft limit, or denied
     * @param limit the limit in force: the field's value (or the caller's fallback) plus any one-off extra granted for
     *     the period
     * @param used the period's usage after this request: including {@code requested} unless denied
     * @param requested the amount asked for
     * @param resetsAtMillis when the period ends, in epoch milliseconds
     * @param reason why the field's value came out
     * @throws IllegalArgumentException if {@code status} is {@link Status#NOT_COUNTED}, or an amount is negative
     * @throws NullPointerException if {@code status} or {@code reason} is null
     */
    public static Consumption counted(
            Status status, long limit, long used, long requested, long resetsAtMillis, Reason reason) {
        if (Objects.requireNonNull(status, "status") == Status.NOT_COUNTED) {
            throw new IllegalArgumentException("a counted consumption cannot be NOT_COUNTED; use notCounted");
        }
        requireNotNegative("used", used);
        requireNotNegative("requested", requested);
        return new Consumption(
                status, limit, used, requested, resetsAtMillis, Objects.requireNonNull(reason, "reason"), null);
    }

    /**
     * An answer that counted nothing and allowed the request, for the reason {@code message} gives.
     *
     * @param limit the field's value, or the caller's fallback
     * @param requested the amount asked for
     * @param reason why the field's value came out
     * @param message why usage was not counted
     * @throws NullPointerException if {@code reason} or {@code message} is null
     */
    public static Consumption notCounted(long limit, long requested, Reason reason, String message) {
        requireNotNegative("requested", requested);
        return new Consumption(
                Status.NOT_COUNTED,
                limit,
                0,
                requested,
                Long.MAX_VALUE,
                Objects.requireNonNull(reason, "reason"),
                Objects.requireNonNull(message, "message"));
    }

    /**
     * Throws unless {@code amount} is at least 0: a negative amount is a bug in the caller, not something the logic
     * decides.
     *
     * @throws IllegalArgumentException naming the argument and its value
     */
    static void requireNotNegative(String name, long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException(name + " must not be negative, but was " + amount);
        }
    }

    /** Whether the request may go ahead: every status but {@link Status#DENIED}. */
    public boolean allowed() {
        return status != Status.DENIED;
    }

    public Status status() {
        return status;
    }

    /**
     * The limit in force: the field's value for the root's context (or the caller's fallback, when {@link #reason()} is
     * a fallback) plus any one-off extra granted for the current period.
     */
    public long limit() {
        return limit;
    }

    /** The period's usage after this request; 0 when {@link Status#NOT_COUNTED}. */
    public long used() {
        return used;
    }

    /** How much was asked for; 0 for a look at the usage that consumes nothing. */
    public long requested() {
        return requested;
    }

    /** How much is left in the period: {@code limit - used}, never below 0. */
    public long remaining() {
        return Math.max(0L, limit - used);
    }

    /** Whether usage is past the limit: after this request if allowed, with it if denied. */
    public boolean overLimit() {
        return status == Status.DENIED || (status != Status.NOT_COUNTED && used > limit);
    }

    /** When the period ends and usage starts again from 0; {@link Instant#MAX} when nothing was counted. */
    public Instant resetsAt() {
        return resetsAtMillis == Long.MAX_VALUE ? Instant.MAX : Instant.ofEpochMilli(resetsAtMillis);
    }

    /**
     * Why the field's value came out: the rule, override (with its key) or default; or the fallback cause when the
     * logic could not answer and the caller's fallback is the limit.
     */
    public Reason reason() {
        return reason;
    }

    /** Why usage was not counted, for {@link Status#NOT_COUNTED}; else null. */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Consumption c
                && status == c.status
                && limit == c.limit
                && used == c.used
                && requested == c.requested
                && resetsAtMillis == c.resetsAtMillis
                && reason.equals(c.reason)
                && Objects.equals(message, c.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, limit, used, requested, resetsAtMillis, reason, message);
    }

    /** Such as {@code Consumption[DENIED, used 100 of 100, requested 1, resets 2026-12-07T00:00:00Z (rule:pro)]}. */
    @Override
    public String toString() {
        if (status == Status.NOT_COUNTED) {
            return "Consumption[NOT_COUNTED, limit " + limit + ", requested " + requested + ": " + message + " ("
                    + reason + ")]";
        }
        return "Consumption[" + status + ", used " + used + " of " + limit + ", requested " + requested + ", resets "
                + resetsAt() + " (" + reason + ")]";
    }
}
