package dev.tollgate.testing;

import dev.tollgate.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The values a generated test kit has been given, by field path: a default and rules for conditions (the most recent
 * first), plus raw logic added through {@link SnapshotBuilder}; turned into a snapshot with {@link #toJson}. Generated
 * test kits hold one per state; application tests use the typed kit instead. Not thread-safe: the kit synchronizes.
 */
public final class TestValues {
    private final Map<String, FieldValues> fields = new LinkedHashMap<>();
    private final List<Consumer<SnapshotBuilder>> logic = new ArrayList<>();

    /** An independent copy: changing either afterwards does not change the other. */
    public TestValues copy() {
        TestValues copy = new TestValues();
        fields.forEach((path, values) -> copy.fields.put(path, values.copy()));
        copy.logic.addAll(logic);
        return copy;
    }

    /**
     * Sets {@code path} to {@code value} when all {@code conditions} hold (always, when there are none), replacing what
     * was set for the same or narrower conditions.
     */
    public void set(String path, List<ConditionSpec> conditions, Object value) {
        fields.computeIfAbsent(path, p -> new FieldValues()).set(conditions, value);
    }

    /** Adds logic applied to the snapshot after the typed values. */
    public void addLogic(Consumer<SnapshotBuilder> extra) {
        logic.add(Objects.requireNonNull(extra, "logic"));
    }

    /** The snapshot for {@code schema} at {@code revision}. */
    public String toJson(Schema schema, long revision) {
        SnapshotBuilder snapshot = SnapshotBuilder.forSchema(schema).revision(revision);
        fields.forEach((path, values) -> snapshot.field(path, values::applyTo));
        logic.forEach(extra -> extra.accept(snapshot));
        return snapshot.toJson();
    }

    /** {@code conditions} and one more, as an unmodifiable list. */
    public static List<ConditionSpec> with(List<ConditionSpec> conditions, ConditionSpec condition) {
        List<ConditionSpec> combined = new ArrayList<>(conditions);
        combined.add(Objects.requireNonNull(condition, "condition"));
        return List.copyOf(combined);
    }

    /** The values of one field: a default, and rules for conditions, most recent first. */
    private static final class FieldValues {
        private Object defaultValue;
        private final List<Map.Entry<List<ConditionSpec>, Object>> rules = new ArrayList<>();

        FieldValues copy() {
            FieldValues copy = new FieldValues();
            copy.defaultValue = defaultValue;
            copy.rules.addAll(rules);
            return copy;
        }

        void set(List<ConditionSpec> conditions, Object value) {
            rules.removeIf(rule -> rule.getKey().containsAll(conditions));
            if (conditions.isEmpty()) {
                defaultValue = value;
            } else {
                rules.add(0, Map.entry(conditions, value));
            }
        }

        void applyTo(FieldLogic logic) {
            for (int i = 0; i < rules.size(); i++) {
                List<ConditionSpec> conditions = rules.get(i).getKey();
                ConditionSpec condition = conditions.size() == 1
                        ? conditions.get(0)
                        : ConditionSpec.all(conditions.toArray(new ConditionSpec[0]));
                logic.rule("test-kit-" + (i + 1), condition, rules.get(i).getValue());
            }
            if (defaultValue != null) {
                logic.defaultValue(defaultValue);
            }
        }
    }
}
