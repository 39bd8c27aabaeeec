package dev.tollgate.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Puts the {@code tollgate} health contributor into the {@code readiness} group, whichever way the group came to be
 * (Kubernetes probes, {@code management.endpoint.health.probes.enabled}, or configured by hand), and never into {@code
 * liveness}; unless {@code management.endpoint.health.group.readiness.exclude} names {@code tollgate} (or {@code *}).
 * Runs after Spring Boot's own post-processor, which adds the probe groups.
 */
@Order(Ordered.LOWEST_PRECEDENCE)
final class ReadinessGroupPostProcessor implements HealthEndpointGroupsPostProcessor {
    static final String GROUP = "readiness";
    static final String CONTRIBUTOR = "tollgate";
    static final String EXCLUDE = "management.endpoint.health.group." + GROUP + ".exclude";

    private final boolean excluded;

    /**
     * A post-processor that respects the readiness group's own exclusions.
     *
     * @param excludedFromReadiness the names {@value #EXCLUDE} lists
     */
    ReadinessGroupPostProcessor(Set<String> excludedFromReadiness) {
        this.excluded = excludedFromReadiness.contains(CONTRIBUTOR) || excludedFromReadiness.contains("*");
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(GROUP);
        if (readiness == null || excluded) {
            return groups;
        }
        Map<String, HealthEndpointGroup> additional = new LinkedHashMap<>();
        for (String name : groups.getNames()) {
            additional.put(name, name.equals(GROUP) ? new WithTollgate(readiness) : groups.get(name));
        }
        return HealthEndpointGroups.of(groups.getPrimary(), additional);
    }

    /** A group that has {@code tollgate} as a member besides its own. */
    private record WithTollgate(HealthEndpointGroup group) implements HealthEndpointGroup {
        @Override
        public boolean isMember(String name) {
            return CONTRIBUTOR.equals(name) || group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
