package dev.tollgate.spring.boot;

import static dev.tollgate.spring.boot.TestSupport.ENTRY_POINT;
import static dev.tollgate.spring.boot.TestSupport.PRO;
import static dev.tollgate.spring.boot.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.TollgateClient;
import dev.tollgate.micrometer.TollgateMetrics;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Micrometer binder as a bean, bound by Spring Boot to its registry. */
class TollgateMetricsAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    TollgateAutoConfiguration.class,
                    TollgateMetricsAutoConfiguration.class,
                    MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class));

    @Test
    void metrics_withAClientAndARegistry_areBound_revisionReadsTheInstalledOne() {
        runner.withPropertyValues(ENTRY_POINT).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TollgateMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("tollgate.snapshot.revision").gauge().value())
                    .isEqualTo(3.0);
            assertThat(registry.get("tollgate.client.state")
                            .tag("state", "valid")
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
        });
    }

    @Test
    void metrics_afterEvaluations_countThem() {
        runner.withPropertyValues(ENTRY_POINT).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            FunctionCounter rules = registry.get("tollgate.evaluations")
                    .tag("field", "entitlements.maxSeats")
                    .tag("outcome", "rule")
                    .functionCounter();
            assertThat(rules.count()).isZero();
            Tollgate tollgate = context.getBean(Tollgate.class);
            tollgate.root(PRO).entitlements().maxSeats(1);
            tollgate.root(PRO).entitlements().maxSeats(1);
            // a scrape reuses its reading of the counters for a moment
            await("two rule evaluations counted", () -> rules.count() == 2.0);
        });
    }

    @Test
    void metrics_applicationBinderBean_wins() {
        try (TollgateClient own = TestSupport.client()) {
            runner.withPropertyValues(ENTRY_POINT)
                    .withBean("ownMetrics", TollgateMetrics.class, () -> new TollgateMetrics(own))
                    .run(context ->
                            assertThat(context).getBeans(TollgateMetrics.class).containsOnlyKeys("ownMetrics"));
        }
    }

    @Test
    void twoApplicationClients_noneIsPrimary_noBinder_andTheApplicationStarts() {
        runner.withUserConfiguration(TestSupport.TwoClients.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TollgateMetrics.class);
        });
    }

    @Test
    void twoApplicationClients_onePrimary_theBinderReadsThePrimary() {
        runner.withUserConfiguration(TestSupport.TwoClientsOnePrimary.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TollgateMetrics.class);
            context.getBean("primaryClient", TollgateClient.class).close();
            assertThat(context.getBean(MeterRegistry.class)
                            .get("tollgate.client.state")
                            .tag("state", "off")
                            .gauge()
                            .value())
                    .isEqualTo(1.0);
        });
    }

    @Test
    void withoutMicrometerOnTheClassPath_noBinder_butTheClient() {
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(TollgateAutoConfiguration.class, TollgateMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .withPropertyValues(ENTRY_POINT)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TollgateClient.class);
                    assertThat(context).doesNotHaveBean(TollgateMetrics.class);
                });
    }

    @Test
    void micrometerWithoutTollgateMicrometer_noBinder_butTheClient() {
        // the auto-configuration module alone, without the starter, has tollgate-micrometer as an optional dependency
        runner.withPropertyValues(ENTRY_POINT)
                .withClassLoader(new FilteredClassLoader(TollgateMetrics.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TollgateClient.class);
                    assertThat(context).hasSingleBean(MeterRegistry.class);
                    assertThat(context).doesNotHaveBean("tollgateMetrics");
                });
    }

    @Test
    void withoutClient_noBinder() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TollgateMetrics.class);
            assertThat(context.getBean(MeterRegistry.class)
                            .find("tollgate.snapshot.revision")
                            .meter())
                    .isNull();
        });
    }
}
