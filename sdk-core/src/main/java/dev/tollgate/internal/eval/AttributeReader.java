package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/**
 * Reads one attribute for a condition, an override table or a split: a context slot, a field argument, or a slot of a
 * structured field argument. Resolved when the snapshot is compiled; reading is an array or interface access.
 */
public abstract class AttributeReader {
    private final String name;

    AttributeReader(String name) {
        this.name = name;
    }

    /** The attribute as written in the snapshot, for example {@code context.organization.id}. */
    public final String name() {
        return name;
    }

    /** The context slot this reader reads, or -1 when it reads a field argument. */
    int contextSlot() {
        return -1;
    }

    /** The attribute's value, or {@code null} when absent. */
    abstract Object read(InputValue context, Object[] args);

    public static AttributeReader context(String name, int slot) {
        return new ContextSlot(name, slot);
    }

    public static AttributeReader argument(String name, int position) {
        return new Argument(name, position);
    }

    public static AttributeReader argumentSlot(String name, int position, int slot) {
        return new ArgumentSlot(name, position, slot);
    }

    private static final class ContextSlot extends AttributeReader {
        private final int slot;

        ContextSlot(String name, int slot) {
            super(name);
            this.slot = slot;
        }

        @Override
        int contextSlot() {
            return slot;
        }

        @Override
        Object read(InputValue context, Object[] args) {
            return context.attribute(slot);
        }
    }

    private static final class Argument extends AttributeReader {
        private final int position;

        Argument(String name, int position) {
            super(name);
            this.position = position;
        }

        @Override
        Object read(InputValue context, Object[] args) {
            return position < args.length ? args[position] : null;
        }
    }

    private static final class ArgumentSlot extends AttributeReader {
        private final int position;
        private final int slot;

        ArgumentSlot(String name, int position, int slot) {
            super(name);
            this.position = position;
            this.slot = slot;
        }

        @Override
        Object read(InputValue context, Object[] args) {
            return position < args.length && args[position] instanceof InputValue input ? input.attribute(slot) : null;
        }
    }
}
