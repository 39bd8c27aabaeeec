package dev.tollgate;

import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.eval.SnapshotCompiler;
import dev.tollgate.internal.snapshot.SnapshotJson;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.schema.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current compiled snapshot for one schema and hands out {@link Root}s that evaluate locally against it.
 *
 * <p>Concurrency: the current snapshot lives in one volatile field. Loading parses, validates and compiles outside any
 * lock, then installs under the client's monitor so that the revision only ever goes up; readers never lock: {@link
 * #root(InputValue)} reads the field once and the root keeps that snapshot for all its reads.
 *
 * <pre>{@code
 * TollgateClient client = TollgateClient.builder(SchemaParser.parse(sdl, "schema.graphql")).build();
 * client.loadSnapshot(Path.of("tollgate/snapshot.json"));
 * int maxTeamSize = client.root(context).intValue("entitlements.maxTeamSize", 5);
 * }</pre>
 */
public final class TollgateClient {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateClient.class);

    private final Schema schema;
    private final SnapshotLimits limits;
    private volatile CompiledSnapshot current;

    private TollgateClient(Builder builder) {
        this.schema = builder.schema;
        this.limits = builder.limits;
    }

    public static Builder builder(Schema schema) {
        return new Builder(schema);
    }

    public Schema schema() {
        return schema;
    }

    public SnapshotLimits limits() {
        return limits;
    }

    /**
     * A root for {@code context}, pinned to the snapshot installed now.
     *
     * @throws NullPointerException if {@code context} is null
     * @throws IllegalArgumentException if {@code context} is not of the schema's context type
     */
    public Root root(InputValue context) {
        Objects.requireNonNull(context, "context");
        if (!context.inputTypeName().equals(schema.contextType().name())) {
            throw new IllegalArgumentException(
                    "expected a " + schema.contextType().name() + " context but got " + context.inputTypeName());
        }
        return new Root(schema, current, context);
    }

    /** The installed revision, or 0 before the first snapshot. */
    public long revision() {
        CompiledSnapshot snapshot = current;
        return snapshot == null ? 0 : snapshot.revision();
    }

    /** Whether a snapshot is installed. */
    public boolean isReady() {
        return current != null;
    }

    /**
     * Validates and installs a snapshot unless the client already has the same or a newer revision.
     *
     * @throws InvalidSnapshotException listing every problem; the installed snapshot stays
     */
    public LoadResult loadSnapshot(byte[] json) {
        Objects.requireNonNull(json, "json");
        CompiledSnapshot snapshot;
        try {
            snapshot = SnapshotCompiler.compile(schema, limits, json);
        } catch (InvalidSnapshotException e) {
            LOG.warn("Rejected a snapshot; keeping revision {}: {}", revision(), e.getMessage());
            throw e;
        }
        return install(snapshot);
    }

    /** {@link #loadSnapshot(byte[])} for JSON text. */
    public LoadResult loadSnapshot(String json) {
        return loadSnapshot(Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #loadSnapshot(byte[])} for a stream, read up to {@link SnapshotLimits#maxBytes()}; not closed here. */
    public LoadResult loadSnapshot(InputStream in) {
        try {
            return loadSnapshot(SnapshotJson.readBounded(in, limits));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot stream", e);
        }
    }

    /** {@link #loadSnapshot(byte[])} for a file. */
    public LoadResult loadSnapshot(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return loadSnapshot(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + file, e);
        }
    }

    /**
     * {@link #loadSnapshot(byte[])} for a classpath resource, looked up with the thread's context class loader, then
     * this class's loader.
     *
     * @throws IllegalArgumentException if there is no such resource
     */
    public LoadResult loadSnapshotResource(String name) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = loader == null ? null : loader.getResourceAsStream(name);
        if (in == null) {
            in = TollgateClient.class.getClassLoader().getResourceAsStream(name);
        }
        if (in == null) {
            throw new IllegalArgumentException("no classpath resource " + name);
        }
        try (InputStream resource = in) {
            return loadSnapshot(resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot resource " + name, e);
        }
    }

    private synchronized LoadResult install(CompiledSnapshot snapshot) {
        CompiledSnapshot previous = current;
        long previousRevision = previous == null ? 0 : previous.revision();
        boolean hashMatches = schema.hash().equals(snapshot.schemaHash());
        LoadResult.Status status;
        if (snapshot.revision() > previousRevision) {
            current = snapshot;
            status = LoadResult.Status.INSTALLED;
            LOG.info(
                    "Installed snapshot revision {} (previous {}, {} override rows{})",
                    snapshot.revision(),
                    previousRevision,
                    snapshot.overrideRows(),
                    hashMatches ? "" : ", written against another schema");
        } else {
            status = snapshot.revision() == previousRevision
                    ? LoadResult.Status.UNCHANGED
                    : LoadResult.Status.OLDER_IGNORED;
        }
        return new LoadResult(status, snapshot.revision(), previousRevision, snapshot.schemaHash(), hashMatches);
    }

    @Override
    public String toString() {
        return "TollgateClient[schema=" + schema.hash() + ", revision=" + revision() + "]";
    }

    /** Builds a {@link TollgateClient}. */
    public static final class Builder {
        private final Schema schema;
        private SnapshotLimits limits = SnapshotLimits.defaults();

        private Builder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** The caps enforced on every snapshot; {@link SnapshotLimits#defaults()} unless set. */
        public Builder limits(SnapshotLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public TollgateClient build() {
            return new TollgateClient(this);
        }
    }
}
