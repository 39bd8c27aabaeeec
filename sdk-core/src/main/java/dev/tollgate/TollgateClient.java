package dev.tollgate;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.BoundRoot;
import dev.tollgate.internal.SnapshotEvaluator;
import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.logs.EvaluationCounters;
import dev.tollgate.internal.logs.HttpLogSink;
import dev.tollgate.internal.logs.LogHooks;
import dev.tollgate.internal.logs.LogPipeline;
import dev.tollgate.internal.logs.MessageLog;
import dev.tollgate.internal.logs.Slf4jLogSink;
import dev.tollgate.internal.meter.FleetSync;
import dev.tollgate.internal.meter.MeterLedger;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.snapshot.LastKnownGoodStore;
import dev.tollgate.internal.snapshot.SignatureVerifier;
import dev.tollgate.internal.snapshot.SnapshotJson;
import dev.tollgate.internal.source.ClientThreads;
import dev.tollgate.internal.source.FileSnapshotSource;
import dev.tollgate.internal.source.ServerSnapshotSource;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.SnapshotSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current compiled snapshot for one schema, keeps it up to date from its sources, and hands out {@link
 * UntypedRoot}s that evaluate locally against it.
 *
 * <pre>{@code
 * TollgateClient client = TollgateClient.builder(schema)
 *         .embeddedSnapshot("tollgate/snapshot.json")
 *         .lastKnownGood(Path.of("/var/cache/tollgate"))
 *         .server(ServerOptions.builder("https://flags.example.com", token).build())
 *         .build();
 * ReadyResult ready = client.awaitReady(Duration.ofSeconds(5));
 * int maxTeamSize = client.root(context).intValue("entitlements.maxTeamSize", 5);
 * }</pre>
 *
 * <p><b>Start-up order.</b> {@link Builder#build()} installs the embedded snapshot, then the persisted last-known-good
 * copy if it is newer, then starts the live sources (a snapshot file, the server, custom sources). A revision older than
 * the installed one is never installed, whichever source offers it.
 *
 * <p><b>Threads.</b> A client has one daemon scheduler thread, {@code tollgate-<n>}, started on first use (at once when
 * logging is on): it runs the sources' timers, the log flushes and the listeners. The server source owns OkHttp
 * dispatcher threads {@code tollgate-<n>-http-<k>} unless it is given the application's {@code OkHttpClient}. No thread of the client ever runs on the evaluation path, and {@link #close()} stops them all.
 *
 * <p><b>Concurrency.</b> The current snapshot lives in one volatile field, written only under the install monitor of the
 * client's pipeline so that the revision only ever goes up; verification, parsing and compilation happen before, on the
 * delivering thread. Readers never lock: {@link #root(InputValue)} reads the field once and the root keeps that
 * snapshot for all its reads, so a request sees one revision however many are installed meanwhile.
 */
public final class TollgateClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TollgateClient.class);
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    static {
        ApiAccess.registerReaders(TollgateClient::reader);
    }

    private final SchemaModel schema;
    private final SnapshotLimits limits;
    private final Clock clock;
    private final LogOptions logOptions;
    private final String name;
    private final ClientThreads.Scheduler scheduler;
    private final EvaluationCounters counters;
    private final MessageLog messages;
    /** Usage of the schema's metered fields; null when it has none. */
    private final MeterLedger meters;
    /** Polls the fleet's usage from the server; null without metered fields or a server. */
    private final FleetSync fleet;
    /**
     * The name of the schema's context type, interned: a generated context's name is the same literal, so {@code
     * equals} answers at its identity check.
     */
    private final String contextTypeName;
    /**
     * The evaluator of the installed snapshot when it has no time windows, made on the first read after an install.
     * Plain, not volatile: an evaluator's fields are final, so any thread sees one whole, or sees an older one and
     * makes its own.
     */
    private SnapshotEvaluator evaluator;

    private final LogPipeline logs;
    private final EventDispatch events;
    private final StatusTracker tracker;
    private final SnapshotPipeline pipeline;
    private final ClientMetrics metrics;
    private final LastKnownGoodStore store;
    private final List<SnapshotSource> sources;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The HTTP client shared by the server source and the log sink when the application gave none; else null. */
    private final OkHttpClient ownedHttp;

    private TollgateClient(Builder builder) {
        this.schema = builder.schema;
        this.contextTypeName = schema.contextType().name().intern();
        this.limits = builder.limits;
        this.clock = builder.clock;
        this.name = "tollgate-" + CLIENTS.incrementAndGet();
        this.scheduler = ClientThreads.scheduler(name);
        ServerOptions server = builder.server;
        ServerOptions logServer = logServer(builder.logs, server);
        // Without logs nothing reports usage: past periods' tables would wait for a report forever.
        this.meters = MeterLedger.create(schema, clock, builder.maxMeteredKeys, builder.logs.enabled());
        // Snapshots, logs and usage from one server share one HTTP client; the application's, or one this client owns.
        this.ownedHttp = logServer == server && server != null && server.okHttpClient() == null
                ? new OkHttpClient.Builder()
                        .dispatcher(new Dispatcher(ClientThreads.httpExecutor(name)))
                        .build()
                : null;
        if (ownedHttp != null) {
            server = server.toBuilder().okHttpClient(ownedHttp).build();
            logServer = server;
        }
        // The fleet's usage replaces what this client counted itself, so it is only polled from the server this
        // client's usage is reported to.
        this.fleet = meters != null && server != null && logServer == server
                ? new FleetSync(meters, server, server.okHttpClient(), scheduler, schema.hash())
                : null;
        this.logOptions = builder.logs.enabled()
                ? builder.logs.toBuilder()
                        .sink(logSink(builder.logs, logServer, meters))
                        .build()
                : builder.logs;
        LogHooks hooks = null;
        if (logOptions.enabled()) {
            counters = new EvaluationCounters(schema);
            messages = new MessageLog(logOptions.maxMessages());
            logs = new LogPipeline(logOptions, counters, messages, scheduler, schema.hash(), this::revision, meters);
            hooks = new LogHooks(counters, logs.exposures());
            logs.start();
        } else {
            counters = null;
            messages = null;
            logs = null;
        }
        this.sources = builder.liveSources(server, name, fleet);
        this.events = new EventDispatch(scheduler, builder.statusListeners, builder.snapshotListeners);
        this.tracker = new StatusTracker(sources.size(), events, messages);
        this.store = builder.lastKnownGoodDirectory == null
                ? null
                : new LastKnownGoodStore(
                        builder.lastKnownGoodDirectory,
                        builder.lastKnownGoodKey(),
                        builder.lastKnownGoodMaxAge,
                        limits.maxBytes());
        SignatureVerifier verifier = builder.publicKeys.isEmpty() ? null : SignatureVerifier.of(builder.publicKeys);
        this.pipeline = new SnapshotPipeline(schema, limits, verifier, store, tracker, events, hooks);
        this.metrics = new ClientMetrics(pipeline, counters, logs, meters);
    }

    public static Builder builder(Schema schema) {
        return new Builder(ApiAccess.model(schema));
    }

    /** The server evaluation logs go to: the one the log options name, else the client's unless a sink is set. */
    private static ServerOptions logServer(LogOptions logs, ServerOptions server) {
        if (!logs.enabled() || logs.sink() != null) {
            return null;
        }
        return logs.server() != null ? logs.server() : server;
    }

    private static LogSink logSink(LogOptions logs, ServerOptions logServer, MeterLedger meters) {
        if (logs.sink() != null) {
            return logs.sink();
        }
        if (logServer == null) {
            return new Slf4jLogSink();
        }
        if (logServer.okHttpClient() != null) {
            return HttpLogSink.forServer(logServer, logServer.okHttpClient(), false, meters);
        }
        return HttpLogSink.forServer(logServer, new OkHttpClient(), true, meters);
    }

    private void start(SignedSnapshot embedded) {
        if (embedded != null) {
            pipeline.deliver(embedded.bytes(), embedded.signature(), SnapshotPipeline.Origin.embedded(embedded.name()));
        }
        if (store != null) {
            loadLastKnownGood();
        }
        tracker.bootstrapped();
        if (fleet != null) {
            fleet.start();
        }
        for (int i = 0; i < sources.size(); i++) {
            SnapshotSource source = sources.get(i);
            SnapshotPipeline.Origin origin = SnapshotPipeline.Origin.live(source.name(), i);
            try {
                source.start(new ClientSourceContext(pipeline, tracker, scheduler, origin, limits, schema.hash()));
            } catch (Throwable e) { // a custom source missing a class (NoClassDefFoundError) must not fail build()
                LOG.error("Snapshot source {} failed to start", source.name(), e);
                tracker.stopped(
                        i,
                        SourceError.of(
                                Instant.now(),
                                source.name(),
                                SourceError.Kind.UNEXPECTED,
                                "the source failed to start: " + e));
            }
        }
    }

    private void loadLastKnownGood() {
        LastKnownGoodStore.Loaded loaded = store.load(Instant.now());
        switch (loaded.status()) {
            case FOUND -> {
                LastKnownGoodStore.Stored stored = loaded.stored();
                LoadResult delivery = pipeline.deliver(
                        stored.snapshot(),
                        stored.signature(),
                        SnapshotPipeline.Origin.lastKnownGood(store.file().toString()));
                if (delivery.accepted()) {
                    store.accepted(delivery.revision());
                }
            }
            case MISSING -> LOG.debug("No last-known-good snapshot yet: {}", loaded.problem());
            case TOO_OLD -> LOG.info("Ignoring the last-known-good snapshot: {}", loaded.problem());
            case DAMAGED -> tracker.warning(SourceError.of(
                    Instant.now(),
                    "last-known-good(" + store.file() + ")",
                    SourceError.Kind.STORAGE,
                    "ignoring the last-known-good snapshot: " + loaded.problem()));
        }
    }

    public Schema schema() {
        return ApiAccess.schema(schema);
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
    public UntypedRoot root(InputValue context) {
        return ApiAccess.untyped(bind(context));
    }

    private BoundRoot bind(InputValue context) {
        return reader(context).bind(context);
    }

    /**
     * The evaluator of the snapshot installed now, checked for {@code context}: the one kept for the snapshot, or, when
     * the snapshot has time windows, a new one at the clock's instant, so that every read of a root sees one instant.
     */
    private SnapshotEvaluator reader(InputValue context) {
        Objects.requireNonNull(context, "context");
        if (!context.inputTypeName().equals(contextTypeName)) {
            throw new IllegalArgumentException(
                    "expected a " + contextTypeName + " context but got " + context.inputTypeName());
        }
        CompiledSnapshot snapshot = pipeline.snapshot();
        if (snapshot != null && snapshot.readsTime()) {
            if (evaluator != null) {
                evaluator = null; // keeps no older snapshot alive
            }
            // Reading the clock costs about as much as an evaluation; only logic with time windows needs the instant.
            return new SnapshotEvaluator(schema, snapshot, clock.millis(), counters, messages, meters);
        }
        SnapshotEvaluator current = evaluator;
        if (current == null || current.snapshot() != snapshot) {
            current = new SnapshotEvaluator(schema, snapshot, 0L, counters, messages, meters);
            evaluator = current; // a race makes two equal evaluators, one of them kept: harmless
        }
        return current;
    }

    /**
     * The installed revision, or 0 before the first snapshot. It moves in one step with {@link #status()}: a status
     * read after this returned a revision reports that revision or a later one, with its source.
     */
    public long revision() {
        return pipeline.revision();
    }

    /**
     * Whether a snapshot is installed, so that evaluation answers from logic rather than fallbacks. It may be the
     * embedded or last-known-good one; {@link #status()} and {@link #readiness()} say whether a live source confirmed
     * it.
     */
    public boolean isReady() {
        return pipeline.revision() > 0;
    }

    // ---- lifecycle ----

    /**
     * Cumulative counts of what this client has done (evaluations by field and outcome, loads by result, lost log
     * records) for a metrics library to read on each scrape. A live view that costs nothing until read.
     */
    public ClientMetrics metrics() {
        return metrics;
    }

    /**
     * The client's status now. Its revision is the one roots read: a root taken after this returned reads that revision
     * or a later one.
     */
    public ClientStatus status() {
        return tracker.status();
    }

    /**
     * Completes when the client becomes ready (a live source delivered or confirmed a snapshot; without live sources,
     * once a snapshot is installed) or can no longer become ready (every live source stopped, or the client closed).
     * Never completes exceptionally. Each call returns a new future, so completing or cancelling it changes nothing.
     */
    public CompletableFuture<ReadyResult> readiness() {
        return tracker.readiness().copy();
    }

    /**
     * Waits up to {@code timeout} for {@link #readiness()}. Evaluation does not need this: it answers from whatever is
     * installed, or with fallbacks. If the calling thread is interrupted, returns a result that {@link ReadyResult#isTimedOut() timed out}
     * with the interrupt flag set again.
     */
    public ReadyResult awaitReady(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return tracker.readiness().get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return timedOut("no source delivered a snapshot within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return timedOut("interrupted while waiting");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the readiness future never fails", e);
        }
    }

    private ReadyResult timedOut(String what) {
        ClientStatus status = status();
        String lastError = status.lastError()
                .map(error -> "; last error: " + error.source() + ": " + error.message())
                .orElse("");
        return ReadyResult.timedOut(what + lastError, status);
    }

    /**
     * Hears about changes of the {@link ClientStatus}: its state, its revision or source, a new error or rejection.
     * Called on the client's own thread, one call at a time and in order; keep it quick, since snapshot delivery waits
     * for it. An exception it throws is logged and otherwise ignored.
     */
    public void addStatusListener(Consumer<ClientStatus> listener) {
        events.addStatusListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeStatusListener(Consumer<ClientStatus> listener) {
        events.removeStatusListener(listener);
    }

    /**
     * Hears about every snapshot revision installed, with the field paths whose logic changed. Called on the client's
     * own thread, one call at a time and in install order; keep it quick. An exception it throws is logged and
     * otherwise ignored.
     */
    public void addSnapshotListener(Consumer<SnapshotChange> listener) {
        events.addSnapshotListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeSnapshotListener(Consumer<SnapshotChange> listener) {
        events.removeSnapshotListener(listener);
    }

    /**
     * Sends everything recorded so far. The future completes when the sink has accepted all that was recorded before
     * this call (by the calling thread), or exceptionally: with the sink's failure once retries are exhausted, or with
     * an {@link IllegalStateException} (its cause the sink's last failure, if any) when the client is closed before the
     * sink accepted those records, or was closed already. With logging off it is already complete. Waiting is
     * optional: in short-lived environments, wait at the end of the request. Calls coalesce: while a batch is in flight,
     * or after a burst of five, a call waits for the next batch, which is sent at most once per flush interval or five
     * seconds, so calling this after every request sends a few batches a minute, not one per request.
     */
    public CompletableFuture<Void> flushLogs() {
        return logs == null ? CompletableFuture.completedFuture(null) : logs.flush();
    }

    /**
     * Stops delivery and logging: reports {@link ClientStatus.State#OFF}, closes every source (cancelling its calls and
     * streams), flushes the logs (waiting up to {@link LogOptions#closeTimeout()}), stops the client's threads and
     * closes the log sink. What the sink has not accepted by then (a batch waiting for a retry, records made after the
     * final flush) is dropped with one warning counting it, and pending {@link #flushLogs()} futures fail. Waits up to
     * five seconds more for work in flight, such as a compile. Idempotent; may be
     * called from a listener. The client still evaluates against the last snapshot afterwards, and {@code
     * loadSnapshot} still works.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        tracker.close();
        if (fleet != null) {
            fleet.close();
        }
        for (SnapshotSource source : sources) {
            try {
                source.close();
            } catch (Throwable e) { // close() goes on, whatever one source does
                LOG.warn("Closing snapshot source {} failed", source.name(), e);
            }
        }
        boolean onOwnThread = scheduler.isCurrentThread();
        if (logs != null) {
            logs.stop();
            CompletableFuture<Void> flushed = logs.flush();
            if (!onOwnThread) {
                awaitFinalFlush(flushed);
            } else {
                // After the final flush and whatever else is queued; a pending retry is dropped with the scheduler.
                try {
                    scheduler.execute(logs::abandonUnsent);
                } catch (RejectedExecutionException e) {
                    logs.abandonUnsent();
                }
            }
        }
        scheduler.shutdown();
        if (!onOwnThread) {
            awaitScheduler();
            if (logs != null) {
                // The scheduler dropped any pending retry: fail the flushes it would have completed, count the loss.
                logs.abandonUnsent();
            }
        }
        if (logs != null) {
            try {
                logOptions.sink().close();
            } catch (Exception e) {
                LOG.warn("Closing log sink {} failed", logOptions.sink(), e);
            }
        }
        if (ownedHttp != null) {
            // What is still in flight (a log post the final flush gave up waiting for) is cancelled, and the HTTP
            // threads are awaited like the scheduler's.
            ownedHttp.dispatcher().cancelAll();
            ownedHttp.dispatcher().executorService().shutdown();
            awaitHttpThreads();
            ownedHttp.connectionPool().evictAll();
        }
        events.drainNow();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    private void awaitFinalFlush(CompletableFuture<Void> flushed) {
        try {
            flushed.get(logOptions.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // LogPipeline.abandonUnsent warns with what was dropped
            LOG.debug("Final log flush did not finish within {}", logOptions.closeTimeout());
        } catch (ExecutionException e) {
            // the batch was given up and counted; LogPipeline.abandonUnsent warns with what was dropped
            LOG.debug("Final log flush failed: {}", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitScheduler() {
        try {
            if (!scheduler.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    || !scheduler.awaitThreadExit(CLOSE_WAIT.toMillis())) {
                LOG.warn("{} is still running a task {} ms after close", name, CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitHttpThreads() {
        try {
            if (!ownedHttp
                    .dispatcher()
                    .executorService()
                    .awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: HTTP threads still running {} ms after close", name, CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- loading by hand ----

    /**
     * Validates and installs a snapshot unless the client already has the same or a newer revision. When the client
     * has a public key, use {@link #loadSnapshot(byte[], String)}: an unsigned snapshot is rejected.
     *
     * @throws InvalidSnapshotException listing every problem; the installed snapshot stays
     */
    public LoadResult loadSnapshot(byte[] json) {
        return loadSnapshot(json, null);
    }

    /**
     * {@link #loadSnapshot(byte[])} with the snapshot's detached Ed25519 signature in base64, or {@code null}.
     *
     * @throws InvalidSnapshotException if the client has a public key and the signature is missing or does not verify,
     *     or the snapshot is invalid
     */
    public LoadResult loadSnapshot(byte[] json, String signature) {
        Objects.requireNonNull(json, "json");
        return pipeline.load(json, signature, SnapshotPipeline.Origin.manual());
    }

    /** {@link #loadSnapshot(byte[])} for JSON text. */
    public LoadResult loadSnapshot(String json) {
        return loadSnapshot(Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #loadSnapshot(byte[])} for a stream, read up to {@link SnapshotLimits#maxBytes()}; not closed here. */
    public LoadResult loadSnapshot(InputStream in) {
        byte[] json;
        try {
            json = SnapshotJson.readBounded(in, limits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot stream", e);
        } catch (InvalidSnapshotException e) {
            pipeline.rejectedBeforeLoad();
            throw e;
        }
        return loadSnapshot(json);
    }

    /**
     * {@link #loadSnapshot(byte[])} for a file. When the client has a public key, the signature is read from the file
     * next to it named like it plus {@code .sig}.
     */
    public LoadResult loadSnapshot(Path file) {
        SignedSnapshot snapshot;
        try {
            snapshot = SignedSnapshot.fromFile(file, limits, pipeline.verifiesSignatures());
        } catch (InvalidSnapshotException e) {
            pipeline.rejectedBeforeLoad();
            throw e;
        }
        return loadSnapshot(snapshot.bytes(), snapshot.signature());
    }

    /**
     * {@link #loadSnapshot(byte[])} for a classpath resource, looked up with the thread's context class loader, then
     * this class's loader. When the client has a public key, the signature is read from the resource named like it
     * plus {@code .sig}.
     *
     * @throws IllegalArgumentException if there is no such resource
     */
    public LoadResult loadSnapshotResource(String name) {
        SignedSnapshot snapshot;
        try {
            snapshot = SignedSnapshot.fromResource(name, null, limits);
        } catch (InvalidSnapshotException e) {
            pipeline.rejectedBeforeLoad();
            throw e;
        }
        return loadSnapshot(snapshot.bytes(), pipeline.verifiesSignatures() ? snapshot.signature() : null);
    }

    @Override
    public String toString() {
        return "TollgateClient[" + name + ", schema=" + schema.hash() + ", revision=" + revision() + "]";
    }

    /** Builds a {@link TollgateClient}. Every option is optional; without sources, load snapshots by hand. */
    public static final class Builder {
        /** How long a last-known-good copy stays usable unless set: seven days. */
        public static final Duration DEFAULT_LAST_KNOWN_GOOD_MAX_AGE = Duration.ofDays(7);
        /** How often a snapshot file is checked for changes unless said otherwise. */
        public static final Duration DEFAULT_FILE_POLL_INTERVAL = Duration.ofMillis(100);

        private final SchemaModel schema;
        private SnapshotLimits limits = SnapshotLimits.defaults();
        private String embeddedResource;
        private ClassLoader embeddedLoader;
        private Path file;
        private Duration filePollInterval;
        private ServerOptions server;
        private final List<SnapshotSource> customSources = new ArrayList<>();
        private Path lastKnownGoodDirectory;
        private Duration lastKnownGoodMaxAge = DEFAULT_LAST_KNOWN_GOOD_MAX_AGE;
        private final List<PublicKey> publicKeys = new ArrayList<>();
        private final List<Consumer<ClientStatus>> statusListeners = new ArrayList<>();
        private final List<Consumer<SnapshotChange>> snapshotListeners = new ArrayList<>();
        private LogOptions logs = LogOptions.builder().build();
        private Clock clock = Clock.systemUTC();
        private int maxMeteredKeys = 100_000;

        private Builder(SchemaModel schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /** The caps enforced on every snapshot; {@link SnapshotLimits#defaults()} unless set. */
        public Builder limits(SnapshotLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The most keys (values of the counting attribute, such as organization ids) each metered field counts usage
         * for in one period; 100,000 unless set. Usage of a key first seen when the meter is full is allowed and not
         * counted, with a warning once per field and period (see {@code docs/metering.md}).
         *
         * @throws IllegalArgumentException if {@code max} is not positive
         */
        public Builder maxMeteredKeys(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxMeteredKeys must be positive, was " + max);
            }
            this.maxMeteredKeys = max;
            return this;
        }

        /**
         * The clock that decides the time windows of override rows and rules, and the periods of metered limits; {@link Clock#systemUTC()} unless set.
         * The client reads it once per root, when the root is bound to its context, so every read through one root
         * sees one instant as well as one snapshot. Tests pass a clock they control.
         *
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How evaluations are logged; unless set, on, every 5 seconds, to the client's server or, without one, SLF4J. */
        public Builder logs(LogOptions logs) {
            this.logs = Objects.requireNonNull(logs, "logs");
            return this;
        }

        /**
         * The snapshot built into the application, a classpath resource such as {@code tollgate/snapshot.json},
         * installed first so that the very first evaluation is right even with no network. With a public key, its
         * signature is the resource named like it plus {@code .sig}.
         */
        public Builder embeddedSnapshot(String resourceName) {
            this.embeddedResource = Objects.requireNonNull(resourceName, "resourceName");
            this.embeddedLoader = null;
            return this;
        }

        /**
         * As {@link #embeddedSnapshot(String)}, looking the resource up with {@code loader}; generated code passes its
         * own class loader, which sees the build-time snapshot wherever the application's classes come from.
         */
        public Builder embeddedSnapshot(String resourceName, ClassLoader loader) {
            this.embeddedResource = Objects.requireNonNull(resourceName, "resourceName");
            this.embeddedLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Watches a snapshot file, checked every {@link #DEFAULT_FILE_POLL_INTERVAL}. */
        public Builder snapshotFile(Path file) {
            return snapshotFile(file, DEFAULT_FILE_POLL_INTERVAL);
        }

        /**
         * Watches a snapshot file, for GitOps and local development: read in {@code build()}, then every change is
         * picked up within {@code pollInterval} (two {@code stat} calls each time), whether the file is rewritten in
         * place or replaced by a rename, as editors and {@code kubectl} config maps do. Writing a temporary file and
         * renaming it over the snapshot is the safe way to update it; a half-written file is rejected and the next
         * complete version is picked up. When the client has a public key, the detached signature (base64 text) is read
         * from the file's name plus {@code .sig}.
         *
         * @throws IllegalArgumentException if {@code file} has no file name or {@code pollInterval} is not positive
         */
        public Builder snapshotFile(Path file, Duration pollInterval) {
            FileSnapshotSource.checkArguments(file, pollInterval);
            this.file = file;
            this.filePollInterval = pollInterval;
            return this;
        }

        /** Fetches snapshots from a Tollgate server; see {@link ServerOptions}. */
        public Builder server(ServerOptions options) {
            this.server = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Adds a custom source; it is started after the built-in ones, and closed with the client. */
        public Builder source(SnapshotSource source) {
            customSources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /**
         * Persists every installed snapshot in {@code directory} and loads it at start-up, so that a restart while the
         * server is down serves the last good logic; copies older than {@link #DEFAULT_LAST_KNOWN_GOOD_MAX_AGE} are
         * ignored.
         */
        public Builder lastKnownGood(Path directory) {
            return lastKnownGood(directory, DEFAULT_LAST_KNOWN_GOOD_MAX_AGE);
        }

        /**
         * {@link #lastKnownGood(Path)}, ignoring a copy that no source has confirmed as current for longer than {@code
         * maxAge}.
         */
        public Builder lastKnownGood(Path directory, Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive, was " + maxAge);
            }
            this.lastKnownGoodDirectory = Objects.requireNonNull(directory, "directory");
            this.lastKnownGoodMaxAge = maxAge;
            return this;
        }

        /**
         * Accepts only snapshots with a valid Ed25519 signature by this key over their exact bytes, from every source.
         * Call it again to trust several keys at once, to rotate keys without downtime: a signature by any of them is
         * accepted.
         *
         * @throws IllegalArgumentException if it is not an Ed25519 key
         */
        public Builder publicKey(PublicKey key) {
            SignatureVerifier.checkEd25519(key);
            publicKeys.add(key);
            return this;
        }

        /**
         * {@link #publicKey(PublicKey)} from text: a PEM {@code PUBLIC KEY} block, the base64 of its DER, or the base64
         * of the raw 32-byte key.
         *
         * @throws IllegalArgumentException if the text is not an Ed25519 public key
         */
        public Builder publicKey(String key) {
            return publicKey(SignatureVerifier.parsePublicKey(key));
        }

        /** As {@link TollgateClient#addStatusListener}, from the start. */
        public Builder statusListener(Consumer<ClientStatus> listener) {
            statusListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** As {@link TollgateClient#addSnapshotListener}, from the start, so it hears about the first install too. */
        public Builder snapshotListener(Consumer<SnapshotChange> listener) {
            snapshotListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the client and starts delivery: installs the embedded snapshot, then the last-known-good copy if it is
         * newer, then starts the live sources. Reads a snapshot file once before returning; the server is asked in the
         * background.
         *
         * @throws IllegalArgumentException if the embedded resource does not exist
         */
        public TollgateClient build() {
            SignedSnapshot embedded = embeddedResource == null
                    ? null
                    : SignedSnapshot.fromResource(embeddedResource, embeddedLoader, limits);
            TollgateClient client = new TollgateClient(this);
            client.start(embedded);
            return client;
        }

        private List<SnapshotSource> liveSources(ServerOptions server, String threadName, FleetSync fleet) {
            List<SnapshotSource> live = new ArrayList<>();
            if (file != null) {
                live.add(new FileSnapshotSource(file, filePollInterval));
            }
            if (server != null) {
                live.add(
                        fleet == null
                                ? new ServerSnapshotSource(server, threadName)
                                : new ServerSnapshotSource(server, threadName, fleet::announced));
            }
            live.addAll(customSources);
            return List.copyOf(live);
        }

        /** One last-known-good file per server and environment; "local" for clients fed by files or by hand. */
        private String lastKnownGoodKey() {
            if (server == null) {
                return "local";
            }
            return server.baseUrl() + "\n" + Objects.requireNonNullElse(server.environment(), "");
        }
    }
}
