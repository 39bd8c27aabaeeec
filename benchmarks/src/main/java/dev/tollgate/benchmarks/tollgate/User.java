package dev.tollgate.benchmarks.tollgate;

import dev.tollgate.runtime.InputValue;
import java.util.Objects;

/** The schema input type {@code User}. Immutable. */
public final class User implements InputValue {
    private final String id;

    private User(String id) {
        this.id = Objects.requireNonNull(id, "User.id is required");
    }

    public static User of(String id) {
        return new User(id);
    }

    public String id() {
        return id;
    }

    @Override
    public String inputTypeName() {
        return "User";
    }

    @Override
    public Object attribute(int slot) {
        return slot == 0 ? id : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof User that && id.equals(that.id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "User[id=" + id + "]";
    }
}
