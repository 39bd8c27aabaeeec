package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

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

    Outcome evaluate(InputValue context, Object[] args) {
        if (own != null) {
            Outcome outcome = own.evaluate(context, args);
            if (enclosing == null || !own.isNoMatch(outcome)) {
                return outcome;
            }
        }
        if (enclosing == null) {
            return noLogic;
        }
        Outcome outcome = enclosing.evaluate(context, args);
        return outcome.isFallback() ? outcome : outcome.descendant(projection);
    }

    String matchedOverrideKey(InputValue context, Object[] args) {
        String key = own == null ? null : own.matchedOverrideKey(context, args);
        return key != null || enclosing == null ? key : enclosing.matchedOverrideKey(context, args);
    }

    int overrideRows() {
        return own == null ? 0 : own.overrideRows();
    }
}
