package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;
import dev.tollgate.runtime.LimitCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one field is answered: by its own logic first; when that has no logic or ends without a match (no default), by
 * the logic of the nearest enclosing object field, projecting the field's part of the object value; else not at all.
 */
final class FieldPlan {
    private final ValueKind kind;
    private final CompiledLogic own;
    private final CompiledLogic enclosing;
    private final int projection;
    private final Outcome noLogic;
    private final EnumChoice[] choices;
    /** The own logic specialized, when the field has no enclosing logic and the shape fits; null otherwise. */
    private final KeyedLogic keyed;

    /**
     * {@code projection} is the field's offset among the enclosing field's descendants (unused without one); {@code
     * choices} are the enum context attributes the logic tests, in slot order; {@code enumAttributes} all the context's
     * enum attributes by slot.
     */
    FieldPlan(
            ValueKind kind,
            CompiledLogic own,
            CompiledLogic enclosing,
            int projection,
            Outcome noLogic,
            EnumChoice[] choices,
            Map<Integer, EnumChoice> enumAttributes) {
        this.keyed = own != null && enclosing == null ? KeyedLogic.of(own, enumAttributes) : null;
        this.kind = kind;
        this.own = own;
        this.enclosing = enclosing;
        this.projection = projection;
        this.noLogic = noLogic;
        this.choices = choices;
    }

    ValueKind kind() {
        return kind;
    }

    /** The logic of the nearest enclosing object field that has some, or null. */
    CompiledLogic enclosing() {
        return enclosing;
    }

    /** The fallback when no logic answers. */
    Outcome noLogic() {
        return noLogic;
    }

    /** The field's own logic, or null. */
    CompiledLogic own() {
        return own;
    }

    /** The answer of a counted read: exposures are recorded. */
    Outcome evaluate(InputValue context, Object[] args, long now) {
        KeyedLogic specialized = keyed;
        return specialized != null ? specialized.evaluate(context, args, now) : evaluate(context, args, now, true);
    }

    /** The specialized own logic that {@link #evaluate} takes, or null when it takes the general path. */
    KeyedLogic keyed() {
        return keyed;
    }

    /** The answer; {@code record} says whether a split reached records an exposure (not for hypothetical ones). */
    private Outcome evaluate(InputValue context, Object[] args, long now, boolean record) {
        if (own != null) {
            Outcome outcome = own.evaluate(context, args, now, record);
            if (enclosing == null || !own.isNoMatch(outcome)) {
                return outcome;
            }
        }
        if (enclosing == null) {
            return noLogic;
        }
        Outcome outcome = enclosing.evaluate(context, args, now, record);
        return outcome.isFallback() ? outcome : outcome.descendant(projection);
    }

    /**
     * For an Int field: each value of each enum context attribute the logic tests, other than the context's own, with
     * which the field's value is at least {@code needed}, evaluated at {@code now} with only that attribute changed.
     * These evaluations record no exposures; the caller counts none either.
     */
    List<LimitCheck.Alternative> alternatives(InputValue context, Object[] args, long now, long needed) {
        List<LimitCheck.Alternative> found = new ArrayList<>();
        for (EnumChoice choice : choices) {
            Object current = context.attribute(choice.slot());
            for (String value : choice.values()) {
                if (value.equals(current)) {
                    continue;
                }
                Outcome outcome = evaluate(new OverlaidInput(context, choice.slot(), value), args, now, false);
                if (!outcome.isFallback() && outcome.intValue() >= needed) {
                    found.add(LimitCheck.Alternative.of(choice.attribute(), value, outcome.intValue()));
                }
            }
        }
        return found;
    }

    String matchedOverrideKey(InputValue context, Object[] args, long now) {
        String key = own == null ? null : own.matchedOverrideKey(context, args, now);
        return key != null || enclosing == null ? key : enclosing.matchedOverrideKey(context, args, now);
    }

    /**
     * The notes on override rows skipped for being out of their windows, in the order evaluation met them; an empty
     * list, allocating nothing, when there are none. Read after the counted evaluation, to explain its answer, so it
     * has no effects of its own: whether the field's own logic answered, which decides whether the enclosing logic's
     * rows count, is {@link CompiledLogic#answers} (no split reached, no exposure recorded), not a second evaluation.
     */
    List<String> skippedRows(InputValue context, Object[] args, long now) {
        List<String> notes = null;
        if (own != null) {
            notes = own.noteSkippedRows(context, args, now, null);
            if (enclosing == null || !enclosing.hasWindowedRows() || own.answers(context, args, now)) {
                return notes == null ? List.of() : notes;
            }
        }
        if (enclosing != null) {
            notes = enclosing.noteSkippedRows(context, args, now, notes);
        }
        return notes == null ? List.of() : notes;
    }

    int overrideRows() {
        return own == null ? 0 : own.overrideRows();
    }
}
