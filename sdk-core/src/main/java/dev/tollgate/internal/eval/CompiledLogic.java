package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;

/** The compiled logic of one field: override tables, then rules in order, then the default. */
final class CompiledLogic {
    private final OverrideTable[] overrides;
    private final Rule[] rules;
    private final Outcome otherwise;

    /** {@code otherwise} is the default outcome, or a {@code NO_MATCH} fallback when the field has no default. */
    CompiledLogic(OverrideTable[] overrides, Rule[] rules, Outcome otherwise) {
        this.overrides = overrides;
        this.rules = rules;
        this.otherwise = otherwise;
    }

    Outcome evaluate(InputValue context, Object[] args) {
        for (int i = 0; i < overrides.length; i++) {
            Outcome row = overrides[i].lookup(context, args);
            if (row != null) {
                return row;
            }
        }
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(context, args)) {
                return rules[i].outcome(context, args);
            }
        }
        return otherwise;
    }

    /** Whether {@code outcome} is this logic's own "nothing matched and no default" fallback. */
    boolean isNoMatch(Outcome outcome) {
        return outcome == otherwise && outcome.isFallback();
    }

    String matchedOverrideKey(InputValue context, Object[] args) {
        for (OverrideTable table : overrides) {
            String key = table.matchedKey(context, args);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    int overrideRows() {
        int rows = 0;
        for (OverrideTable table : overrides) {
            rows += table.size();
        }
        return rows;
    }
}
