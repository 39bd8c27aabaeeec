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
        return builder().put(name, value).build();
    }

    public static Args of(String name1, Object value1, String name2, Object value2) {
        return builder().put(name1, value1).put(name2, value2).build();
    }

    public static Args of(Map<String, ?> values) {
        Builder builder = builder();
        values.forEach(builder::put);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
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

    /** Builds {@link Args}. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {}

        public Builder put(String name, Object value) {
            values.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, () -> "value of " + name));
            return this;
        }

        public Args build() {
            return values.isEmpty() ? EMPTY : new Args(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }
}
