package dev.tollgate.internal.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rows of an override table by key, in the form a lookup reads fastest and the heap holds smallest: open addressing
 * with linear probing, the keys and their rows side by side in one array, and a tag of each key's hash in an int array
 * beside it. A lookup that finds no row (most of them: few organizations are overridden) reads the tags only, usually
 * one cache line; one that finds its row compares one key and reads the row next to it. A slot costs 12 bytes (with
 * compressed references), and the table is at most three quarters full; a {@link java.util.HashMap} of the same rows
 * holds a 32-byte node per row besides its 4-byte slots, about twice as much in all.
 *
 * <p>Keys are compared with {@code equals}, as a map compares them; neither keys nor rows are null. Built once by a
 * {@link Builder}, then never written: safe to read from any thread once published through a final field.
 */
final class KeyTable {
    /** Spreads {@code hashCode}'s bits over the index (Fibonacci hashing): sequential ids do not fill runs of slots. */
    static final int SPREAD = 0x9E3779B9;

    /** The most slots: twice as many entries, indexed by an int. */
    private static final int MAX_CAPACITY = 1 << 29;

    private static final KeyTable EMPTY = new KeyTable(new int[2], new Object[4], 0);

    /** Per slot: 0 when empty, else the spread hash of its key with the lowest bit set. */
    private final int[] tags;
    /** Per slot {@code i}: the key at {@code 2 * i} and its row at {@code 2 * i + 1}. */
    private final Object[] entries;

    private final int size;
    /** {@code 32 - log2(capacity)}: the spread hash shifted right by this is the home slot. */
    private final int shift;

    private KeyTable(int[] tags, Object[] entries, int size) {
        this.tags = tags;
        this.entries = entries;
        this.size = size;
        this.shift = 32 - Integer.numberOfTrailingZeros(tags.length);
    }

    /** The table without rows. */
    static KeyTable empty() {
        return EMPTY;
    }

    /** The row of {@code key}, which is not null, or null when the table has none. */
    Object get(Object key) {
        int spread = key.hashCode() * SPREAD;
        int tag = spread | 1;
        int[] tags = this.tags;
        int mask = tags.length - 1;
        for (int slot = spread >>> shift; ; slot = (slot + 1) & mask) {
            int found = tags[slot];
            if (found == tag) {
                Object candidate = entries[2 * slot];
                if (candidate == key || key.equals(candidate)) { // as HashMap compares: the key asked for decides
                    return entries[2 * slot + 1];
                }
            } else if (found == 0) {
                return null;
            }
        }
    }

    int size() {
        return size;
    }

    /** The keys, as the table holds them (the same instances), in no particular order. */
    List<Object> keys() {
        List<Object> keys = new ArrayList<>(size);
        for (int slot = 0; slot < tags.length; slot++) {
            if (tags[slot] != 0) {
                keys.add(entries[2 * slot]);
            }
        }
        return keys;
    }

    /**
     * A new table of this one's rows with {@code changes} applied: each key of {@code changes} to its new row, or
     * removed where the row is {@code removed}. A key this table has keeps its instance. This table is left as it is.
     */
    KeyTable with(Map<Object, Object> changes, Object removed) {
        Builder builder = new Builder(size + changes.size());
        for (int slot = 0; slot < tags.length; slot++) {
            if (tags[slot] != 0) {
                Object change = changes.get(entries[2 * slot]);
                if (change == null) {
                    builder.putIfAbsent(entries[2 * slot], entries[2 * slot + 1]);
                } else if (change != removed) {
                    builder.putIfAbsent(entries[2 * slot], change);
                }
            }
        }
        changes.forEach((key, row) -> { // the keys this table has are in the builder already, and stay
            if (row != removed) {
                builder.putIfAbsent(key, row);
            }
        });
        return builder.build();
    }

    @Override
    public String toString() {
        return "KeyTable[size=" + size + ", capacity=" + tags.length + "]";
    }

    /**
     * Puts rows into a table presized for an expected number of them; it grows past that if it must. Not thread-safe;
     * {@link #build} ends its use.
     */
    static final class Builder {
        private int[] tags;
        private Object[] entries;
        private int size;
        private int shift;

        /** A builder with room for {@code expected} rows without growing. */
        Builder(int expected) {
            allocate(capacityFor(Math.max(expected, 1)));
        }

        /**
         * Puts {@code row} under {@code key} if the key has no row yet, and returns null; otherwise returns the row the
         * key has, and the key keeps it. With the key itself as its row, this makes a builder an intern table: it
         * returns the instance put first.
         */
        Object putIfAbsent(Object key, Object row) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(row, "row");
            int spread = key.hashCode() * SPREAD;
            int tag = spread | 1;
            int mask = tags.length - 1;
            int slot = spread >>> shift;
            for (; ; slot = (slot + 1) & mask) {
                int found = tags[slot];
                if (found == 0) {
                    break;
                }
                if (found == tag) {
                    Object candidate = entries[2 * slot];
                    if (candidate == key || key.equals(candidate)) {
                        return entries[2 * slot + 1];
                    }
                }
            }
            if (size + 1 > tags.length / 4 * 3) {
                grow();
                return putIfAbsent(key, row);
            }
            tags[slot] = tag;
            entries[2 * slot] = key;
            entries[2 * slot + 1] = row;
            size++;
            return null;
        }

        int size() {
            return size;
        }

        /** The table; the builder must not be used after. */
        KeyTable build() {
            KeyTable table = size == 0 ? EMPTY : new KeyTable(tags, entries, size);
            tags = null;
            entries = null;
            return table;
        }

        private void grow() {
            int[] oldTags = tags;
            Object[] oldEntries = entries;
            if (oldTags.length >= MAX_CAPACITY) {
                throw new IllegalArgumentException("too many rows for one table: more than " + size);
            }
            allocate(oldTags.length * 2);
            int mask = tags.length - 1;
            for (int old = 0; old < oldTags.length; old++) {
                int tag = oldTags[old];
                if (tag != 0) {
                    int slot = tag >>> shift; // the tag is the spread hash with the lowest bit set, below any shift
                    while (tags[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    tags[slot] = tag;
                    entries[2 * slot] = oldEntries[2 * old];
                    entries[2 * slot + 1] = oldEntries[2 * old + 1];
                }
            }
        }

        private void allocate(int capacity) {
            tags = new int[capacity];
            entries = new Object[2 * capacity];
            shift = 32 - Integer.numberOfTrailingZeros(capacity);
        }

        /** The smallest power of two that holds {@code rows}, at least one, at a load of at most three quarters. */
        private static int capacityFor(int rows) {
            if (rows > MAX_CAPACITY / 4 * 3) {
                throw new IllegalArgumentException("too many rows for one table: " + rows);
            }
            int capacity = 2;
            while (capacity / 4 * 3 < rows) {
                capacity <<= 1;
            }
            return capacity;
        }
    }
}
