package dev.tollgate.benchmarks.tollgate;

import dev.tollgate.runtime.InputValue;
import java.util.Objects;

/**
 * The schema input type {@code Context}. Immutable; create one with {@link #builder()}.
 *
 * <p>Slots follow the schema's context layout: {@code organization.id} 0, {@code organization.plan} 1, {@code user.id}
 * 2.
 */
public final class Context implements InputValue {
    private final Organization organization;
    private final User user;

    private Context(Builder builder) {
        this.organization = Objects.requireNonNull(builder.organization, "Context.organization is required");
        this.user = Objects.requireNonNull(builder.user, "Context.user is required");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Organization organization() {
        return organization;
    }

    public User user() {
        return user;
    }

    @Override
    public String inputTypeName() {
        return "Context";
    }

    @Override
    public Object attribute(int slot) {
        return switch (slot) {
            case 0, 1 -> organization.attribute(slot);
            case 2 -> user.attribute(slot - 2);
            default -> null;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Context that && organization.equals(that.organization) && user.equals(that.user);
    }

    @Override
    public int hashCode() {
        return Objects.hash(organization, user);
    }

    @Override
    public String toString() {
        return "Context[organization=" + organization + ", user=" + user + "]";
    }

    /** Builds a {@link Context}; {@link #build()} rejects a missing required field. */
    public static final class Builder {
        private Organization organization;
        private User user;

        private Builder() {}

        public Builder organization(Organization organization) {
            this.organization = organization;
            return this;
        }

        /** Shortcut for {@code organization(Organization.of(id, plan))}. */
        public Builder organization(String id, Plan plan) {
            return organization(Organization.of(id, plan));
        }

        public Builder user(User user) {
            this.user = user;
            return this;
        }

        /** Shortcut for {@code user(User.of(id))}. */
        public Builder user(String id) {
            return user(User.of(id));
        }

        public Context build() {
            return new Context(this);
        }
    }
}
