package dev.tollgate.internal.source;

import dev.tollgate.ServerOptions;
import dev.tollgate.SourceError;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches snapshots from a Tollgate server as {@code docs/protocol.md} describes: {@code GET /v1/snapshot} with the
 * token in {@code Authorization}, {@code If-None-Match} and gzip, or, with a snapshot base URL, the latest revision's
 * immutable URL through a cache (the {@link SnapshotFetcher}); and, when streaming, a
 * Server-Sent Events connection to {@code GET /v1/stream} whose {@code revision} events trigger a fetch (the {@link
 * RevisionStream}); when the client takes them ({@link SourceContext#acceptsDeltas}), its {@code delta} events are applied to the
 * installed snapshot without a fetch, falling back to one whenever a delta cannot be applied. This class coordinates
 * the two through one {@link DeliveryMode}: it polls at a jittered interval while not {@link DeliveryMode#STREAMING
 * streaming}, asks again while the client is behind an announced revision, and stops both for good on 401 or 403.
 *
 * <p>Threads: the mode is the only state more than one thread writes. The client's scheduler thread moves it between
 * POLLING, STREAMING and STOPPED; {@link #close()}, on any thread, sets CLOSED. Each write is a compare-and-set from the
 * mode just read, so a transition that races with {@code close()} fails and CLOSED is never overwritten. Everything
 * else (the announced revision here, the fetcher's ETag, backoff and timers, the stream's generation and timers) is
 * confined to the client's thread. OkHttp runs the calls on its dispatcher threads; their callbacks read the whole
 * response there and then hand an immutable result to the client's thread, so no state is shared with them. {@code
 * close()} cancels the call and the stream connection that the fetcher and the stream publish in volatile fields. A
 * call or connection started concurrently with {@code close()} is still cancelled, because the client's thread re-reads
 * the mode after publishing it (the mode and the published fields are volatile, so one of the two threads sees the
 * other's write).
 */
public final class ServerSnapshotSource implements SnapshotSource {
    /** The response header carrying the snapshot's detached Ed25519 signature, in base64. */
    public static final String SIGNATURE_HEADER = "Tollgate-Signature";

    private static final Logger LOG = LoggerFactory.getLogger(ServerSnapshotSource.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    /** Longer delta events are not applied but fetched whole: servers send none over 16 KiB of data. */
    static final int MAX_DELTA_CHARS = 1 << 20;

    private final ServerOptions options;
    private final String name;
    private final OkHttpClient http;
    private final ExecutorService ownedExecutor;
    private final SnapshotFetcher fetcher;
    private final RevisionStream stream;
    private final AtomicReference<DeliveryMode> mode = new AtomicReference<>(DeliveryMode.NEW);

    private SourceContext context;
    private long announcedRevision;
    private final LongConsumer usageNotices;

    /** A source for {@code options}; {@code threadName} names the HTTP threads if it owns its OkHttp client. */
    public ServerSnapshotSource(ServerOptions options, String threadName) {
        this(options, threadName, version -> {});
    }

    /** Likewise, telling {@code usageNotices} of each {@code usage} event of the stream, with its version. */
    public ServerSnapshotSource(ServerOptions options, String threadName, LongConsumer usageNotices) {
        this.options = options;
        this.usageNotices = usageNotices;
        this.name = "server(" + options.baseUrl() + ")";
        OkHttpClient shared = options.okHttpClient();
        if (shared == null) {
            ownedExecutor = ClientThreads.httpExecutor(threadName);
            shared = new OkHttpClient.Builder()
                    .dispatcher(new Dispatcher(ownedExecutor))
                    .build();
        } else {
            ownedExecutor = null;
        }
        this.http = ServerHttp.timed(shared, options);
        EventSource.Factory streams = EventSources.createFactory(shared.newBuilder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.streamReadTimeout())
                .callTimeout(Duration.ZERO)
                .build());
        Coordinator coordinator = new Coordinator();
        HttpUrl snapshotBase = options.snapshotBaseUrl() == null ? null : HttpUrl.get(options.snapshotBaseUrl());
        this.fetcher = new SnapshotFetcher(
                name,
                options,
                http,
                ServerHttp.endpoint(options, snapshotBase == null ? "v1/snapshot" : "v1/snapshot/latest"),
                snapshotBase,
                coordinator);
        this.stream =
                new RevisionStream(name, options, streams, ServerHttp.endpoint(options, "v1/stream"), coordinator);
    }

    /** A request to {@code url} with the token, the user agent and the client's schema hash. */
    static Request.Builder request(HttpUrl url, ServerOptions options, SourceContext context) {
        return ServerHttp.request(url, options, context.schemaHash());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(SourceContext context) {
        this.context = Objects.requireNonNull(context, "context");
        transition(DeliveryMode.Event.START);
        fetcher.start(context);
        if (options.streaming()) {
            stream.start(context);
        }
    }

    /** Applies {@code event} to the mode and returns the mode it was in. */
    private DeliveryMode transition(DeliveryMode.Event event) {
        while (true) {
            DeliveryMode before = mode.get();
            DeliveryMode after = before.on(event);
            if (after == before || mode.compareAndSet(before, after)) {
                return before;
            }
        }
    }

    /** The mode, for tests. */
    DeliveryMode mode() {
        return mode.get();
    }

    @Override
    public void close() {
        transition(DeliveryMode.Event.CLOSE);
        fetcher.cancelCall();
        stream.cancelConnection();
        if (ownedExecutor != null) {
            http.dispatcher().cancelAll();
            ownedExecutor.shutdown();
            try {
                if (!ownedExecutor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("{}: HTTP threads still running {} ms after close", name, CLOSE_WAIT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** What the fetcher and the stream report, on the client's thread, and what the source does about it. */
    private final class Coordinator implements SnapshotFetcher.Owner, RevisionStream.Owner {
        @Override
        public boolean active() {
            return mode.get().active();
        }

        /**
         * If the stream announced a newer revision than the client now has (a lagging replica), the fetcher asks again
         * with backoff that keeps growing until the announced revision is served; otherwise its backoff starts over,
         * and the next poll comes a poll interval later unless the stream is up.
         */
        @Override
        public void fetchSucceeded() {
            if (announcedRevision > context.revision()) {
                fetcher.askAgainFor(announcedRevision);
                return;
            }
            fetcher.caughtUp();
            if (mode.get() == DeliveryMode.POLLING) {
                fetcher.pollIn(Backoff.jittered(options.pollInterval(), options.pollJitter()));
            }
        }

        @Override
        public void streamOpened() {
            transition(DeliveryMode.Event.STREAM_OPENED);
            fetcher.pausePolling();
            LOG.debug("{}: stream connected", name);
        }

        @Override
        public void usageAnnounced(long version) {
            usageNotices.accept(version);
        }

        @Override
        public boolean wantsDeltas() {
            return options.deltas() && context.acceptsDeltas();
        }

        /**
         * A delta to a newer revision is applied when it can be (the client's thread does it, like a fetched
         * snapshot's install); otherwise, when it is not newer, or when this source did not ask for deltas (a delta
         * sent anyway is not trusted), it counts as the announcement of its revision.
         */
        @Override
        public void deltaAnnounced(long revision, String data) {
            if (revision > context.revision()
                    && wantsDeltas()
                    && data.length() <= MAX_DELTA_CHARS
                    && context.deliverDelta(data.getBytes(StandardCharsets.UTF_8))) {
                announcedRevision = Math.max(announcedRevision, revision);
                return;
            }
            revisionAnnounced(revision);
        }

        @Override
        public void revisionAnnounced(long revision) {
            announcedRevision = Math.max(announcedRevision, revision);
            long installed = context.revision();
            if (revision > installed) {
                fetcher.fetch();
            } else if (revision == installed) {
                context.upToDate();
            } else {
                // A lagging replica or a restored backup: it knows nothing of the installed revision, so no
                // confirmation.
                context.warning(
                        SourceError.Kind.OLDER_REVISION,
                        "the stream GET " + stream.url() + " announced revision " + revision
                                + ", older than the installed " + installed + "; not taken as a confirmation");
            }
        }

        /**
         * A stream connection ended. It is reconnected with backoff that starts over only if the stream had been up for
         * at least a poll interval. Until it is back, the source polls: at once if the stream had been up (it may have
         * missed an announcement) and no snapshot was requested for a poll interval, otherwise a poll interval after
         * the last request; so a flapping stream costs at most one snapshot request per poll interval, and still never
         * leaves the client staler than that.
         */
        @Override
        public void streamDropped(RevisionStream.Drop drop, long upNanos) {
            if (drop.refused()) {
                refused("GET " + stream.url(), drop.code(), drop.reason(), null);
                return;
            }
            boolean wasUp = transition(DeliveryMode.Event.STREAM_DROPPED) == DeliveryMode.STREAMING;
            context.warning(
                    drop.code() == 0 ? SourceError.Kind.NETWORK : SourceError.Kind.HTTP_STATUS,
                    "the stream GET " + stream.url() + " " + drop.why() + "; polling every "
                            + options.pollInterval().toMillis() + " ms until it reconnects");
            stream.reconnect(
                    drop.retryAfter(),
                    wasUp && upNanos >= options.pollInterval().toNanos());
            fetcher.pollWhileStreamDown(wasUp);
        }

        @Override
        public void refused(String request, int code, String reason, String serverMessage) {
            if (!transition(DeliveryMode.Event.REFUSED).active()) {
                return; // closed meanwhile
            }
            fetcher.cancelScheduled();
            stream.cancelScheduled();
            fetcher.cancelCall();
            stream.cancelConnection();
            String refused = code == 401
                    ? "the server does not accept the token"
                    : "the token may not read "
                            + (options.environment() == null
                                    ? "this environment"
                                    : "environment " + options.environment());
            context.stopped(
                    SourceError.Kind.UNAUTHORIZED,
                    request + " answered " + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ": "
                            + (serverMessage != null ? serverMessage : refused)
                            + "; no more requests until the client is built again with a valid token");
        }
    }
}
