package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/** A compiled rule: an optional condition and either a fixed outcome or a split. */
final class Rule {
    private final Condition condition;
    private final Outcome outcome;
    private final Split split;

    Rule(Condition condition, Outcome outcome, Split split) {
        this.condition = condition;
        this.outcome = outcome;
        this.split = split;
    }

    boolean matches(InputValue context, Object[] args) {
        return condition == null || condition.test(context, args);
    }

    Outcome outcome(InputValue context, Object[] args) {
        return split == null ? outcome : split.choose(context, args);
    }
}
