package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;
import java.util.Map;

/**
 * A per-key override table: one hash lookup of the attribute's value, whatever the number of rows. Rows with equal
 * values share one outcome.
 */
final class OverrideTable {
    private final AttributeReader key;
    private final Map<Object, Outcome> rows;

    OverrideTable(AttributeReader key, Map<Object, Outcome> rows) {
        this.key = key;
        this.rows = rows;
    }

    /** The row's outcome, or {@code null} when the attribute is absent or has no row. */
    Outcome lookup(InputValue context, Object[] args) {
        Object value = key.read(context, args);
        return value == null ? null : rows.get(value);
    }

    /** {@code attribute=key} for the row that matches, or {@code null}; used to explain an answer. */
    String matchedKey(InputValue context, Object[] args) {
        Object value = key.read(context, args);
        return value != null && rows.containsKey(value) ? key.name() + "=" + value : null;
    }

    int size() {
        return rows.size();
    }
}
