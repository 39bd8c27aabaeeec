package dev.tollgate.runtime;

import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.LoadResult;
import dev.tollgate.Schema;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What every generated entry point has, whatever its schema: a {@link TollgateClient} for the schema, and the methods
 * that load snapshots into it, say what is installed, send its evaluation logs and close it.
 *
 * <p>The generator writes the subclasses; application code uses them, not this class. A generated entry point (named
 * {@code Tollgate} unless configured otherwise) adds what depends on its schema: the schema constants and {@code
 * schema()}, the factories {@code create()}, {@code builder()} and {@code wrap(TollgateClient)}, and {@code
 * root(Context)}, which hands out typed roots. Its builder extends {@link TypedClientBuilder}.
 *
 * <p>Thread-safe: every method here delegates to the client, which is. Snapshots are validated against the schema as a
 * whole before they are installed; an invalid one is rejected and the last good one stays. Create one instance per
 * application and {@link #close()} it on shutdown, which flushes the evaluation logs.
 */
public abstract class TypedClient implements AutoCloseable {
    private final TollgateClient client;

    /**
     * Typed access through {@code client}, which must have been built for {@code schema}.
     *
     * @param client the client the methods delegate to
     * @param schema the schema the subclass was generated from
     * @throws NullPointerException if {@code client} or {@code schema} is null
     * @throws IllegalArgumentException if the client's schema is not {@code schema}, or declares the same fields in
     *     another order: the typed accessors read fields, arguments and context attributes by position, and would read
     *     the wrong ones
     */
    protected TypedClient(TollgateClient client, Schema schema) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(schema, "schema");
        String expected = schema.hash();
        SchemaModel actual = ApiAccess.model(client.schema());
        if (!actual.hash().equals(expected)) {
            throw new IllegalArgumentException("the client's schema " + actual.hash()
                    + " is not the schema this code was generated from, " + expected);
        }
        // The hash ignores declaration order (it identifies the schema for snapshots); positions do not.
        if (!actual.layoutDigest().equals(ApiAccess.model(schema).layoutDigest())) {
            throw new IllegalArgumentException("the client's schema has the same hash as the generated code's, "
                    + expected + ", but declares its fields, arguments or input fields in another order, so the typed"
                    + " accessors would read the wrong ones; build the client for the generated schema (its"
                    + " schema() method)");
        }
        this.client = client;
    }

    /**
     * Validates and installs a snapshot from JSON text, unless the installed revision is the same or newer.
     *
     * @param json the snapshot
     * @return what happened
     * @throws InvalidSnapshotException listing every problem; the installed snapshot stays
     */
    public final LoadResult loadSnapshot(String json) {
        return client.loadSnapshot(json);
    }

    /**
     * Validates and installs a snapshot from UTF-8 JSON, unless the installed revision is the same or newer.
     *
     * @param json the snapshot
     * @return what happened
     * @throws InvalidSnapshotException listing every problem; the installed snapshot stays
     */
    public final LoadResult loadSnapshot(byte[] json) {
        return client.loadSnapshot(json);
    }

    /**
     * Validates and installs a snapshot from a stream of JSON, read up to the snapshot size limit ({@link
     * SnapshotLimits#maxBytes()}) and not closed, unless the installed revision is the same or newer.
     *
     * @param in the snapshot
     * @return what happened
     * @throws InvalidSnapshotException listing every problem; the installed snapshot stays
     */
    public final LoadResult loadSnapshot(InputStream in) {
        return client.loadSnapshot(in);
    }

    /**
     * Validates and installs a snapshot from a JSON file, unless the installed revision is the same or newer.
     *
     * @param file the snapshot
     * @return what happened
     * @throws InvalidSnapshotException listing every problem; the installed snapshot stays
     */
    public final LoadResult loadSnapshot(Path file) {
        return client.loadSnapshot(file);
    }

    /**
     * Validates and installs a snapshot from a classpath resource, looked up with the thread's context class loader and
     * then the runtime's, unless the installed revision is the same or newer.
     *
     * @param name the resource name, such as {@code tollgate/snapshot.json}
     * @return what happened
     * @throws InvalidSnapshotException listing every problem; the installed snapshot stays
     * @throws IllegalArgumentException if there is no such resource
     */
    public final LoadResult loadSnapshotResource(String name) {
        return client.loadSnapshotResource(name);
    }

    /** The installed snapshot revision, or 0 before the first snapshot. */
    public final long revision() {
        return client.revision();
    }

    /**
     * Whether a snapshot is installed, so that accessors answer from its logic rather than with their fallbacks. {@link
     * TollgateClient#status()} says whether a live source confirmed it.
     */
    public final boolean isReady() {
        return client.isReady();
    }

    /**
     * Sends the evaluation logs gathered so far, for short-lived processes that end before the next scheduled flush.
     *
     * @return completes when the logs are sent, or when sending them failed; already complete when logging is off
     */
    public final CompletableFuture<Void> flushLogs() {
        return client.flushLogs();
    }

    /**
     * Flushes the logs and stops the client's background threads. Reads keep working against the last snapshot, and
     * {@code loadSnapshot} still installs. Idempotent.
     */
    @Override
    public final void close() {
        client.close();
    }

    /** The underlying client, for everything the typed API does not cover, such as status and snapshot listeners. */
    public final TollgateClient client() {
        return client;
    }

    /**
     * A reader for {@code context}, pinned to the snapshot installed now: what the generated {@code root(...)} wraps.
     *
     * @throws IllegalArgumentException if {@code context} is not of the schema's context type
     */
    protected final FieldReader read(InputValue context) {
        return ApiAccess.bind(client, context);
    }

    /**
     * The reader of the snapshot installed now, for {@code context}: what the generated {@code root(...)} keeps with
     * the context. Every read through it sees that snapshot (and, when the snapshot has time windows, the instant of
     * this call).
     *
     * @throws NullPointerException if {@code context} is null
     * @throws IllegalArgumentException if {@code context} is not of the schema's context type
     */
    protected final SnapshotReader reader(InputValue context) {
        return ApiAccess.reader(client, context);
    }

    /** The class's simple name and the installed revision, such as {@code Tollgate[revision=7]}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[revision=" + client.revision() + "]";
    }
}
