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

    private Outcome(Reason reason, Object value, Outcome[] descendants) {
        this.reason = reason;
        this.value = value;
        this.booleanValue = value instanceof Boolean b && b;
        this.intValue = value instanceof Integer i ? i : 0;
        this.doubleValue = value instanceof Number n ? n.doubleValue() : 0.0;
        this.descendants = descendants;
    }

    static Outcome of(Reason reason, Object value) {
        return new Outcome(reason, value, NO_DESCENDANTS);
    }

    /** An outcome for an object value; {@code descendants[i]} answers schema field {@code objectField.index + 1 + i}. */
    static Outcome ofObject(Reason reason, Object value, Outcome[] descendants) {
        return new Outcome(reason, value, descendants);
    }

    public static Outcome fallback(FallbackCause cause, String message) {
        return new Outcome(Reason.fallback(cause, message), null, NO_DESCENDANTS);
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

    Outcome descendant(int offset) {
        return descendants[offset];
    }

    @Override
    public String toString() {
        return value + " (" + reason + ")";
    }
}
