package dev.tollgate;

import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.eval.SnapshotCompiler;
import dev.tollgate.internal.logs.EvaluationCounters;
import dev.tollgate.internal.logs.LogHooks;
import dev.tollgate.internal.logs.LogPipeline;
import dev.tollgate.internal.logs.MessageLog;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
public final class TollgateClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final int MAX_MESSAGE_CHARS = 2_000;

    private final Schema schema;
    private final SnapshotLimits limits;
    private final LogOptions logOptions;
    private final ScheduledExecutorService scheduler;
    private final EvaluationCounters counters;
    private final MessageLog messages;
    private final LogPipeline logs;
    private final LogHooks hooks;
    private volatile CompiledSnapshot current;
    private long currentDigest;
    private volatile boolean closed;

    private TollgateClient(Builder builder) {
        this.schema = builder.schema;
        this.limits = builder.limits;
        this.logOptions = builder.logs;
        this.scheduler = newScheduler();
        if (logOptions.enabled()) {
            counters = new EvaluationCounters(schema);
            messages = new MessageLog(logOptions.maxMessages());
            logs = new LogPipeline(logOptions, counters, messages, scheduler, schema.hash(), this::revision);
            hooks = new LogHooks(counters, logs.exposures());
            logs.start();
        } else {
            counters = null;
            messages = null;
            logs = null;
            hooks = null;
        }
    }

    /** The client's one background thread: a daemon, so a forgotten client does not keep the JVM alive. */
    private static ScheduledExecutorService newScheduler() {
        String name = "tollgate-" + CLIENTS.incrementAndGet();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
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
        return new Root(schema, current, context, counters, messages);
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
            snapshot = SnapshotCompiler.compile(schema, limits, json, hooks);
        } catch (InvalidSnapshotException e) {
            LOG.warn("Rejected a snapshot; keeping revision {}: {}", revision(), e.getMessage());
            if (messages != null) {
                String text = e.getMessage();
                messages.warn(text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text);
            }
            throw e;
        }
        java.util.zip.CRC32C digest = new java.util.zip.CRC32C();
        digest.update(json);
        return install(snapshot, digest.getValue());
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

    /**
     * Sends everything recorded so far. The future completes when the sink has accepted all that was recorded before
     * this call (by the calling thread), or exceptionally with the sink's failure once retries are exhausted; with
     * logging off it is already complete. Waiting is optional: in short-lived environments, wait at the end of the
     * request.
     */
    public CompletableFuture<Void> flushLogs() {
        return logs == null ? CompletableFuture.completedFuture(null) : logs.flush();
    }

    /**
     * Flushes the logs (waiting up to {@link LogOptions#closeTimeout()}), then stops the background thread and closes
     * the log sink. Idempotent. Roots taken before keep answering from their snapshot.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (logs != null) {
            logs.stop();
            awaitFinalFlush();
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(logOptions.closeTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("Tollgate background thread did not stop in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (logs != null) {
            try {
                logOptions.sink().close();
            } catch (Exception e) {
                LOG.warn("Closing log sink {} failed", logOptions.sink(), e);
            }
        }
    }

    private void awaitFinalFlush() {
        try {
            logs.flush().get(logOptions.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Final log flush did not finish within {}; unsent records are dropped", logOptions.closeTimeout());
        } catch (ExecutionException e) {
            LOG.warn("Final log flush failed: {}", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Installs under the monitor, so that concurrent loads cannot move the revision backwards. */
    private synchronized LoadResult install(CompiledSnapshot snapshot, long digest) {
        CompiledSnapshot previous = current;
        long previousRevision = previous == null ? 0 : previous.revision();
        boolean hashMatches = schema.hash().equals(snapshot.schemaHash());
        LoadResult.Status status;
        if (snapshot.revision() > previousRevision) {
            current = snapshot;
            currentDigest = digest;
            status = LoadResult.Status.INSTALLED;
            LOG.info(
                    "Installed snapshot revision {} (previous {}, {} override rows{})",
                    snapshot.revision(),
                    previousRevision,
                    snapshot.overrideRows(),
                    hashMatches ? "" : ", written against another schema");
        } else if (snapshot.revision() == previousRevision) {
            status = LoadResult.Status.UNCHANGED;
            if (digest != currentDigest) {
                String warning = "snapshot revision " + previousRevision
                        + " was loaded again with different content; keeping the one installed first";
                LOG.warn(warning);
                if (messages != null) {
                    messages.warn(warning);
                }
            }
        } else {
            status = LoadResult.Status.OLDER_IGNORED;
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
        private LogOptions logs = LogOptions.builder().build();

        private Builder(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** The caps enforced on every snapshot; {@link SnapshotLimits#defaults()} unless set. */
        public Builder limits(SnapshotLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** How evaluations are logged; on, to SLF4J every 5 seconds, unless set. */
        public Builder logs(LogOptions logs) {
            this.logs = Objects.requireNonNull(logs, "logs");
            return this;
        }

        public TollgateClient build() {
            return new TollgateClient(this);
        }
    }
}
