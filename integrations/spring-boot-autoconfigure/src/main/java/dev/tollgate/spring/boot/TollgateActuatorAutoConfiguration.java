package dev.tollgate.spring.boot;

import dev.tollgate.TollgateClient;
import java.util.Set;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With Spring Boot's actuator: the {@code tollgate} health contributor, in the readiness group, and the read-only
 * {@code tollgate} endpoint, for the one {@link TollgateClient} bean, or the primary one of several; with several and
 * none primary, neither (the application defines its own).
 *
 * <p>After {@link AvailabilityProbesAutoConfiguration}: its post-processor adds the probe groups, and has the same
 * (lowest) order as {@link ReadinessGroupPostProcessor}, so the two run in the order their beans were defined; defined
 * first, ours would find no readiness group to add {@code tollgate} to.
 */
@AutoConfiguration(after = {TollgateAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class})
@ConditionalOnClass(Endpoint.class)
@ConditionalOnSingleCandidate(TollgateClient.class)
public class TollgateActuatorAutoConfiguration {

    /** The health contributor; off with {@code management.health.tollgate.enabled=false}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("tollgate")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "tollgateHealthIndicator")
        TollgateHealthIndicator tollgateHealthIndicator(TollgateClient client, TollgateProperties properties) {
            return new TollgateHealthIndicator(client, properties.getReadinessTimeout());
        }

        @Bean
        static HealthEndpointGroupsPostProcessor tollgateReadinessGroup(Environment environment) {
            return new ReadinessGroupPostProcessor(Binder.get(environment)
                    .bind(ReadinessGroupPostProcessor.EXCLUDE, Bindable.setOf(String.class))
                    .orElse(Set.of()));
        }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    TollgateEndpoint tollgateEndpoint(TollgateClient client) {
        return new TollgateEndpoint(client);
    }
}
