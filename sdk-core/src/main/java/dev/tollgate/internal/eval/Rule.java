package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;
import java.util.List;

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

    /** The rule's answer; {@code record} says whether a split's arm counts as an exposure. */
    Outcome outcome(InputValue context, Object[] args, boolean record) {
        return split == null ? outcome : split.choose(context, args, record);
    }

    /**
     * For a rule with no window and a fixed value whose condition is a plain {@code eq} of a context attribute and a
     * string: the attribute's slot; -1 for any other rule. A run of such rules on one slot folds into one lookup (see
     * {@link KeyedLogic}).
     */
    int equalitySlot() {
        boolean plain = split == null && from == Window.OPEN_FROM && until == Window.OPEN_UNTIL && condition != null;
        return plain ? condition.equalitySlot() : -1;
    }

    /** The string the condition of a rule with an {@link #equalitySlot} compares with. */
    String equalityOperand() {
        return condition.equalityOperand();
    }

    /** The fixed answer of a rule without a split; null for a rule with one. */
    Outcome fixedOutcome() {
        return outcome;
    }

    /** Adds the attributes the rule's condition reads; a split's unit is not a condition. */
    void addAttributes(List<AttributeReader> into) {
        if (condition != null) {
            condition.addAttributes(into);
        }
    }
}
