package dev.tollgate.spring.boot;

import dev.tollgate.TollgateClient;

/**
 * Sets options of the client that {@code tollgate.client.*} does not cover, such as a custom snapshot source, a log
 * sink, listeners or a clock. Every bean of this type is applied, in {@link org.springframework.core.annotation.Order}
 * order, after the properties, so a customizer has the last word.
 */
@FunctionalInterface
public interface TollgateClientBuilderCustomizer {
    /**
     * Adjusts the builder of the client about to be built.
     *
     * @param builder the client builder, with the properties applied
     */
    void customize(TollgateClient.Builder builder);
}
