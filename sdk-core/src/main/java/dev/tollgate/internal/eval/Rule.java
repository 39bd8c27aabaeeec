package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/**
 * A compiled rule: a time window (open on both sides unless the snapshot gives one), an optional condition, and either a
 * fixed outcome or a split. Outside its window a rule does not match.
 */
final class Rule {
    private final long from;
    private final long until;
    private final Condition condition;
    private final Outcome outcome;
    private final Split split;

    Rule(long from, long until, Condition condition, Outcome outcome, Split split) {
        this.from = from;
        this.until = until;
        this.condition = condition;
        this.outcome = outcome;
        this.split = split;
    }

    boolean matches(InputValue context, Object[] args, long now) {
        return Window.covers(from, until, now) && (condition == null || condition.test(context, args, now));
    }

    Outcome outcome(InputValue context, Object[] args) {
        return split == null ? outcome : split.choose(context, args);
    }
}
