package dev.tollgate.internal.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.runtime.InputValue;
import java.util.List;

/** The compiled logic of one field: override tables, then rules in order, then the default. */
final class CompiledLogic {
    private final OverrideTable[] overrides;
    private final Rule[] rules;
    private final Outcome otherwise;
    /** Whether a table has a row with a window: without one, no row is ever passed over and there is nothing to note. */
    private final boolean windowedRows;
    /** The {@code softLimit} of the field's logic, which its override rows' outcomes carry. */
    private final boolean softLimit;
    /**
     * The logic's JSON without its override tables' rows ({@code LogicFingerprints.withoutRows}), from which a delta
     * that replaces a segment recompiles the field; null for logic not built by the compiler.
     */
    private final JsonNode source;

    /**
     * {@code otherwise} is the default outcome, or a {@code NO_MATCH} fallback when the field has no default; {@code
     * softLimit} is what the logic says; {@code source} is the logic's JSON without its override tables' rows.
     */
    CompiledLogic(OverrideTable[] overrides, Rule[] rules, Outcome otherwise, boolean softLimit, JsonNode source) {
        this.source = source;
        this.overrides = overrides;
        this.rules = rules;
        this.otherwise = otherwise;
        this.softLimit = softLimit;
        boolean windowed = false;
        for (OverrideTable table : overrides) {
            windowed |= table.windowed();
        }
        this.windowedRows = windowed;
    }

    /** This logic with override table {@code index} replaced by {@code table}; rules and default are shared. */
    CompiledLogic withTable(int index, OverrideTable table) {
        OverrideTable[] tables = overrides.clone();
        tables[index] = table;
        return new CompiledLogic(tables, rules, otherwise, softLimit, source);
    }

    /** The logic's JSON without its override tables' rows; null for logic not built by the compiler. */
    JsonNode source() {
        return source;
    }

    int tableCount() {
        return overrides.length;
    }

    OverrideTable table(int index) {
        return overrides[index];
    }

    int ruleCount() {
        return rules.length;
    }

    Rule rule(int index) {
        return rules[index];
    }

    /** The default outcome, or the {@code NO_MATCH} fallback when the logic has no default. */
    Outcome otherwise() {
        return otherwise;
    }

    /** Whether the field's logic says {@code softLimit}, which new override outcomes take. */
    boolean softLimit() {
        return softLimit;
    }

    /** Whether some override row of this logic has a window. */
    boolean hasWindowedRows() {
        return windowedRows;
    }

    /**
     * The answer for {@code context} and {@code args} at {@code now}, in epoch milliseconds; {@code record} says whether
     * a split reached records an exposure: only for the one counted evaluation of a read, not for hypothetical ones.
     */
    Outcome evaluate(InputValue context, Object[] args, long now, boolean record) {
        for (int i = 0; i < overrides.length; i++) {
            Outcome row = overrides[i].lookup(context, args, now);
            if (row != null) {
                return row;
            }
        }
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(context, args, now)) {
                return rules[i].outcome(context, args, record);
            }
        }
        return otherwise;
    }

    /** Whether {@code outcome} is this logic's own "nothing matched and no default" fallback. */
    boolean isNoMatch(Outcome outcome) {
        return outcome == otherwise && outcome.isFallback();
    }

    /**
     * Whether {@link #evaluate} would answer rather than end in {@link #isNoMatch no match}: an override row or a rule
     * holds, or there is a default. It stops at the row or rule without taking its answer, so it reaches no split:
     * whatever explains an answer uses it, and must record no exposure (and not fail where a split's unit would).
     */
    boolean answers(InputValue context, Object[] args, long now) {
        for (int i = 0; i < overrides.length; i++) {
            if (overrides[i].lookup(context, args, now) != null) {
                return true;
            }
        }
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(context, args, now)) {
                return true;
            }
        }
        return !otherwise.isFallback();
    }

    String matchedOverrideKey(InputValue context, Object[] args, long now) {
        for (OverrideTable table : overrides) {
            String key = table.matchedKey(context, args, now);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    /**
     * Notes the override rows for {@code context} that their windows left out at {@code now}, in evaluation order, up
     * to the table that answered; used to explain an answer. Returns {@code notes} with them, a new list if it was null
     * and there are some, or {@code notes} as it was.
     */
    List<String> noteSkippedRows(InputValue context, Object[] args, long now, List<String> notes) {
        if (!windowedRows) {
            return notes;
        }
        List<String> noted = notes;
        for (OverrideTable table : overrides) {
            if (table.lookup(context, args, now) != null) {
                return noted;
            }
            noted = table.noteSkipped(context, args, now, noted);
        }
        return noted;
    }

    /** Adds every attribute the logic reads to decide: the override tables' keys and the rules' conditions. */
    void addAttributes(List<AttributeReader> into) {
        for (OverrideTable table : overrides) {
            into.add(table.key());
        }
        for (Rule rule : rules) {
            rule.addAttributes(into);
        }
    }

    int overrideRows() {
        int rows = 0;
        for (OverrideTable table : overrides) {
            rows += table.size();
        }
        return rows;
    }
}
