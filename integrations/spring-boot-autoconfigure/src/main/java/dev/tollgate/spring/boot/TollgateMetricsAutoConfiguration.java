package dev.tollgate.spring.boot;

import dev.tollgate.TollgateClient;
import dev.tollgate.micrometer.TollgateMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer on the class path: {@link TollgateMetrics} as a bean, for the one {@link TollgateClient} bean or the
 * primary one of several, which Spring Boot binds to every meter registry. The starter brings {@code tollgate-micrometer} without Micrometer itself, so an application without
 * Micrometer gets no meters and no Micrometer.
 */
@AutoConfiguration(after = TollgateAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, TollgateMetrics.class})
@ConditionalOnSingleCandidate(TollgateClient.class)
public class TollgateMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TollgateMetrics tollgateMetrics(TollgateClient client) {
        return new TollgateMetrics(client);
    }
}
