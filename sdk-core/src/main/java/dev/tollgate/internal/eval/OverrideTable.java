package dev.tollgate.internal.eval;

import dev.tollgate.runtime.InputValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A per-key override table: one hash lookup of the attribute's value, whatever the number of rows. Rows with equal
 * values and no window share one outcome. A row is stored as its {@link Outcome}, or as a {@link WindowedRow} when it
 * has a window, which is checked after the lookup: outside it the table has no row for the key.
 */
final class OverrideTable {
    private final AttributeReader key;
    private final Map<Object, Object> rows;
    private final boolean windowed;

    /**
     * {@code rows} map each key to an {@link Outcome} or a {@link WindowedRow}; {@code windowed} says whether any is a
     * {@link WindowedRow}.
     */
    OverrideTable(AttributeReader key, Map<Object, Object> rows, boolean windowed) {
        this.key = key;
        this.rows = rows;
        this.windowed = windowed;
    }

    /** Whether some row has a window: only then can a lookup pass a row over, and an explanation need notes. */
    boolean windowed() {
        return windowed;
    }

    /** The row's outcome, or {@code null} when the attribute is absent, has no row, or its row is out of its window. */
    Outcome lookup(InputValue context, Object[] args, long now) {
        Object value = key.read(context, args);
        return value == null ? null : answer(rows.get(value), now);
    }

    /** {@code attribute=key} for the row that matches, or {@code null}; used to explain an answer. */
    String matchedKey(InputValue context, Object[] args, long now) {
        Object value = key.read(context, args);
        return value != null && answer(rows.get(value), now) != null ? key.name() + "=" + value : null;
    }

    /** The attribute the table is keyed by. */
    AttributeReader key() {
        return key;
    }

    /**
     * Adds a note to {@code notes} when the key has a row that its window leaves out at {@code now}, such as {@code
     * override context.organization.id=org_1 lapsed at 2027-01-01T00:00:00Z}; used to explain an answer. Returns the
     * list with the note, {@code notes} or a new one when it was null, or {@code notes} unchanged when there is none.
     */
    List<String> noteSkipped(InputValue context, Object[] args, long now, List<String> notes) {
        Object value = key.read(context, args);
        if (value != null && rows.get(value) instanceof WindowedRow row && !Window.covers(row.from, row.until, now)) {
            List<String> into = notes == null ? new ArrayList<>(1) : notes;
            into.add("override " + key.name() + "=" + value + " " + Window.missed(row.from, row.until, now));
            return into;
        }
        return notes;
    }

    int size() {
        return rows.size();
    }

    private static Outcome answer(Object row, long now) {
        if (row instanceof WindowedRow windowed) {
            return Window.covers(windowed.from, windowed.until, now) ? windowed.outcome : null;
        }
        return (Outcome) row;
    }
}
