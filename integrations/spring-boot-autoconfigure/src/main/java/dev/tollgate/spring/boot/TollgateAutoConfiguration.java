package dev.tollgate.spring.boot;

import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * The Tollgate client as beans. With {@code tollgate.client.entry-point}, the generated entry point is a bean of its own
 * class and its client the {@link TollgateClient} bean; with {@code tollgate.client.schema} instead, a client for that
 * schema. A {@link TollgateClient} or entry point bean of the application's own wins. Both are closed with the
 * context, which flushes the evaluation logs.
 */
@AutoConfiguration
@ConditionalOnClass(TollgateClient.class)
@ConditionalOnProperty(prefix = TollgateProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TollgateProperties.class)
@Import(EntryPointRegistrar.class)
public class TollgateAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TollgateClientFactory tollgateClientFactory(
            TollgateProperties properties, ObjectProvider<TollgateClientBuilderCustomizer> customizers) {
        return new TollgateClientFactory(properties, customizers.orderedStream().toList());
    }

    /** The entry point's client; the entry point closes it. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    @Conditional(OnEntryPoint.class)
    TollgateClient tollgateClient(TypedClient entryPoint) {
        return entryPoint.client();
    }

    /** A client for {@code tollgate.client.schema}, without generated code. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = TollgateProperties.PREFIX, name = "schema")
    TollgateClient tollgateSchemaClient(TollgateClientFactory factory) {
        return factory.createClient();
    }

    /** An entry point is named, or the application defined one. */
    static final class OnEntryPoint extends AnyNestedCondition {
        OnEntryPoint() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty(prefix = TollgateProperties.PREFIX, name = "entry-point")
        static final class Named {}

        @ConditionalOnBean(TypedClient.class)
        static final class Defined {}
    }
}
