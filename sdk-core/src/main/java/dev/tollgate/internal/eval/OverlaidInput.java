package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/**
 * A context with one attribute replaced, for a hypothetical evaluation: every other slot reads through to the context,
 * which is not copied.
 */
final class OverlaidInput implements InputValue {
    private final InputValue context;
    private final int slot;
    private final Object value;

    OverlaidInput(InputValue context, int slot, Object value) {
        this.context = context;
        this.slot = slot;
        this.value = value;
    }

    @Override
    public String inputTypeName() {
        return context.inputTypeName();
    }

    @Override
    public Object attribute(int slot) {
        return slot == this.slot ? value : context.attribute(slot);
    }

    @Override
    public String toString() {
        return context + " with slot " + slot + " = " + value;
    }
}
