package dev.tollgate.runtime;

import java.util.Objects;

/**
 * An Int field read as a limit: what a generated node's no-fallback accessor of an Int field returns, as in {@code
 * root.entitlements().maxTeamSize()}, so that service code checks usage against it with {@link #check(int, int, int)}.
 * Immutable and thread-safe; it reads the snapshot of the root it came from.
 */
public final class IntLimit {
    private final SnapshotReader reader;
    private final InputValue context;
    private final int field;
    private final Object[] arguments;

    private IntLimit(SnapshotReader reader, InputValue context, int field, Object[] arguments) {
        this.reader = reader;
        this.context = context;
        this.field = field;
        this.arguments = arguments;
    }

    /**
     * The limit of field {@code field}, read through {@code reader} with {@code arguments}: what generated code calls.
     *
     * @throws NullPointerException if {@code reader} or {@code arguments} is null
     */
    public static IntLimit of(FieldReader reader, int field, Object[] arguments) {
        Objects.requireNonNull(reader, "reader");
        return new IntLimit(
                FieldReaders.reader(reader),
                FieldReaders.context(reader),
                field,
                Objects.requireNonNull(arguments, "arguments"));
    }

    /**
     * The limit of field {@code field} for {@code context}, read through {@code reader} with {@code arguments}: what
     * generated code calls.
     *
     * @throws NullPointerException if {@code reader}, {@code context} or {@code arguments} is null
     */
    public static IntLimit of(SnapshotReader reader, InputValue context, int field, Object[] arguments) {
        return new IntLimit(
                Objects.requireNonNull(reader, "reader"),
                Objects.requireNonNull(context, "context"),
                field,
                Objects.requireNonNull(arguments, "arguments"));
    }

    /**
     * Whether {@code requested} more fits within the limit when {@code used} is in use already: {@code used +
     * requested <= limit}, added without overflow. Like the plain accessor, it does not throw because of the logic:
     * when the snapshot cannot give a well-typed limit, {@code fallback} is the limit and the reason says why. A
     * denial lists the enum context values (such as the plans) that would allow the request; an allowed check
     * computes none and allocates only its result, plus, when an override row answered, the reason naming its key.
     *
     * @param used how much is in use already, such as the current team size
     * @param requested how much more is asked for, such as 1 for one more member
     * @param fallback the limit whenever the snapshot cannot give one
     * @return the verdict, the limit, the reason and, for a denial, the alternatives
     * @throws IllegalArgumentException if {@code used} or {@code requested} is negative: an amount cannot be, so it is
     *     a bug in the caller rather than something the logic decides
     */
    public LimitCheck check(int used, int requested, int fallback) {
        LimitCheck.requireNotNegative("used", used);
        LimitCheck.requireNotNegative("requested", requested);
        return reader.limitCheck(context, field, arguments, used, requested, fallback);
    }

    /**
     * The limit alone, like the field's plain accessor.
     *
     * @param fallback returned whenever the snapshot cannot give a well-typed value
     * @return the limit for the root's context, or {@code fallback}
     */
    public int value(int fallback) {
        return reader.intValue(context, field, arguments, fallback);
    }

    @Override
    public String toString() {
        return "IntLimit[field=" + field + ", revision=" + reader.revision() + "]";
    }
}
