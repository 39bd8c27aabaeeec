package dev.tollgate.internal.eval;

import dev.tollgate.internal.schema.TypeRef;
import dev.tollgate.runtime.InputValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-key override table: one hash lookup of the attribute's value, whatever the number of rows ({@link KeyTable}).
 * Rows with equal values and no window share one outcome. A row is stored as its {@link Outcome}, or as a {@link
 * WindowedRow} when it has a window, which is checked after the lookup: outside it the table has no row for the key.
 *
 * <p>A table that a delta changed ({@link #changed}) shares its predecessor's rows and consults a small overlay of the
 * rows set and removed since first, so applying a delta copies no large table; once the overlay reaches the larger of
 * {@link #MIN_COMPACTION} rows and 1 % of the table, it is folded into a fresh one. Neither is written after the table
 * is built.
 */
final class OverrideTable {
    /** In an overlay: the key's row was removed. */
    static final Object REMOVED = new Object();
    /** The overlay size from which a changed table gets fresh rows, unless 1 % of the table is more. */
    private static final int MIN_COMPACTION = 1_024;

    private final AttributeReader key;
    private final TypeRef keyType;
    private final KeyTable rows;
    /** Rows set ({@link Outcome} or {@link WindowedRow}) and removed ({@link #REMOVED}) over {@code rows}; or null. */
    private final Map<Object, Object> overlay;

    private final int size;
    private final boolean windowed;
    /** The sum of the rows' {@code RowHasher} hashes, which a delta's checksum is compared with. */
    private final long checksum;
    /** The outcomes of the table's rows by value, when there are few; null otherwise. Deltas reuse them. */
    private final Map<Object, Outcome> outcomes;

    /**
     * {@code rows} hold each key's {@link Outcome} or {@link WindowedRow}; {@code windowed} says whether any is a
     * {@link WindowedRow}. The key attribute's type, the rows' checksum and, when there are few, the rows' outcomes by
     * value (null otherwise) are for the deltas applied to it.
     */
    OverrideTable(
            AttributeReader key,
            TypeRef keyType,
            KeyTable rows,
            boolean windowed,
            long checksum,
            Map<Object, Outcome> outcomes) {
        this(key, keyType, rows, null, rows.size(), windowed, checksum, outcomes);
    }

    private OverrideTable(
            AttributeReader key,
            TypeRef keyType,
            KeyTable rows,
            Map<Object, Object> overlay,
            int size,
            boolean windowed,
            long checksum,
            Map<Object, Outcome> outcomes) {
        this.key = key;
        this.keyType = keyType;
        this.rows = rows;
        this.overlay = overlay;
        this.size = size;
        this.windowed = windowed;
        this.checksum = checksum;
        this.outcomes = outcomes;
    }

    /**
     * This table with {@code changes} applied: keys to their new row ({@link Outcome} or {@link WindowedRow}) or to
     * {@link #REMOVED}. {@code size} and {@code checksum} are the table's after the change, which the caller has
     * verified; {@code outcomes} the outcomes by value to keep for later deltas (null: none).
     */
    OverrideTable changed(Map<Object, Object> changes, int size, long checksum, Map<Object, Outcome> outcomes) {
        boolean anyWindowed = windowed;
        for (Object row : changes.values()) {
            anyWindowed |= row instanceof WindowedRow;
        }
        Map<Object, Object> merged = overlay == null ? new HashMap<>(changes) : new HashMap<>(overlay);
        if (overlay != null) {
            merged.putAll(changes);
        }
        if (merged.size() < Math.max(MIN_COMPACTION, size / 100)) {
            return new OverrideTable(key, keyType, rows, merged, size, anyWindowed, checksum, outcomes);
        }
        KeyTable fresh = rows.with(merged, REMOVED);
        return new OverrideTable(key, keyType, fresh, null, fresh.size(), anyWindowed, checksum, outcomes);
    }

    /** The type of the attribute the table is keyed by; null for a table not built by the compiler. */
    TypeRef keyType() {
        return keyType;
    }

    long checksum() {
        return checksum;
    }

    /** The outcomes of the rows by value, when the table has few distinct values; null otherwise. Never modify. */
    Map<Object, Outcome> outcomesByValue() {
        return outcomes;
    }

    /** Whether the overlay is in use: the table shares another's rows. */
    boolean overlaid() {
        return overlay != null;
    }

    /** The row for the key value {@code value}: an {@link Outcome}, a {@link WindowedRow} or null. */
    Object row(Object value) {
        return overlay == null ? rows.get(value) : overlaidRow(value);
    }

    /** {@link #row} of a table with an overlay; out of line, so that a table without one inlines one table lookup. */
    private Object overlaidRow(Object value) {
        Object row = overlay.get(value);
        if (row != null) {
            return row == REMOVED ? null : row;
        }
        return rows.get(value);
    }

    /**
     * The outcome of the row for the key value {@code value}, which is not null, at {@code now}: null when there is no
     * row or its window leaves it out. What {@link #lookup} gives once it has read the key.
     */
    Outcome outcome(Object value, long now) {
        return answer(row(value), now);
    }

    /** Whether some row has a window: only then can a lookup pass a row over, and an explanation need notes. */
    boolean windowed() {
        return windowed;
    }

    /** The row's outcome, or {@code null} when the attribute is absent, has no row, or its row is out of its window. */
    Outcome lookup(InputValue context, Object[] args, long now) {
        Object value = key.read(context, args);
        return value == null ? null : outcome(value, now);
    }

    /** {@code attribute=key} for the row that matches, or {@code null}; used to explain an answer. */
    String matchedKey(InputValue context, Object[] args, long now) {
        Object value = key.read(context, args);
        return value != null && answer(row(value), now) != null ? key.name() + "=" + value : null;
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
        if (value != null && row(value) instanceof WindowedRow row && !Window.covers(row.from, row.until, now)) {
            List<String> into = notes == null ? new ArrayList<>(1) : notes;
            into.add("override " + key.name() + "=" + value + " " + Window.missed(row.from, row.until, now));
            return into;
        }
        return notes;
    }

    /** The keys of the rows the table was compiled with (not those of an overlay), as it holds them; a copy. */
    List<Object> compiledKeys() {
        return rows.keys();
    }

    int size() {
        return size;
    }

    private static Outcome answer(Object row, long now) {
        if (row instanceof Outcome outcome) {
            return outcome;
        }
        return row instanceof WindowedRow windowed && Window.covers(windowed.from, windowed.until, now)
                ? windowed.outcome
                : null;
    }
}
