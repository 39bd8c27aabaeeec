package dev.tollgate.openfeature;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FatalError;
import dev.openfeature.sdk.exceptions.ProviderNotReadyError;
import dev.tollgate.DynamicInput;
import dev.tollgate.EvaluationDetail;
import dev.tollgate.ReadyResult;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFeature provider answering from a {@link TollgateClient}: the flag key is a field path such as {@code
 * entitlements.maxTeamSize}, the evaluation context becomes the schema's context, field arguments come from the
 * context's {@code args} structure, and Tollgate's reasons, fallback causes and client states become OpenFeature's
 * reasons, error codes and provider events. docs/openfeature.md has the tables.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(
 *         TollgateProvider.newBuilder(tollgate).targetingKey("user.id").build());
 * Client flags = OpenFeatureAPI.getInstance().getClient();
 * int maxTeamSize = flags.getIntegerValue("entitlements.maxTeamSize", 5, context);
 * }</pre>
 *
 * <p>No evaluation method throws: whatever goes wrong, the caller's default value comes back with an error code.
 *
 * <p>Ownership: a provider built over a client ({@link #of(TollgateClient)}, {@link #newBuilder(TypedClient)}, ...)
 * never closes it; {@link #shutdown()} only stops listening to it. A provider built from a {@link
 * TollgateClient.Builder} builds the client itself, owns it, and closes it on {@link #shutdown()}. Either way a
 * provider instance is done after {@code shutdown()}: set a new one to start again.
 */
public final class TollgateProvider extends EventProvider {
    /** The name in the provider's metadata. */
    public static final String NAME = "Tollgate";
    /** How long {@link #initialize} waits for the client unless set: five seconds. */
    public static final Duration DEFAULT_INIT_TIMEOUT = Duration.ofSeconds(5);
    /** The context attribute holding the field arguments unless set. */
    public static final String DEFAULT_ARGUMENTS_KEY = "args";

    private static final Logger LOG = LoggerFactory.getLogger(TollgateProvider.class);
    private static final Metadata METADATA = () -> NAME;

    private final TollgateClient client;
    private final boolean ownsClient;
    private final Duration initTimeout;
    private final ContextMapping mapping;
    private final ProviderEvents events;
    private final AtomicBoolean warnedFailure = new AtomicBoolean();

    private TollgateProvider(Builder builder, TollgateClient client) {
        this.client = client;
        this.ownsClient = builder.clientBuilder != null;
        this.initTimeout = builder.initTimeout;
        this.mapping = new ContextMapping(client.schema(), builder.targetingKeyPath, builder.argumentsKey);
        this.events = new ProviderEvents(this, client);
    }

    /** A provider over {@code client} with the default options; it does not own the client. */
    public static TollgateProvider of(TollgateClient client) {
        return newBuilder(client).build();
    }

    /** A provider over the client of a generated entry point, with the default options; it does not own it. */
    public static TollgateProvider of(TypedClient typed) {
        return newBuilder(typed).build();
    }

    /** Options for a provider over {@code client}, which the provider does not own. */
    public static Builder newBuilder(TollgateClient client) {
        return new Builder(Objects.requireNonNull(client, "client"), null);
    }

    /** Options for a provider over the client of a generated entry point, which the provider does not own. */
    public static Builder newBuilder(TypedClient typed) {
        return newBuilder(Objects.requireNonNull(typed, "typed").client());
    }

    /**
     * Options for a provider that builds its client from {@code clientBuilder} when {@link Builder#build()} is called,
     * owns it, and closes it on {@link #shutdown()}.
     */
    public static Builder newBuilder(TollgateClient.Builder clientBuilder) {
        return new Builder(null, Objects.requireNonNull(clientBuilder, "clientBuilder"));
    }

    /** The client this provider answers from. */
    public TollgateClient client() {
        return client;
    }

    /** Whether {@link #shutdown()} closes the client: only when the provider built it. */
    public boolean ownsClient() {
        return ownsClient;
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /**
     * Starts listening to the client and waits up to the init timeout for it to become ready. Returns when the client
     * serves a snapshot (a live source confirmed it, or the embedded or last-known-good one is installed), so
     * OpenFeature reports READY. Otherwise throws: {@link ProviderNotReadyError} when the wait timed out, after which
     * evaluations answer PROVIDER_NOT_READY until a snapshot arrives and the provider emits PROVIDER_READY; {@link
     * FatalError} when the client can no longer become ready (closed, or every live source stopped for good).
     */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        events.attach();
        ReadyResult ready = client.awaitReady(initTimeout);
        boolean serving = client.isReady();
        events.initialized(serving);
        if (serving) {
            return;
        }
        String why = "Tollgate has no snapshot: " + ready.message().orElse("none was delivered");
        if (ready.isFailed()) {
            throw new FatalError(why);
        }
        throw new ProviderNotReadyError(why);
    }

    /** Stops listening to the client, closes it if the provider owns it, and stops the provider's event thread. */
    @Override
    public void shutdown() {
        events.detach();
        if (ownsClient) {
            client.close();
        }
        super.shutdown();
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Boolean.class, Boolean.class::cast);
    }

    /** Answers from String and enum fields; an enum answers its value's name. */
    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, String.class, String.class::cast);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Integer.class, Integer.class::cast);
    }

    /** Answers from Int fields, widened. */
    @Override
    public ProviderEvaluation<Long> getLongEvaluation(String key, Long defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Integer.class, value -> ((Integer) value).longValue());
    }

    /** Answers from Float fields only; an Int field is a TYPE_MISMATCH, as in Tollgate's own accessors. */
    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Double.class, Double.class::cast);
    }

    /**
     * Answers from any field as a {@link Value}: lists as lists, String and enum fields as strings, object fields as
     * structures, scalars as themselves.
     */
    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return evaluate(key, defaultValue, ctx, Object.class, Answers::toValue);
    }

    private <T> ProviderEvaluation<T> evaluate(
            String key, T fallback, EvaluationContext ctx, Class<?> type, Answers.Converter<T> convert) {
        try {
            DynamicInput context;
            Map<String, Object> args;
            try {
                context = mapping.context(ctx);
                args = mapping.arguments(ctx);
            } catch (IllegalArgumentException e) {
                return Answers.invalidContext(fallback, e.getMessage(), client.revision());
            }
            EvaluationDetail<Object> detail = client.root(context).detail(key, args, fallback);
            return Answers.answer(key, detail, fallback, type, convert);
        } catch (RuntimeException e) { // a bug here must not reach the caller, who gets the default value instead
            warnOnce(key, e);
            return Answers.failed(fallback, key + ": the Tollgate provider failed: " + e);
        }
    }

    private void warnOnce(String key, RuntimeException e) {
        if (warnedFailure.compareAndSet(false, true)) {
            LOG.warn(
                    "The Tollgate OpenFeature provider failed evaluating {}; later failures are logged at debug",
                    key,
                    e);
        } else {
            LOG.debug("The Tollgate OpenFeature provider failed evaluating {}", key, e);
        }
    }

    @Override
    public String toString() {
        return "TollgateProvider[" + client + (ownsClient ? ", owned" : "") + "]";
    }

    /** Builds a {@link TollgateProvider}. */
    public static final class Builder {
        private final TollgateClient client;
        private final TollgateClient.Builder clientBuilder;
        private List<String> targetingKeyPath = List.of();
        private String argumentsKey = DEFAULT_ARGUMENTS_KEY;
        private Duration initTimeout = DEFAULT_INIT_TIMEOUT;

        private Builder(TollgateClient client, TollgateClient.Builder clientBuilder) {
            this.client = client;
            this.clientBuilder = clientBuilder;
        }

        /**
         * The context attribute the OpenFeature targeting key fills, as a dotted path such as {@code user.id}, unless
         * the evaluation context sets that attribute itself. Unless set, the targeting key is not used.
         *
         * @throws IllegalArgumentException if the path is empty or has an empty segment
         */
        public Builder targetingKey(String attributePath) {
            Objects.requireNonNull(attributePath, "attributePath");
            List<String> segments = List.of(attributePath.split("\\.", -1));
            if (segments.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException(
                        "targetingKey: \"" + attributePath + "\" is not a dotted attribute path such as user.id");
            }
            this.targetingKeyPath = segments;
            return this;
        }

        /**
         * The context attribute holding the field arguments as a structure, {@value #DEFAULT_ARGUMENTS_KEY} unless set;
         * change it when the schema's context has an attribute of that name.
         *
         * @throws IllegalArgumentException if {@code key} is empty or is the targeting key's attribute
         */
        public Builder argumentsKey(String key) {
            Objects.requireNonNull(key, "key");
            if (key.isEmpty() || key.equals(EvaluationContext.TARGETING_KEY)) {
                throw new IllegalArgumentException("argumentsKey: \"" + key + "\" cannot hold the field arguments");
            }
            this.argumentsKey = key;
            return this;
        }

        /**
         * How long {@link TollgateProvider#initialize} waits for the client, {@link #DEFAULT_INIT_TIMEOUT} unless set;
         * zero does not wait.
         *
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder initTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("initTimeout: " + timeout + " is negative");
            }
            this.initTimeout = timeout;
            return this;
        }

        /** The provider; for a provider built from a client builder, builds that client now. */
        public TollgateProvider build() {
            return new TollgateProvider(this, client != null ? client : clientBuilder.build());
        }
    }
}
