package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/**
 * How one field is answered: by its own logic, by the logic of the nearest enclosing object field (projecting the
 * field's part of the object value), or not at all.
 */
final class FieldPlan {
    private final ValueKind kind;
    private final CompiledLogic logic;
    private final int projection;
    private final Outcome noLogic;

    /** {@code projection} is -1 for the field's own logic, else the offset among the enclosing field's descendants. */
    FieldPlan(ValueKind kind, CompiledLogic logic, int projection, Outcome noLogic) {
        this.kind = kind;
        this.logic = logic;
        this.projection = projection;
        this.noLogic = noLogic;
    }

    ValueKind kind() {
        return kind;
    }

    CompiledLogic logic() {
        return logic;
    }

    Outcome evaluate(InputValue context, Object[] args) {
        if (logic == null) {
            return noLogic;
        }
        Outcome outcome = logic.evaluate(context, args);
        return projection < 0 || outcome.isFallback() ? outcome : outcome.descendant(projection);
    }
}
