package dev.tollgate.internal.eval;

import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;

/**
 * A prepared answer: a value with its reason, or a fallback with its cause. Outcomes are built when a snapshot is
 * compiled and shared by every evaluation that ends in them, so evaluating allocates nothing. Primitive copies of the
 * value spare the accessors an unboxing check.
 *
 * <p>Each value outcome of a compiled snapshot has an {@link #id()}, numbering the snapshot's value outcomes densely
 * from 0, and a {@link #key()} naming what it counts as in evaluation logs. Fallbacks have neither: they are counted by
 * field and cause.
 */
public final class Outcome {
    private static final Outcome[] NO_DESCENDANTS = new Outcome[0];

    final Reason reason;
    final Object value;
    final boolean booleanValue;
    final int intValue;
    final double doubleValue;
    final Outcome[] descendants;
    private final int id;
    private final OutcomeKey key;
    /**
     * -1 until the client installing the snapshot attaches the slot ({@link CompiledSnapshot#attachCounterSlots}): on
     * the installing thread, once the snapshot has passed validation and is newer than the installed one, and before
     * the volatile write that publishes it, which makes this plain write visible to every thread evaluating it.
     */
    int counterSlot = -1;
    /**
     * Whether usage of a metered field may pass this outcome's value, as a limit, instead of being denied: the {@code
     * softLimit} of the rule or of the field's logic. Set while the snapshot is compiled, before it is published.
     */
    boolean softLimit;

    private Outcome(Reason reason, Object value, Outcome[] descendants, int id, OutcomeKey key) {
        this.reason = reason;
        this.value = value;
        this.booleanValue = value instanceof Boolean b && b;
        this.intValue = value instanceof Integer i ? i : 0;
        this.doubleValue = value instanceof Number n ? n.doubleValue() : 0.0;
        this.descendants = descendants;
        this.id = id;
        this.key = key;
    }

    /** Value outcome number {@code id} of its snapshot, counted as {@code key}. */
    static Outcome of(Reason reason, Object value, int id, OutcomeKey key) {
        return new Outcome(reason, value, NO_DESCENDANTS, id, key);
    }

    /** An outcome for an object value; {@code descendants[i]} answers schema field {@code objectField.index + 1 + i}. */
    static Outcome ofObject(Reason reason, Object value, Outcome[] descendants, int id, OutcomeKey key) {
        return new Outcome(reason, value, descendants, id, key);
    }

    public static Outcome fallback(FallbackCause cause, String message) {
        return new Outcome(Reason.fallback(cause, message), null, NO_DESCENDANTS, -1, null);
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

    /** The number of this value outcome among its snapshot's, from 0; -1 for a fallback. */
    public int id() {
        return id;
    }

    /** What this value outcome counts as in evaluation logs; null for a fallback. */
    public OutcomeKey key() {
        return key;
    }

    /** Whether usage of a metered field may pass this outcome's value as a limit: see {@link #softLimit}. */
    public boolean softLimit() {
        return softLimit;
    }

    /**
     * The evaluation counter slot of a value outcome, or -1: fallbacks are counted by field and cause, and a snapshot
     * has slots only once a client with logging on has installed it.
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
