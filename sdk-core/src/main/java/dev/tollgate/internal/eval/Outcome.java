package dev.tollgate.internal.eval;

import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;

/**
 * A prepared answer: a value with its reason, or a fallback with its cause. Outcomes are built when a snapshot is
 * compiled and shared by every evaluation that ends in them, so evaluating allocates nothing. Primitive copies of the
 * value spare the accessors an unboxing check.
 */
public final class Outcome {
    private static final Outcome[] NO_DESCENDANTS = new Outcome[0];

    final Reason reason;
    final Object value;
    final boolean booleanValue;
    final int intValue;
    final double doubleValue;
    final Outcome[] descendants;
    /**
     * Set once, by the compiler, after the snapshot has passed validation and before it is published (a volatile write
     * of the installed snapshot), so that slots are only registered for snapshots that are installed.
     */
    int counterSlot;

    private Outcome(Reason reason, Object value, Outcome[] descendants, int counterSlot) {
        this.reason = reason;
        this.value = value;
        this.booleanValue = value instanceof Boolean b && b;
        this.intValue = value instanceof Integer i ? i : 0;
        this.doubleValue = value instanceof Number n ? n.doubleValue() : 0.0;
        this.descendants = descendants;
        this.counterSlot = counterSlot;
    }

    static Outcome of(Reason reason, Object value, int counterSlot) {
        return new Outcome(reason, value, NO_DESCENDANTS, counterSlot);
    }

    /** An outcome for an object value; {@code descendants[i]} answers schema field {@code objectField.index + 1 + i}. */
    static Outcome ofObject(Reason reason, Object value, Outcome[] descendants, int counterSlot) {
        return new Outcome(reason, value, descendants, counterSlot);
    }

    public static Outcome fallback(FallbackCause cause, String message) {
        return new Outcome(Reason.fallback(cause, message), null, NO_DESCENDANTS, -1);
    }

    public boolean isFallback() {
        return value == null;
    }

    public Reason reason() {
        return reason;
    }

    /** The value: Boolean, Integer, Double, String (also enum names), an unmodifiable List or Map; null for a fallback. */
    public Object value() {
        return value;
    }

    public boolean booleanValue() {
        return booleanValue;
    }

    public int intValue() {
        return intValue;
    }

    public double doubleValue() {
        return doubleValue;
    }

    /**
     * The evaluation counter slot of a value outcome, or -1: fallbacks are counted by field and cause, and snapshots
     * compiled without logging have no slots.
     */
    public int counterSlot() {
        return counterSlot;
    }

    Outcome descendant(int offset) {
        return descendants[offset];
    }

    @Override
    public String toString() {
        return value + " (" + reason + ")";
    }
}
