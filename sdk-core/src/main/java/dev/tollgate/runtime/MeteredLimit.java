package dev.tollgate.runtime;

import java.util.Objects;

/**
 * A metered Int field read as a limit on usage: what a generated node's no-fallback accessor of a {@code @metered} field
 * returns, as in {@code root.entitlements().maxApiRequestsPerDay("search")}. {@link #tryConsume(int, int)} counts usage
 * against the limit in the current period, per value of the field's counting attribute and arguments, locally: no I/O,
 * and no lock shared with other keys. Immutable and thread-safe; it reads the snapshot of the root it came from.
 */
public final class MeteredLimit {
    private final SnapshotReader reader;
    private final InputValue context;
    private final int field;
    private final Object[] arguments;

    private MeteredLimit(SnapshotReader reader, InputValue context, int field, Object[] arguments) {
        this.reader = reader;
        this.context = context;
        this.field = field;
        this.arguments = arguments;
    }

    /**
     * The metered limit of field {@code field}, read through {@code reader} with {@code arguments}: what generated code
     * calls.
     *
     * @throws NullPointerException if {@code reader} or {@code arguments} is null
     */
    public static MeteredLimit of(FieldReader reader, int field, Object[] arguments) {
        Objects.requireNonNull(reader, "reader");
        return new MeteredLimit(
                FieldReaders.reader(reader),
                FieldReaders.context(reader),
                field,
                Objects.requireNonNull(arguments, "arguments"));
    }

    /**
     * The metered limit of field {@code field} for {@code context}, read through {@code reader} with {@code arguments}: what
     * generated code calls.
     *
     * @throws NullPointerException if {@code reader}, {@code context} or {@code arguments} is null
     */
    public static MeteredLimit of(SnapshotReader reader, InputValue context, int field, Object[] arguments) {
        return new MeteredLimit(
                Objects.requireNonNull(reader, "reader"),
                Objects.requireNonNull(context, "context"),
                field,
                Objects.requireNonNull(arguments, "arguments"));
    }

    /**
     * Counts {@code amount} against the limit, if it fits: within a hard limit the amount is counted and the request
     * allowed; past it nothing is counted and the request denied. Past a soft limit (declared in the snapshot) the
     * amount is counted and allowed, and the answer says it is over. Like the plain accessor it never throws because of
     * the logic: when the snapshot cannot give a well-typed limit, {@code fallback} is the limit and the reason says
     * why.
     *
     * @param amount how much to consume, such as 1 for one request; 0 only looks
     * @param fallback the limit whenever the snapshot cannot give one
     * @return the verdict, the limit, the usage and when it resets, and the reason
     * @throws IllegalArgumentException if {@code amount} is negative: an amount cannot be, so it is a bug in the caller
     */
    public Consumption tryConsume(int amount, int fallback) {
        Consumption.requireNotNegative("amount", amount);
        return reader.consume(context, field, arguments, amount, fallback);
    }

    /**
     * The period's usage and the limit, consuming nothing: {@code tryConsume(0, fallback)}.
     *
     * @param fallback the limit whenever the snapshot cannot give one
     */
    public Consumption usage(int fallback) {
        return reader.consume(context, field, arguments, 0, fallback);
    }

    /**
     * The limit alone, like the field's plain accessor, without the one-off extras granted for the period.
     *
     * @param fallback returned whenever the snapshot cannot give a well-typed value
     * @return the limit for the root's context, or {@code fallback}
     */
    public int value(int fallback) {
        return reader.intValue(context, field, arguments, fallback);
    }

    @Override
    public String toString() {
        return "MeteredLimit[field=" + field + ", revision=" + reader.revision() + "]";
    }
}
