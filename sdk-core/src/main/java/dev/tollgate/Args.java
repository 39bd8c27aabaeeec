package dev.tollgate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Field arguments by name, for the path-based API: {@code root.intValue("entitlements.maxApiRequestsPerDay",
 * Args.of("endpoint", "/search"), 1000)}. Arguments of enclosing fields go in the same {@code Args}. Immutable.
 */
public final class Args {
    private static final Args EMPTY = new Args(Map.of());

    private final Map<String, Object> values;

    private Args(Map<String, Object> values) {
        this.values = values;
    }

    public static Args empty() {
        return EMPTY;
    }

    public static Args of(String name, Object value) {
        return of(Collections.singletonMap(name, value));
    }

    public static Args of(String name1, Object value1, String name2, Object value2) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(name1, value1);
        values.put(name2, value2);
        return of(values);
    }

    /** The arguments in {@code values}, in its iteration order; names and values must not be null. */
    public static Args of(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> copy.put(
                Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, () -> "value of " + name)));
        return copy.isEmpty() ? EMPTY : new Args(Collections.unmodifiableMap(copy));
    }

    /** The arguments as an unmodifiable map in insertion order. */
    public Map<String, Object> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Args a && values.equals(a.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Args" + values;
    }
}
