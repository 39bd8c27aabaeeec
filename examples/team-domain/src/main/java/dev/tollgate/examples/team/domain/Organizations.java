package dev.tollgate.examples.team.domain;

import java.util.Map;
import java.util.Optional;

/** The organizations the examples know, with their plans: a stand-in for a service's own customer directory. */
public final class Organizations {

    /**
     * An organization and the plan it pays for.
     *
     * @param id the organization's id, as the {@code X-Organization-Id} header sends it
     * @param name its display name
     * @param plan the name of its plan, a value of the schema's {@code Plan} enum
     */
    public record Organization(String id, String name, String plan) {}

    private final Map<String, Organization> byId;

    private Organizations(Map<String, Organization> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** Hooli and Initech on Free, Globex on Pro, Umbrella on Enterprise. */
    public static Organizations demo() {
        return new Organizations(Map.of(
                "org_hooli", new Organization("org_hooli", "Hooli", "FREE"),
                "org_initech", new Organization("org_initech", "Initech", "FREE"),
                "org_globex", new Organization("org_globex", "Globex", "PRO"),
                "org_umbrella", new Organization("org_umbrella", "Umbrella", "ENTERPRISE")));
    }

    /** The organization with {@code id}, or empty for an unknown or missing id. */
    public Optional<Organization> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }
}
