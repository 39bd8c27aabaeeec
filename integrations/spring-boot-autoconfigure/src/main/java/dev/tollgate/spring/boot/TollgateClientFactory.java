package dev.tollgate.spring.boot;

import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.SchemaException;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import dev.tollgate.runtime.TypedClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.springframework.core.io.Resource;

/**
 * Builds clients from {@link TollgateProperties} and the application's {@link TollgateClientBuilderCustomizer}s: the
 * generated entry point's, or a client for a schema file. A property with a bad value fails the build with an {@link
 * IllegalStateException} that names the property.
 */
public final class TollgateClientFactory {
    private final TollgateProperties properties;
    private final List<TollgateClientBuilderCustomizer> customizers;

    /**
     * A factory applying {@code properties}, then each of {@code customizers} in order.
     *
     * @param properties the bound {@code tollgate.client.*} properties
     * @param customizers applied after the properties
     */
    public TollgateClientFactory(TollgateProperties properties, List<TollgateClientBuilderCustomizer> customizers) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.customizers = List.copyOf(customizers);
        if (properties.getReadinessTimeout() == null
                || properties.getReadinessTimeout().isNegative()) {
            throw new IllegalStateException(
                    property("readiness-timeout") + " must not be negative: " + properties.getReadinessTimeout());
        }
    }

    /**
     * Types {@code client}, a client the application built itself, as the generated entry point {@code entryPoint},
     * through its {@code wrap} method.
     *
     * @param entryPoint a class the code generator wrote
     * @param client a client for the entry point's schema
     * @param <T> the entry point's type
     * @return the entry point over {@code client}
     */
    public static <T extends TypedClient> T wrap(Class<T> entryPoint, TollgateClient client) {
        Method wrap;
        try {
            wrap = entryPoint.getMethod("wrap", TollgateClient.class);
        } catch (NoSuchMethodException e) {
            throw notAnEntryPoint(entryPoint, "it has no public static wrap(TollgateClient) method");
        }
        return invoke(
                entryPoint,
                wrap,
                null,
                entryPoint,
                property("entry-point") + ": " + entryPoint.getName()
                        + " cannot wrap the application's TollgateClient bean: ",
                client);
    }

    /**
     * Builds the generated entry point {@code entryPoint} through its own builder, so that it loads its build-time
     * snapshot, with the properties and customizers applied to its client.
     *
     * @param entryPoint a class the code generator wrote
     * @param <T> its type
     * @return the built entry point; closing it closes its client
     */
    public <T extends TypedClient> T createEntryPoint(Class<T> entryPoint) {
        Objects.requireNonNull(entryPoint, "entryPoint");
        String failure = "building " + entryPoint.getName() + " failed: ";
        TypedClientBuilder<?> builder =
                invoke(entryPoint, staticBuilderMethod(entryPoint), null, TypedClientBuilder.class, failure);
        builder.configureClient(this::configure);
        Method build;
        try {
            build = builder.getClass().getMethod("build");
        } catch (NoSuchMethodException e) {
            throw notAnEntryPoint(entryPoint, "its builder has no public build() method");
        }
        return invoke(entryPoint, build, builder, entryPoint, failure);
    }

    /**
     * Builds a client for the schema at {@code tollgate.client.schema}, with the properties and customizers applied.
     *
     * @return the client; the caller closes it
     */
    public TollgateClient createClient() {
        Resource resource = properties.getSchema();
        if (resource == null) {
            throw new IllegalStateException(TollgateProperties.PREFIX + ".schema is not set");
        }
        TollgateClient.Builder builder = TollgateClient.builder(parseSchema(resource));
        if (properties.getEmbeddedSnapshot() != null) {
            builder.embeddedSnapshot(properties.getEmbeddedSnapshot());
        }
        configure(builder);
        // build() reads the embedded snapshot, and throws IllegalArgumentException when there is no such resource
        return properties.getEmbeddedSnapshot() == null ? builder.build() : build("embedded-snapshot", builder::build);
    }

    /**
     * Applies the properties, then the customizers, to {@code builder}.
     *
     * @param builder a client builder
     */
    public void configure(TollgateClient.Builder builder) {
        if (properties.getSnapshotFile() != null) {
            // the file alone first, so that a failure with the interval is the interval's
            set("snapshot-file", builder, b -> b.snapshotFile(properties.getSnapshotFile()));
            if (properties.getSnapshotFilePollInterval() != null) {
                set(
                        "snapshot-file-poll-interval",
                        builder,
                        b -> b.snapshotFile(properties.getSnapshotFile(), properties.getSnapshotFilePollInterval()));
            }
        } else if (properties.getSnapshotFilePollInterval() != null) {
            throw new IllegalStateException(
                    property("snapshot-file-poll-interval") + " is set but " + property("snapshot-file") + " is not");
        }
        ServerOptions server = serverOptions();
        if (server != null) {
            builder.server(server);
        }
        TollgateProperties.LastKnownGood lastKnownGood = properties.getLastKnownGood();
        if (lastKnownGood.getDirectory() != null) {
            // the directory alone first, so that a failure with the maximum age is the age's
            set("last-known-good.directory", builder, b -> b.lastKnownGood(lastKnownGood.getDirectory()));
            if (lastKnownGood.getMaxAge() != null) {
                set(
                        "last-known-good.max-age",
                        builder,
                        b -> b.lastKnownGood(lastKnownGood.getDirectory(), lastKnownGood.getMaxAge()));
            }
        } else if (lastKnownGood.getMaxAge() != null) {
            throw new IllegalStateException(property("last-known-good.max-age") + " is set but "
                    + property("last-known-good.directory") + " is not");
        }
        List<String> keys = properties.getPublicKeys();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            set("public-keys[" + i + "]", builder, b -> b.publicKey(key));
        }
        LogOptions logs = logOptions(server);
        if (logs != null) {
            builder.logs(logs);
        }
        for (TollgateClientBuilderCustomizer customizer : customizers) {
            customizer.customize(builder);
        }
    }

    /**
     * The server options the properties describe, or null without {@code server.url}. A blank URL and token count as
     * unset, so that {@code tollgate.client.server.url=${TOLLGATE_URL:}} follows a server only where one is given.
     */
    ServerOptions serverOptions() {
        TollgateProperties.Server server = properties.getServer();
        if (isBlank(server.getUrl())) {
            if (!isBlank(server.getToken())) {
                throw new IllegalStateException(
                        property("server.token") + " is set but " + property("server.url") + " is not");
            }
            return null;
        }
        if (isBlank(server.getToken())) {
            throw new IllegalStateException(
                    property("server.url") + " is set but " + property("server.token") + " is not");
        }
        // The URL with a stand-in token first, so that a failure with the real token is the token's
        build("server.url", () -> ServerOptions.builder(server.getUrl(), "token"));
        ServerOptions.Builder options =
                build("server.token", () -> ServerOptions.builder(server.getUrl(), server.getToken()));
        if (server.getEnvironment() != null) {
            set("server.environment", options, o -> o.environment(server.getEnvironment()));
        }
        if (server.getStreaming() != null) {
            options.streaming(server.getStreaming());
        }
        if (server.getPollInterval() != null) {
            set("server.poll-interval", options, o -> o.pollInterval(server.getPollInterval()));
        }
        if (server.getConnectTimeout() != null) {
            set("server.connect-timeout", options, o -> o.connectTimeout(server.getConnectTimeout()));
        }
        if (server.getReadTimeout() != null) {
            set("server.read-timeout", options, o -> o.readTimeout(server.getReadTimeout()));
        }
        return options.build();
    }

    /** The log options the properties describe, or null to keep the SDK's defaults. */
    LogOptions logOptions(ServerOptions server) {
        TollgateProperties.Logs logs = properties.getLogs();
        if (!logs.isEnabled()) {
            return LogOptions.disabled();
        }
        boolean defaults = logs.getDestination() == TollgateProperties.Destination.AUTO
                && logs.getFlushInterval() == null
                && logs.getMaxExposures() == null
                && logs.getMaxAttempts() == null
                && logs.getCloseTimeout() == null;
        if (defaults) {
            return null;
        }
        LogOptions.Builder options = LogOptions.builder();
        switch (logs.getDestination()) {
            case SERVER -> {
                if (server == null) {
                    throw new IllegalStateException(
                            property("logs.destination") + " is server but " + property("server.url") + " is not set");
                }
                options.server(server);
            }
            case SLF4J -> options.slf4j();
            case AUTO -> {
                // the client's server, or SLF4J without one: the SDK's default
            }
        }
        if (logs.getFlushInterval() != null) {
            set("logs.flush-interval", options, o -> o.flushInterval(logs.getFlushInterval()));
        }
        if (logs.getMaxExposures() != null) {
            set("logs.max-exposures", options, o -> o.maxExposures(logs.getMaxExposures()));
        }
        if (logs.getMaxAttempts() != null) {
            set("logs.max-attempts", options, o -> o.maxAttempts(logs.getMaxAttempts()));
        }
        if (logs.getCloseTimeout() != null) {
            set("logs.close-timeout", options, o -> o.closeTimeout(logs.getCloseTimeout()));
        }
        return options.build();
    }

    private static Schema parseSchema(Resource resource) {
        String sdl;
        try (InputStream in = resource.getInputStream()) {
            sdl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(
                    property("schema") + ": cannot read " + resource.getDescription() + ": " + e.getMessage(), e);
        }
        try {
            return Schema.parse(sdl, resource.getFilename() == null ? "schema.graphql" : resource.getFilename());
        } catch (SchemaException e) {
            throw new IllegalStateException(property("schema") + ": " + e.getMessage(), e);
        }
    }

    private static Method staticBuilderMethod(Class<?> entryPoint) {
        try {
            Method builder = entryPoint.getMethod("builder");
            if (!Modifier.isStatic(builder.getModifiers())
                    || !TypedClientBuilder.class.isAssignableFrom(builder.getReturnType())) {
                throw notAnEntryPoint(entryPoint, "its builder() is not a static method returning a generated builder");
            }
            return builder;
        } catch (NoSuchMethodException e) {
            throw notAnEntryPoint(entryPoint, "it has no public static builder() method");
        }
    }

    /**
     * Calls a generated method; what it throws becomes an {@link IllegalStateException} whose message is {@code
     * failure} followed by the cause's.
     */
    private static <R> R invoke(
            Class<?> entryPoint, Method method, Object target, Class<R> type, String failure, Object... arguments) {
        try {
            return type.cast(method.invoke(target, arguments));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(failure + cause.getMessage(), cause);
        } catch (IllegalAccessException e) {
            throw notAnEntryPoint(entryPoint, method + " is not accessible");
        }
    }

    private static IllegalStateException notAnEntryPoint(Class<?> entryPoint, String why) {
        return new IllegalStateException(
                property("entry-point") + ": " + entryPoint.getName() + " is not a generated entry point: " + why);
    }

    private static <B> void set(String property, B builder, Consumer<B> option) {
        try {
            option.accept(builder);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException(property(property) + ": " + e.getMessage(), e);
        }
    }

    private static <B> B build(String property, java.util.function.Supplier<B> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property(property) + ": " + e.getMessage(), e);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    static String property(String name) {
        return TollgateProperties.PREFIX + "." + name;
    }
}
