package dev.tollgate.runtime;

import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.TollgateClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The options every generated entry point's builder offers, whatever its schema. They are set on a {@link
 * TollgateClient.Builder} for the schema; the generated subclass's {@code build()} builds the client from it and wraps
 * it in the entry point.
 *
 * <p>The generator writes the subclasses; application code uses them, not this class. Not thread-safe; a builder is
 * meant to be used by one thread and dropped after {@code build()}.
 *
 * @param <B> the generated builder itself, which every option method returns so that calls chain
 */
public abstract class TypedClientBuilder<B extends TypedClientBuilder<B>> {
    private final TollgateClient.Builder client;

    /**
     * A builder whose client is for {@code schema}, with default options.
     *
     * @param schema the schema the subclass was generated from
     */
    protected TypedClientBuilder(Schema schema) {
        this.client = TollgateClient.builder(schema);
    }

    /**
     * The caps enforced on every snapshot; {@link SnapshotLimits#defaults()} unless set.
     *
     * @param limits the caps
     * @return this builder
     */
    public final B limits(SnapshotLimits limits) {
        client.limits(limits);
        return self();
    }

    /**
     * How evaluations are logged; unless set, on, to the client's server or, without one, SLF4J.
     *
     * @param logs the log options, such as {@link LogOptions#disabled()}
     * @return this builder
     */
    public final B logs(LogOptions logs) {
        client.logs(logs);
        return self();
    }

    /**
     * The clock that decides the time windows of override rows and rules, read once per root; {@link
     * Clock#systemUTC()} unless set. Tests pass a clock they control.
     *
     * @param clock the clock
     * @return this builder
     */
    public final B clock(Clock clock) {
        client.clock(clock);
        return self();
    }

    /**
     * Follows a Tollgate server: snapshots through its stream (or polling), and evaluation logs to its logs endpoint,
     * with one token and one HTTP client, unless {@link #logs(LogOptions)} says otherwise.
     *
     * @param server the server's URL, SDK token, environment and HTTP settings
     * @return this builder
     */
    public final B server(ServerOptions server) {
        client.server(server);
        return self();
    }

    /**
     * Follows a snapshot file (GitOps, a mounted config map): loaded at start and again whenever it changes.
     *
     * @param file the snapshot file
     * @return this builder
     */
    public final B snapshotFile(Path file) {
        client.snapshotFile(file);
        return self();
    }

    /**
     * Keeps a copy of each accepted snapshot in {@code directory} and starts from it when no live source answers, up
     * to {@link TollgateClient.Builder#DEFAULT_LAST_KNOWN_GOOD_MAX_AGE} old.
     *
     * @param directory where the copy is kept, created when missing
     * @return this builder
     */
    public final B lastKnownGood(Path directory) {
        client.lastKnownGood(directory);
        return self();
    }

    /**
     * Sets options of the underlying client that this builder does not offer itself, such as signing keys, listeners
     * or custom sources.
     *
     * @param configuration applied to the client builder once, now
     * @return this builder
     */
    public final B configureClient(Consumer<TollgateClient.Builder> configuration) {
        Objects.requireNonNull(configuration, "configuration").accept(client);
        return self();
    }

    /** The client builder the options are set on, for the subclass's {@code build()}. */
    protected final TollgateClient.Builder clientBuilder() {
        return client;
    }

    /** This builder as the subclass it is: {@code B} is, by contract, the class of the instance. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
