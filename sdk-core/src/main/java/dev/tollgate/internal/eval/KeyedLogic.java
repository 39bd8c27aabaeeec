package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A field's own logic specialized for its common shape, which {@link FieldPlan#evaluate} takes for a counted read: at
 * most one override table, keyed by a context attribute; then the rules, of which a leading run of {@code eq} tests of
 * one context attribute against strings, with fixed values and no windows, is folded into one lookup; then the
 * default. Each attribute the table and the run test is read once.
 *
 * <p>The lookup is an identity scan: the run's operands are interned (see {@link Condition#equalTo}), and when the
 * attribute is an enum the scan also holds its other values, interned, with no answer. Generated inputs give an enum
 * attribute as its value's {@code schemaName()}, a literal, so a value is found, or known to match no rule of the run,
 * by reference. Any other value (a {@link dev.tollgate.DynamicInput}'s, say) is compared by {@link String#equals} out
 * of line, as the rules would.
 *
 * <p>The hot method is small so that C2 inlines it into the accessor: windowed rows, overlays and the rules after the
 * run (with their splits and exposures) are out of line. The answer is the general path's exactly: {@link
 * CompiledLogic#evaluate} with exposures recorded. Immutable; built with the field's plan, so a delta that changes the
 * logic builds a new one.
 */
final class KeyedLogic {
    private static final Rule[] NO_RULES = {};
    private static final String[] NO_KEYS = {};
    private static final Outcome[] NO_ANSWERS = {};

    /** The override table, or null when the logic has none. */
    private final OverrideTable table;
    /** The context slot the table is keyed by; unused without a table. */
    private final int tableSlot;
    /** The context slot the folded run tests, or -1 when the rules do not start with one. */
    private final int runSlot;
    /** The run's operands, interned, in rule order without repeats, then the enum's other values, interned. */
    private final String[] keys;
    /** {@code answers[i]} is the outcome of the first rule of the run that holds for {@code keys[i]}, or null. */
    private final Outcome[] answers;
    /** How many of {@link #keys} are the run's operands. */
    private final int operands;
    /** The rules after the run, evaluated in order as {@link CompiledLogic#evaluate} does. */
    private final Rule[] rest;

    private final Outcome otherwise;

    private KeyedLogic(
            OverrideTable table,
            int tableSlot,
            int runSlot,
            String[] keys,
            Outcome[] answers,
            int operands,
            Rule[] rest,
            Outcome otherwise) {
        this.table = table;
        this.tableSlot = tableSlot;
        this.runSlot = runSlot;
        this.keys = keys;
        this.answers = answers;
        this.operands = operands;
        this.rest = rest;
        this.otherwise = otherwise;
    }

    /**
     * {@code logic} specialized, with {@code enumAttributes} the context's enum attributes by slot; null when its shape
     * is not this one (more than one override table, or a table keyed by a field argument): then the general path
     * evaluates it.
     */
    static KeyedLogic of(CompiledLogic logic, Map<Integer, EnumChoice> enumAttributes) {
        if (logic.tableCount() > 1) {
            return null;
        }
        OverrideTable table = logic.tableCount() == 0 ? null : logic.table(0);
        int tableSlot = table == null ? -1 : table.key().contextSlot();
        if (table != null && tableSlot < 0) {
            return null;
        }
        int runSlot = logic.ruleCount() == 0 ? -1 : logic.rule(0).equalitySlot();
        int run = 0;
        List<String> keys = new ArrayList<>();
        List<Outcome> answers = new ArrayList<>();
        while (runSlot >= 0 && run < logic.ruleCount() && logic.rule(run).equalitySlot() == runSlot) {
            Rule rule = logic.rule(run++);
            String operand = rule.equalityOperand().intern();
            if (!keys.contains(operand)) { // a later rule with the same operand is never reached
                keys.add(operand);
                answers.add(rule.fixedOutcome());
            }
        }
        int operands = keys.size();
        EnumChoice choice = runSlot < 0 ? null : enumAttributes.get(runSlot);
        if (choice != null) {
            for (String value : choice.values()) {
                String interned = value.intern();
                if (!keys.contains(interned)) {
                    keys.add(interned);
                    answers.add(null);
                }
            }
        }
        Rule[] rest = new Rule[logic.ruleCount() - run];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = logic.rule(run + i);
        }
        return new KeyedLogic(
                table,
                tableSlot,
                runSlot,
                keys.toArray(NO_KEYS),
                answers.toArray(NO_ANSWERS),
                operands,
                rest.length == 0 ? NO_RULES : rest,
                logic.otherwise());
    }

    /**
     * The answer for {@code context} and {@code args} at {@code now}, recording an exposure if a split is reached. At
     * most 35 bytes of bytecode, so that C1 inlines it and C2 never compiles it on its own into a method too big to
     * inline (InlineSmallCode): its two halves are compiled, and inlined, separately.
     */
    Outcome evaluate(InputValue context, Object[] args, long now) {
        Outcome row = row(context, now);
        return row != null ? row : rules(context, args, now);
    }

    /** The table's answer: null without a table, when the key is absent, has no row, or its row is out of its window. */
    private Outcome row(InputValue context, long now) {
        Object key = table == null ? null : context.attribute(tableSlot);
        return key == null ? null : table.outcome(key, now);
    }

    /** The rules' answer, the folded run's first, or the default. */
    private Outcome rules(InputValue context, Object[] args, long now) {
        Outcome folded = runSlot < 0 ? null : folded(context.attribute(runSlot));
        if (folded != null) {
            return folded;
        }
        return rest.length == 0 ? otherwise : afterRun(context, args, now);
    }

    /** The answer of the folded run for the attribute's {@code value}, or null when none of its rules holds. */
    private Outcome folded(Object value) {
        String[] keys = this.keys;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == value) {
                return answers[i];
            }
        }
        return value == null ? null : foldedByEquality(value);
    }

    /** {@link #folded} for a value that is not one of the interned keys: compared as the rules compare. */
    private Outcome foldedByEquality(Object value) {
        for (int i = 0; i < operands; i++) {
            if (keys[i].equals(value)) {
                return answers[i];
            }
        }
        return null;
    }

    /** The rules after the run, then the default. */
    private Outcome afterRun(InputValue context, Object[] args, long now) {
        for (int i = 0; i < rest.length; i++) {
            if (rest[i].matches(context, args, now)) {
                return rest[i].outcome(context, args, true);
            }
        }
        return otherwise;
    }

    /** How many rules follow the folded run: for tests. */
    int rulesAfterRun() {
        return rest.length;
    }

    /** The context slot the folded run tests, or -1 when there is none: for tests. */
    int runSlot() {
        return runSlot;
    }

    /** Whether the logic's override table is read here: for tests. */
    boolean readsTable() {
        return table != null;
    }
}
