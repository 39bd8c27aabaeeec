package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;
import java.util.ArrayList;
import java.util.List;

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

    /** {@code projection} is the field's offset among the enclosing field's descendants (unused without one). */
    FieldPlan(ValueKind kind, CompiledLogic own, CompiledLogic enclosing, int projection, Outcome noLogic) {
        this.kind = kind;
        this.own = own;
        this.enclosing = enclosing;
        this.projection = projection;
        this.noLogic = noLogic;
    }

    ValueKind kind() {
        return kind;
    }

    Outcome evaluate(InputValue context, Object[] args, long now) {
        if (own != null) {
            Outcome outcome = own.evaluate(context, args, now);
            if (enclosing == null || !own.isNoMatch(outcome)) {
                return outcome;
            }
        }
        if (enclosing == null) {
            return noLogic;
        }
        Outcome outcome = enclosing.evaluate(context, args, now);
        return outcome.isFallback() ? outcome : outcome.descendant(projection);
    }

    String matchedOverrideKey(InputValue context, Object[] args, long now) {
        String key = own == null ? null : own.matchedOverrideKey(context, args, now);
        return key != null || enclosing == null ? key : enclosing.matchedOverrideKey(context, args, now);
    }

    /** The notes on override rows skipped for being out of their windows, in the order evaluation met them. */
    List<String> skippedRows(InputValue context, Object[] args, long now) {
        List<String> notes = new ArrayList<>(1);
        if (own != null) {
            own.noteSkippedRows(context, args, now, notes);
            if (enclosing == null || !own.isNoMatch(own.evaluate(context, args, now))) {
                return notes;
            }
        }
        if (enclosing != null) {
            enclosing.noteSkippedRows(context, args, now, notes);
        }
        return notes;
    }

    int overrideRows() {
        return own == null ? 0 : own.overrideRows();
    }
}
