package dev.tollgate.spring.boot;

import static dev.tollgate.spring.boot.TestSupport.BUILD_TIME_SOURCE;
import static dev.tollgate.spring.boot.TestSupport.ENTRY_POINT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.TollgateClient;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The health contributor, its place in the readiness group, and the tollgate endpoint. */
class TollgateActuatorAutoConfigurationTest {
    private static final String PROBES = "management.endpoint.health.probes.enabled=true";
    private static final String EXPOSE = "management.endpoints.web.exposure.include=tollgate";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    TollgateAutoConfiguration.class,
                    TollgateActuatorAutoConfiguration.class,
                    EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class,
                    AvailabilityHealthContributorAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class))
            .withPropertyValues(ENTRY_POINT);

    // Health contributor

    @Test
    void healthIndicator_withActuator_isTheTollgateContributor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasBean("tollgateHealthIndicator");
            assertThat(context.getBean("tollgateHealthIndicator")).isInstanceOf(TollgateHealthIndicator.class);
            // the contributor's name is tollgate, so the health endpoint shows it under that name
            CompositeHealth health =
                    (CompositeHealth) context.getBean(HealthEndpoint.class).health();
            assertThat(health.getComponents()).containsKey("tollgate");
            assertThat(health.getComponents().get("tollgate").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void healthIndicator_disabled_isAbsent() {
        runner.withPropertyValues("management.health.tollgate.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean("tollgateHealthIndicator");
            assertThat(context).doesNotHaveBean(TollgateHealthIndicator.class);
            CompositeHealth health =
                    (CompositeHealth) context.getBean(HealthEndpoint.class).health();
            assertThat(health.getComponents()).doesNotContainKey("tollgate");
        });
    }

    @Test
    void healthIndicator_applicationBeanOfThatName_wins() {
        HealthIndicator own =
                () -> org.springframework.boot.actuate.health.Health.up().build();
        runner.withBean("tollgateHealthIndicator", HealthIndicator.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("tollgateHealthIndicator")).isSameAs(own);
                    assertThat(context).doesNotHaveBean(TollgateHealthIndicator.class);
                });
    }

    @Test
    void withoutActuatorOnTheClassPath_noHealthIndicatorNorEndpoint_butTheClient() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(TollgateAutoConfiguration.class, TollgateActuatorAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .withPropertyValues(ENTRY_POINT, EXPOSE)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TollgateClient.class);
                    assertThat(context).doesNotHaveBean(TollgateHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(TollgateEndpoint.class);
                });
    }

    @Test
    void withoutClient_noHealthIndicatorNorEndpoint() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(TollgateAutoConfiguration.class, TollgateActuatorAutoConfiguration.class))
                .withPropertyValues(EXPOSE)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TollgateHealthIndicator.class);
                    assertThat(context).doesNotHaveBean(TollgateEndpoint.class);
                });
    }

    @Test
    void twoApplicationClients_noneIsPrimary_noHealthIndicatorNorEndpoint_andTheApplicationStarts() {
        withoutEntryPoint().withUserConfiguration(TestSupport.TwoClients.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBeans(TollgateClient.class).hasSize(2);
            assertThat(context).doesNotHaveBean(TollgateHealthIndicator.class);
            assertThat(context).doesNotHaveBean(TollgateEndpoint.class);
        });
    }

    @Test
    void twoApplicationClients_onePrimary_theHealthIndicatorAndEndpointReportThePrimary() {
        withoutEntryPoint()
                .withUserConfiguration(TestSupport.TwoClientsOnePrimary.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TollgateClient primary = context.getBean("primaryClient", TollgateClient.class);
                    context.getBean("firstClient", TollgateClient.class).close();
                    assertThat(context.getBean(TollgateHealthIndicator.class)
                                    .health()
                                    .getStatus())
                            .as("the closed first client is not the one reported")
                            .isNotEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(context.getBean(TollgateEndpoint.class).status())
                            .containsEntry("state", primary.status().state().name());
                    primary.close();
                    assertThat(context.getBean(TollgateHealthIndicator.class)
                                    .health()
                                    .getStatus())
                            .isEqualTo(Status.OUT_OF_SERVICE);
                });
    }

    /** The actuator's auto-configurations and ours, with the tollgate endpoint exposed but no entry point named. */
    private static ApplicationContextRunner withoutEntryPoint() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        TollgateAutoConfiguration.class,
                        TollgateActuatorAutoConfiguration.class,
                        EndpointAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class))
                .withPropertyValues(EXPOSE, "tollgate.client.readiness-timeout=0s");
    }

    // Readiness group

    @Test
    void probes_enabled_readinessHasTollgate_livenessDoesNot() {
        runner.withPropertyValues(PROBES).run(context -> {
            assertThat(context).hasNotFailed();
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            HealthEndpointGroup readiness = groups.get("readiness");
            HealthEndpointGroup liveness = groups.get("liveness");
            assertThat(readiness).isNotNull();
            assertThat(liveness).isNotNull();
            assertThat(readiness.isMember("tollgate")).isTrue();
            assertThat(readiness.isMember("readinessState")).isTrue();
            assertThat(liveness.isMember("tollgate")).isFalse();
            assertThat(liveness.isMember("livenessState")).isTrue();
        });
    }

    @Test
    void probes_enabled_theReadinessHealthShowsTollgate_theLivenessHealthDoesNot() {
        runner.withPropertyValues(PROBES).run(context -> {
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            CompositeHealth readiness = (CompositeHealth) endpoint.healthForPath("readiness");
            assertThat(readiness.getComponents()).containsOnlyKeys("readinessState", "tollgate");
            assertThat(readiness.getComponents().get("tollgate").getStatus()).isEqualTo(Status.UP);
            CompositeHealth liveness = (CompositeHealth) endpoint.healthForPath("liveness");
            assertThat(liveness.getComponents()).containsOnlyKeys("livenessState");
        });
    }

    @Test
    void probes_enabled_aTollgateOutOfService_takesTheReadinessGroupOutOfService() {
        runner.withPropertyValues(PROBES).run(context -> {
            // what Spring Boot publishes once a real application has started
            AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);

            context.getBean(Tollgate.class).close();
            assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(endpoint.healthForPath("liveness").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void probes_disabled_noReadinessGroup_andNoFailure() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HealthEndpointGroups.class).get("readiness"))
                    .isNull();
        });
    }

    @Test
    void readinessGroupConfiguredByHand_getsTollgateToo() {
        runner.withPropertyValues("management.endpoint.health.group.readiness.include=ping")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HealthEndpointGroup readiness =
                            context.getBean(HealthEndpointGroups.class).get("readiness");
                    assertThat(readiness.isMember("ping")).isTrue();
                    assertThat(readiness.isMember("tollgate")).isTrue();
                    assertThat(readiness.isMember("diskSpace")).isFalse();
                });
    }

    @Test
    void probes_enabled_tollgateExcludedFromReadiness_isLeftOut_butStaysInTheRootHealth() {
        runner.withPropertyValues(PROBES, "management.endpoint.health.group.readiness.exclude=tollgate")
                .run(context -> {
                    HealthEndpointGroup readiness =
                            context.getBean(HealthEndpointGroups.class).get("readiness");
                    assertThat(readiness.isMember("readinessState")).isTrue();
                    assertThat(readiness.isMember("tollgate")).isFalse();
                    CompositeHealth health = (CompositeHealth)
                            context.getBean(HealthEndpoint.class).health();
                    assertThat(health.getComponents()).containsKey("tollgate");
                });
    }

    @Test
    void readinessGroupConfiguredByHand_excludingEverything_getsNoTollgate() {
        runner.withPropertyValues(
                        "management.endpoint.health.group.readiness.include=ping",
                        "management.endpoint.health.group.readiness.exclude=*")
                .run(context -> assertThat(context.getBean(HealthEndpointGroups.class)
                                .get("readiness")
                                .isMember("tollgate"))
                        .isFalse());
    }

    @Test
    void probes_enabled_healthIndicatorDisabled_readinessHasNoTollgate() {
        runner.withPropertyValues(PROBES, "management.health.tollgate.enabled=false")
                .run(context -> {
                    HealthEndpointGroup readiness =
                            context.getBean(HealthEndpointGroups.class).get("readiness");
                    assertThat(readiness.isMember("tollgate")).isFalse();
                });
    }

    // Endpoint

    @Test
    void endpoint_exposed_reportsTheClientsStatus() {
        runner.withPropertyValues(EXPOSE).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TollgateEndpoint.class);
            Map<String, Object> status = context.getBean(TollgateEndpoint.class).status();
            assertThat(status.keySet())
                    .containsExactly(
                            "state",
                            "revision",
                            "ready",
                            "source",
                            "schemaHash",
                            "schemaHashMatches",
                            "installedAt",
                            "lastSuccess",
                            "lastError",
                            "rejectedSnapshots",
                            "signatureFailures",
                            "schemaMismatches");
            assertThat(status)
                    .containsEntry("state", "VALID")
                    .containsEntry("revision", 3L)
                    .containsEntry("ready", true)
                    .containsEntry("source", BUILD_TIME_SOURCE)
                    .containsEntry("schemaHash", Tollgate.SCHEMA_HASH)
                    .containsEntry("schemaHashMatches", true)
                    .containsEntry("lastError", null)
                    .containsEntry("rejectedSnapshots", 0L)
                    .containsEntry("signatureFailures", 0L)
                    .containsEntry("schemaMismatches", 0L);
            assertThat(Instant.parse((String) status.get("installedAt"))).isBeforeOrEqualTo(Instant.now());
        });
    }

    @Test
    void endpoint_afterARejectedSnapshot_reportsTheErrorAndTheCount() {
        runner.withPropertyValues(EXPOSE).run(context -> {
            TollgateClient client = context.getBean(TollgateClient.class);
            try {
                client.loadSnapshot(
                        "{\"format\": 1, \"revision\": 8, \"fields\": {\"entitlements.nope\": {\"default\": 1}}}");
            } catch (RuntimeException expected) {
                // rejected: the endpoint reports it
            }
            Map<String, Object> status = context.getBean(TollgateEndpoint.class).status();
            assertThat(status).containsEntry("revision", 3L).containsEntry("rejectedSnapshots", 1L);
        });
    }

    @Test
    void endpoint_notExposed_isAbsent() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TollgateEndpoint.class);
        });
    }

    @Test
    void endpoint_exposedButAccessNone_isAbsent() {
        runner.withPropertyValues(EXPOSE, "management.endpoint.tollgate.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(TollgateEndpoint.class));
    }
}
