package dev.tollgate.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.ServerOptions;
import dev.tollgate.SourceError;
import dev.tollgate.spi.Delivery;
import dev.tollgate.spi.SnapshotSource;
import dev.tollgate.spi.SourceContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches snapshots from a Tollgate server as {@code docs/protocol.md} describes: {@code GET /v1/snapshot} with the
 * token in {@code Authorization}, {@code If-None-Match} and gzip; and, when streaming, a Server-Sent Events connection
 * to {@code GET /v1/stream} whose {@code revision} events trigger a fetch. Polls at a jittered interval when not
 * streaming or while the stream is down; retries failures with exponential backoff, honouring {@code Retry-After};
 * stops for good on 401 or 403.
 *
 * <p>Threads: all of the source's state is confined to the client's scheduler thread. OkHttp runs the calls on its
 * dispatcher threads; their callbacks read the whole response there and then hand an immutable result to the scheduler
 * thread, so no state is shared with them. {@link #close()} may run on any thread: it sets the volatile {@code closed}
 * and cancels the call and stream published in volatile fields. A call made concurrently with {@code close()} is still
 * cancelled, because the scheduler thread re-reads {@code closed} after publishing the call (both fields are volatile,
 * so one of the two threads sees the other's write).
 */
public final class ServerSnapshotSource implements SnapshotSource {
    /** The response header carrying the snapshot's detached Ed25519 signature, in base64. */
    public static final String SIGNATURE_HEADER = "Tollgate-Signature";
    /** The request header telling the server which schema the client was built with. */
    public static final String SCHEMA_HEADER = "Tollgate-Schema-Hash";

    private static final Logger LOG = LoggerFactory.getLogger(ServerSnapshotSource.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_AGENT = "tollgate-java/"
            + Objects.requireNonNullElse(ServerSnapshotSource.class.getPackage().getImplementationVersion(), "dev");

    private final ServerOptions options;
    private final String name;
    private final HttpUrl snapshotUrl;
    private final HttpUrl streamUrl;
    private final OkHttpClient http;
    private final EventSource.Factory streams;
    private final ExecutorService ownedExecutor;
    private final Backoff fetchBackoff;
    private final Backoff streamBackoff;

    private SourceContext context;
    private String etag;
    private boolean fetching;
    private boolean fetchAgain;
    private boolean streamUp;
    private long streamOpenedNanos;
    private boolean requested;
    private long lastRequestNanos;
    private boolean stopped;
    private long announcedRevision;
    private int streamGeneration;
    private Future<?> nextFetch;
    private Future<?> nextConnect;

    private volatile boolean closed;
    private volatile Call call;
    private volatile EventSource stream;

    /** A source for {@code options}; {@code threadName} names the HTTP threads if it owns its OkHttp client. */
    public ServerSnapshotSource(ServerOptions options, String threadName) {
        this.options = options;
        HttpUrl base = HttpUrl.get(options.baseUrl());
        this.name = "server(" + options.baseUrl() + ")";
        this.snapshotUrl = endpoint(base, "v1/snapshot", options.environment());
        this.streamUrl = endpoint(base, "v1/stream", options.environment());
        OkHttpClient shared = options.okHttpClient();
        if (shared == null) {
            ownedExecutor = ClientThreads.httpExecutor(threadName);
            shared = new OkHttpClient.Builder()
                    .dispatcher(new Dispatcher(ownedExecutor))
                    .build();
        } else {
            ownedExecutor = null;
        }
        this.http = shared.newBuilder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .callTimeout(options.callTimeout())
                .build();
        this.streams = EventSources.createFactory(shared.newBuilder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.streamReadTimeout())
                .callTimeout(Duration.ZERO)
                .build());
        this.fetchBackoff = new Backoff(options.initialBackoff(), options.maxBackoff());
        this.streamBackoff = new Backoff(options.initialBackoff(), options.maxBackoff());
    }

    private static HttpUrl endpoint(HttpUrl base, String path, String environment) {
        HttpUrl.Builder url = base.newBuilder().addPathSegments(path);
        if (environment != null) {
            url.addQueryParameter("environment", environment);
        }
        return url.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void start(SourceContext context) {
        this.context = Objects.requireNonNull(context, "context");
        context.schedule(this::fetch, Duration.ZERO);
        if (options.streaming()) {
            context.schedule(this::connect, Duration.ZERO);
        }
    }

    // ---- polling ----

    private void fetch() {
        if (closed || stopped) {
            return;
        }
        if (fetching) {
            fetchAgain = true;
            return;
        }
        cancel(nextFetch);
        nextFetch = null;
        fetchAgain = false;
        boolean enqueued = false;
        try {
            Request.Builder request = request(snapshotUrl).header("Accept", "application/json");
            if (etag != null) {
                request.header("If-None-Match", etag);
            }
            Call newCall = http.newCall(request.build());
            call = newCall;
            if (closed) {
                newCall.cancel();
                return;
            }
            newCall.enqueue(new FetchCallback(context.limits().maxBytes()));
            // Set only now: the callback's result is handled on this thread, after this task.
            fetching = true;
            requested = true;
            lastRequestNanos = System.nanoTime();
            enqueued = true;
        } finally {
            if (!enqueued && !closed && !stopped) {
                retry(null); // whatever went wrong, there is a next attempt
            }
        }
    }

    /**
     * Handles a response. Every way through schedules what comes next (a poll, a retry, or nothing while the stream
     * is up); if anything throws on the way, the finally block still schedules a retry, so that one failure, even an
     * {@link Error}, never ends polling.
     */
    private void fetched(HttpResult result) {
        fetching = false;
        call = null;
        if (closed || stopped) {
            return;
        }
        boolean handled = false;
        try {
            handle(result);
            handled = true;
        } finally {
            if (!handled && !closed && !stopped) {
                retry(null);
            }
        }
    }

    private void handle(HttpResult result) {
        if (result.failure() != null) {
            failed(SourceError.Kind.NETWORK, "GET " + snapshotUrl + " failed: " + result.failure(), null);
            return;
        }
        switch (result.code()) {
            case 200 -> received(result);
            case 304 -> {
                context.upToDate();
                succeeded();
            }
            case 401, 403 -> stop("GET " + snapshotUrl, result.code(), result.reason(), result.serverMessage());
            default -> failed(SourceError.Kind.HTTP_STATUS, describeStatus(result), result.retryAfter());
        }
    }

    private void received(HttpResult result) {
        if (result.oversized()) {
            String how = result.announcedLength() >= 0
                    ? "it announces " + result.announcedLength() + " bytes; not read"
                    : "reading stopped there";
            failed(
                    SourceError.Kind.INVALID_SNAPSHOT,
                    "the snapshot from GET " + snapshotUrl + " is larger than the limit of "
                            + context.limits().maxBytes() + " bytes: " + how,
                    null);
            return;
        }
        Delivery delivery = context.deliver(result.body(), result.signature());
        if (!delivery.accepted() || delivery.outcome() == Delivery.Outcome.OLDER_IGNORED) {
            // Rejected, or older than the installed revision (the client reported it as a failed attempt): ask again
            // with backoff. An older response's ETag is not kept, or a 304 from the same lagging server would later
            // pass for a confirmation of the installed revision.
            retry(null);
            return;
        }
        etag = result.etag();
        succeeded();
    }

    /**
     * The server answered with a snapshot the client accepted, or with 304. If the stream announced a newer revision than
     * that (a lagging replica), asks again with backoff that keeps growing until the announced revision is served; the
     * backoff starts over only once the client has caught up.
     */
    private void succeeded() {
        boolean behind = announcedRevision > context.revision();
        if (!behind) {
            fetchBackoff.reset();
        }
        if (behind && fetchAgain) {
            fetch();
        } else if (behind) {
            Duration delay = fetchBackoff.next();
            LOG.debug(
                    "{} announced revision {} but served an older one; asking again in {} ms",
                    name,
                    announcedRevision,
                    delay.toMillis());
            scheduleFetch(delay);
        } else if (!options.streaming() || !streamUp) {
            scheduleFetch(Backoff.jittered(options.pollInterval(), options.pollJitter()));
        }
    }

    private void failed(SourceError.Kind kind, String message, Duration retryAfter) {
        context.failed(kind, message);
        retry(retryAfter);
    }

    private void retry(Duration retryAfter) {
        Duration delay = fetchBackoff.next();
        if (retryAfter != null) {
            Duration asked = retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
            delay = asked.compareTo(delay) > 0 ? asked : delay;
        }
        LOG.debug("{}: next attempt in {} ms", name, delay.toMillis());
        scheduleFetch(delay);
    }

    private void scheduleFetch(Duration delay) {
        cancel(nextFetch);
        nextFetch = context.schedule(this::fetch, delay);
    }

    private String describeStatus(HttpResult result) {
        StringBuilder text = new StringBuilder("GET ")
                .append(snapshotUrl)
                .append(" answered ")
                .append(result.code());
        if (result.reason() != null && !result.reason().isEmpty()) {
            text.append(' ').append(result.reason());
        }
        if (result.serverMessage() != null) {
            text.append(": ").append(result.serverMessage());
        } else if (result.code() == 404) {
            text.append(": the server has no snapshot for this environment yet, or the base URL is wrong");
        }
        if (result.retryAfter() != null) {
            text.append(" (Retry-After ")
                    .append(result.retryAfter().toSeconds())
                    .append(" s)");
        }
        return text.toString();
    }

    // ---- streaming ----

    private void connect() {
        nextConnect = null;
        if (closed || stopped) {
            return;
        }
        int generation = ++streamGeneration;
        Request request = request(streamUrl).build();
        EventSource source = streams.newEventSource(request, new StreamListener(generation));
        stream = source;
        if (closed) {
            source.cancel();
        }
    }

    private void streamOpened(int generation) {
        if (generation != streamGeneration || closed || stopped) {
            return;
        }
        streamUp = true;
        streamOpenedNanos = System.nanoTime();
        if (!fetching && !fetchBackoff.failing()) {
            cancel(nextFetch);
            nextFetch = null;
        }
        LOG.debug("{}: stream connected", name);
    }

    private void streamEvent(int generation, String type, String data) {
        if (generation != streamGeneration || closed || stopped || !"revision".equals(type)) {
            return;
        }
        long revision = announced(data);
        if (revision <= 0) {
            LOG.debug("{}: ignoring a revision event without a positive revision: {}", name, data);
            return;
        }
        announcedRevision = Math.max(announcedRevision, revision);
        long installed = context.revision();
        if (revision > installed) {
            fetch();
        } else if (revision == installed) {
            context.upToDate();
        } else {
            // A lagging replica or a restored backup: it knows nothing of the installed revision, so no confirmation.
            context.warning(
                    SourceError.Kind.OLDER_REVISION,
                    "the stream GET " + streamUrl + " announced revision " + revision + ", older than the installed "
                            + installed + "; not taken as a confirmation");
        }
    }

    private static long announced(String data) {
        try {
            JsonNode revision = JSON.readTree(data).path("revision");
            return revision.isIntegralNumber() ? revision.longValue() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A stream connection ended. It is reconnected with backoff, which starts over from the initial delay only if the
     * stream had proven itself by staying up for at least a poll interval: one that a proxy or a crashing server closes
     * at once is reconnected ever more slowly instead of at the initial delay forever. Until it is back, the source
     * polls: at once if the stream had been up (it may have missed an announcement) and no snapshot was requested for a
     * poll interval, otherwise a poll interval after the last request; so a flapping stream costs at most one snapshot
     * request per poll interval, and still never leaves the client staler than that.
     */
    private void streamDropped(int generation, StreamDrop drop) {
        if (generation != streamGeneration || closed || stopped) {
            return;
        }
        boolean wasUp = streamUp;
        long upNanos = System.nanoTime() - streamOpenedNanos;
        boolean proven = wasUp && upNanos >= options.pollInterval().toNanos();
        streamUp = false;
        stream = null;
        if (drop.code() == 401 || drop.code() == 403) {
            stop("GET " + streamUrl, drop.code(), drop.reason(), null);
            return;
        }
        context.warning(
                drop.code() == 0 ? SourceError.Kind.NETWORK : SourceError.Kind.HTTP_STATUS,
                "the stream GET " + streamUrl + " " + drop.why() + "; polling every "
                        + options.pollInterval().toMillis() + " ms until it reconnects");
        if (proven) {
            streamBackoff.reset();
        }
        Duration delay = streamBackoff.next();
        if (drop.retryAfter() != null && drop.retryAfter().compareTo(delay) > 0) {
            delay = drop.retryAfter().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : drop.retryAfter();
        }
        cancel(nextConnect);
        nextConnect = context.schedule(this::connect, delay);
        pollWhileDown(wasUp);
    }

    /** Makes sure a poll comes while the stream is down; a fetch in flight or a pending retry schedules its own. */
    private void pollWhileDown(boolean wasUp) {
        if (fetching || (nextFetch != null && !nextFetch.isDone())) {
            return;
        }
        long sinceRequest = requested ? System.nanoTime() - lastRequestNanos : Long.MAX_VALUE;
        if (wasUp && sinceRequest >= options.pollInterval().toNanos()) {
            fetch();
        } else {
            Duration due = Backoff.jittered(options.pollInterval(), options.pollJitter());
            scheduleFetch(Duration.ofNanos(Math.max(0, due.toNanos() - sinceRequest)));
        }
    }

    /** Why a stream connection ended: {@code code} is 0 without an HTTP response. */
    private record StreamDrop(String why, int code, String reason, Duration retryAfter) {
        static StreamDrop closedByServer() {
            return new StreamDrop("was closed by the server", 0, null, null);
        }

        static StreamDrop of(Throwable error, Response response) {
            if (response == null) {
                return new StreamDrop(
                        "failed: " + (error == null ? "no response" : HttpResult.describe(error)), 0, null, null);
            }
            String why = !response.isSuccessful()
                    ? "answered " + response.code() + " " + response.message()
                    : "failed: " + (error == null ? "unexpected response" : HttpResult.describe(error));
            Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), Instant.now());
            return new StreamDrop(why, response.code(), response.message(), retryAfter);
        }
    }

    // ---- stopping ----

    private void stop(String request, int code, String reason, String serverMessage) {
        stopped = true;
        cancel(nextFetch);
        cancel(nextConnect);
        cancelNetwork();
        String refused = code == 401
                ? "the server does not accept the token"
                : "the token may not read "
                        + (options.environment() == null ? "this environment" : "environment " + options.environment());
        context.stopped(
                SourceError.Kind.UNAUTHORIZED,
                request + " answered " + code + (reason == null || reason.isEmpty() ? "" : " " + reason) + ": "
                        + (serverMessage != null ? serverMessage : refused)
                        + "; no more requests until the client is built again with a valid token");
    }

    @Override
    public void close() {
        closed = true;
        cancelNetwork();
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

    private void cancelNetwork() {
        Call inFlight = call;
        if (inFlight != null) {
            inFlight.cancel();
        }
        EventSource open = stream;
        if (open != null) {
            open.cancel();
        }
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + options.token())
                .header("User-Agent", USER_AGENT)
                .header(SCHEMA_HEADER, context.schemaHash());
    }

    private static void cancel(Future<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    /** Hands a task to the client's thread; after close the context drops it. */
    private void post(Runnable task) {
        context.schedule(task, Duration.ZERO);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Reads the response on the OkHttp thread, then hands the result to the client's thread. */
    private final class FetchCallback implements Callback {
        private final int maxBytes;

        FetchCallback(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void onFailure(Call failed, IOException e) {
            HttpResult result = HttpResult.failure(e);
            post(() -> fetched(result));
        }

        @Override
        public void onResponse(Call answered, Response response) {
            HttpResult result;
            try (response) {
                result = HttpResult.read(answered, response, maxBytes);
            } catch (IOException e) {
                answered.cancel(); // or closing the response would go on reading the rest of the body
                result = HttpResult.failure(e);
            }
            HttpResult done = result;
            post(() -> fetched(done));
        }
    }

    /** Forwards stream callbacks, tagged with the connection they belong to, to the client's thread. */
    private final class StreamListener extends EventSourceListener {
        private final int generation;

        StreamListener(int generation) {
            this.generation = generation;
        }

        @Override
        public void onOpen(EventSource source, Response response) {
            post(() -> streamOpened(generation));
        }

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            post(() -> streamEvent(generation, type, data));
        }

        @Override
        public void onClosed(EventSource source) {
            post(() -> streamDropped(generation, StreamDrop.closedByServer()));
        }

        /**
         * Cancels the connection first: OkHttp closes {@code response} after this returns, which would otherwise read
         * and discard the rest of its body (an error page of any size, or the rest of a broken stream).
         */
        @Override
        public void onFailure(EventSource source, Throwable error, Response response) {
            source.cancel();
            StreamDrop drop = StreamDrop.of(error, response);
            post(() -> streamDropped(generation, drop));
        }
    }
}
