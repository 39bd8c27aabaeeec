package dev.tollgate.examples.spring;

import dev.tollgate.examples.spring.flags.Plan;
import java.util.Map;
import java.util.Optional;

/** The organizations the example knows, with their plans: a stand-in for the service's own customer directory. */
final class Organizations {

    /** An organization and the plan it pays for. */
    record Organization(String id, String name, Plan plan) {}

    private final Map<String, Organization> byId;

    private Organizations(Map<String, Organization> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** The plain example's four organizations. */
    static Organizations demo() {
        return new Organizations(Map.of(
                "org_hooli", new Organization("org_hooli", "Hooli", Plan.FREE),
                "org_initech", new Organization("org_initech", "Initech", Plan.FREE),
                "org_globex", new Organization("org_globex", "Globex", Plan.PRO),
                "org_umbrella", new Organization("org_umbrella", "Umbrella", Plan.ENTERPRISE)));
    }

    Optional<Organization> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }
}
