package dev.tollgate.internal.source;

import dev.tollgate.LoadResult;
import dev.tollgate.ServerOptions;
import dev.tollgate.SourceError;
import dev.tollgate.spi.SourceContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Future;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code GET /v1/snapshot} half of a {@link ServerSnapshotSource}: one request at a time with {@code
 * If-None-Match}, each response handed to the client, and failures retried with exponential backoff that honours
 * {@code Retry-After}. What follows a success (a poll, or nothing while the stream is up) is the owner's decision.
 *
 * <p>With a {@link ServerOptions#snapshotBaseUrl() snapshot base URL} one fetch is two requests instead: {@code GET
 * /v1/snapshot/latest} at the server, and, when that names a revision newer than the installed one, {@code GET
 * /v1/environments/<env>/snapshots/<revision>} under the snapshot base URL (a CDN or a caching proxy), whose snapshot
 * must carry a valid signature when the server says the environment requires one ({@link LatestRevision}). The two
 * count as one request in flight.
 *
 * <p>Threads: everything but {@link #cancelCall()} runs on the client's thread, and so does every response, which the
 * OkHttp thread reads completely and posts there. The call in flight is published in a volatile field for {@link
 * #cancelCall()}, which may run on any thread (see {@link ServerSnapshotSource}).
 */
final class SnapshotFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSnapshotSource.class);

    /** The source that coordinates the fetcher; called on the client's thread. */
    interface Owner {
        /** Whether requests may still be made (the mode is {@link DeliveryMode#active()}). */
        boolean active();

        /** The client accepted a snapshot, or the server confirmed the installed one with 304. */
        void fetchSucceeded();

        /** The server answered {@code code} 401 or 403. */
        void refused(String request, int code, String reason, String serverMessage);
    }

    private final String name;
    private final ServerOptions options;
    private final OkHttpClient http;
    private final HttpUrl url;
    private final HttpUrl snapshotBase;
    private final Owner owner;
    private final Backoff backoff;

    private SourceContext context;
    private String etag;
    private boolean inFlight;
    private boolean fetchAgain;
    private boolean requested;
    private long lastRequestNanos;
    private Future<?> nextFetch;
    private volatile Call call;
    /** With a snapshot base URL: the server's answer the revision request in flight follows, and that request's URL. */
    private LatestRevision latest;

    private HttpUrl revisionUrl;

    /**
     * A fetcher of {@code url}: {@code GET /v1/snapshot}, or {@code GET /v1/snapshot/latest} when {@code snapshotBase}
     * (the snapshot base URL) is not null.
     */
    SnapshotFetcher(
            String name, ServerOptions options, OkHttpClient http, HttpUrl url, HttpUrl snapshotBase, Owner owner) {
        this.name = name;
        this.options = options;
        this.http = http;
        this.url = url;
        this.snapshotBase = snapshotBase;
        this.owner = owner;
        this.backoff = new Backoff(options.initialBackoff(), options.maxBackoff());
    }

    /** Takes the context and schedules the first fetch. */
    void start(SourceContext context) {
        this.context = context;
        pollIn(Duration.ZERO);
    }

    /** Fetches now, or, with a request in flight, once it is answered if that leaves the client behind. */
    void fetch() {
        if (!owner.active()) {
            return;
        }
        if (inFlight) {
            fetchAgain = true;
            return;
        }
        cancelScheduled();
        fetchAgain = false;
        boolean enqueued = false;
        try {
            enqueued = enqueue();
        } finally {
            if (!enqueued && owner.active()) {
                retry(null); // whatever went wrong, there is a next attempt
            }
        }
    }

    /** Starts the request; false if the source was closed meanwhile (and the call cancelled). */
    private boolean enqueue() {
        latest = null;
        revisionUrl = null;
        Request.Builder request =
                ServerSnapshotSource.request(url, options, context).header("Accept", "application/json");
        if (etag != null && snapshotBase == null) {
            request.header("If-None-Match", etag);
        }
        return enqueue(
                request.build(),
                new FetchCallback(
                        snapshotBase == null ? context.limits().maxBytes() : LatestRevision.MAX_BYTES,
                        snapshotBase != null));
    }

    /** Starts {@code request}; false if the source was closed meanwhile (and the call cancelled). */
    private boolean enqueue(Request request, FetchCallback callback) {
        Call newCall = http.newCall(request);
        call = newCall;
        if (!owner.active()) {
            newCall.cancel();
            return false;
        }
        newCall.enqueue(callback);
        // Set only now: the callback's result is handled on this thread, after this task.
        inFlight = true;
        requested = true;
        lastRequestNanos = System.nanoTime();
        return true;
    }

    /** Schedules a fetch after {@code delay}, replacing the one scheduled. */
    void pollIn(Duration delay) {
        cancelScheduled();
        nextFetch = context.schedule(this::fetch, delay);
    }

    /** After a success that leaves the client up to date: the next failure starts from the initial delay again. */
    void caughtUp() {
        backoff.reset();
    }

    /**
     * After a success that leaves the client behind the revision the stream announced (a lagging replica): asks again,
     * at once if another announcement came meanwhile, else with backoff that keeps growing until the client catches up.
     */
    void askAgainFor(long announced) {
        if (fetchAgain) {
            fetch();
            return;
        }
        Duration delay = backoff.next();
        LOG.debug(
                "{} announced revision {} but served an older one; asking again in {} ms",
                name,
                announced,
                delay.toMillis());
        pollIn(delay);
    }

    /** The stream is up: a pending poll is dropped, unless a request is in flight or failures are being retried. */
    void pausePolling() {
        if (!inFlight && !backoff.failing()) {
            cancelScheduled();
        }
    }

    /**
     * The stream is down: makes sure a poll comes, at once if the stream had been up ({@code wasUp}, it may have missed
     * an announcement) and nothing was requested for a poll interval, otherwise a poll interval after the last request.
     * A request in flight or a pending retry schedules its own.
     */
    void pollWhileStreamDown(boolean wasUp) {
        if (inFlight || (nextFetch != null && !nextFetch.isDone())) {
            return;
        }
        long sinceRequest = requested ? System.nanoTime() - lastRequestNanos : Long.MAX_VALUE;
        if (wasUp && sinceRequest >= options.pollInterval().toNanos()) {
            fetch();
        } else {
            Duration due = Backoff.jittered(options.pollInterval(), options.pollJitter());
            pollIn(Duration.ofNanos(Math.max(0, due.toNanos() - sinceRequest)));
        }
    }

    /** Cancels the scheduled fetch, if any. */
    void cancelScheduled() {
        if (nextFetch != null) {
            nextFetch.cancel(false);
            nextFetch = null;
        }
    }

    /** Cancels the request in flight, if any; may be called on any thread. */
    void cancelCall() {
        Call inFlightCall = call;
        if (inFlightCall != null) {
            inFlightCall.cancel();
        }
    }

    /**
     * Handles a response. Every way through schedules what comes next (through the owner after a success, a retry
     * otherwise, nothing once refused); if anything throws on the way, the finally block still schedules a retry, so
     * that one failure, even an {@link Error}, never ends polling.
     */
    private void fetched(HttpResult result, boolean latestAnswer) {
        inFlight = false;
        call = null;
        if (!owner.active()) {
            return;
        }
        boolean handled = false;
        try {
            if (latestAnswer) {
                handleLatest(result);
            } else {
                handle(result);
            }
            handled = true;
        } finally {
            if (!handled && owner.active()) {
                retry(null);
            }
        }
    }

    /**
     * Handles the answer of {@code GET /v1/snapshot} or of a revision URL. A revision URL's 401 or 403 comes from the
     * cache in front of the server, which the server itself has just accepted the token for: a failure to retry, not
     * a refusal that stops the source.
     */
    private void handle(HttpResult result) {
        HttpUrl asked = revisionUrl != null ? revisionUrl : url;
        if (result.failure() != null) {
            failed(SourceError.Kind.NETWORK, "GET " + asked + " failed: " + result.failure(), null);
            return;
        }
        switch (result.code()) {
            case 200 -> received(result);
            case 304 -> {
                context.upToDate();
                owner.fetchSucceeded();
            }
            case 401, 403 -> {
                if (revisionUrl == null) {
                    owner.refused("GET " + url, result.code(), result.reason(), result.serverMessage());
                } else {
                    failed(SourceError.Kind.HTTP_STATUS, describeStatus(asked, result), result.retryAfter());
                }
            }
            default -> failed(SourceError.Kind.HTTP_STATUS, describeStatus(asked, result), result.retryAfter());
        }
    }

    /**
     * Handles the answer of {@code GET /v1/snapshot/latest}: confirms the installed revision, or fetches the newer one
     * at its revision URL under the snapshot base URL. An older one (a lagging replica) is a failed attempt.
     */
    private void handleLatest(HttpResult result) {
        if (result.failure() != null || result.code() != 200) {
            handle(result);
            return;
        }
        if (result.oversized()) {
            failed(
                    SourceError.Kind.HTTP_STATUS,
                    "GET " + url + " answered more than " + LatestRevision.MAX_BYTES
                            + " bytes; not a latest-revision answer",
                    null);
            return;
        }
        LatestRevision answer;
        try {
            answer = LatestRevision.parse(result.body());
        } catch (IllegalArgumentException e) {
            failed(SourceError.Kind.HTTP_STATUS, "GET " + url + " answered 200 but " + e.getMessage(), null);
            return;
        }
        long installed = context.revision();
        if (answer.revision() == installed) {
            context.upToDate();
            owner.fetchSucceeded();
        } else if (answer.revision() < installed) {
            failed(
                    SourceError.Kind.OLDER_REVISION,
                    "GET " + url + " answered revision " + answer.revision() + ", older than the installed " + installed
                            + "; not taken as a confirmation",
                    null);
        } else {
            fetchRevision(answer);
        }
    }

    private void fetchRevision(LatestRevision answer) {
        latest = answer;
        revisionUrl = answer.url(snapshotBase);
        Request request = ServerSnapshotSource.request(revisionUrl, options, context)
                .header("Accept", "application/json")
                .build();
        boolean enqueued = false;
        try {
            enqueued = enqueue(request, new FetchCallback(context.limits().maxBytes(), false));
        } finally {
            if (!enqueued && owner.active()) {
                retry(null);
            }
        }
    }

    private void received(HttpResult result) {
        if (result.oversized()) {
            failed(SourceError.Kind.INVALID_SNAPSHOT, describeOversized(result), null);
            return;
        }
        String refusal = latest == null ? null : latest.refusal(result.body(), result.signature(), revisionUrl);
        if (refusal != null) {
            failed(
                    SourceError.Kind.BAD_SIGNATURE,
                    refusal + "; refused, keeping "
                            + (context.revision() > 0 ? "revision " + context.revision() : "the fallbacks"),
                    null);
            return;
        }
        LoadResult delivery = context.deliver(result.body(), result.signature());
        if (!delivery.accepted() || delivery.status() == LoadResult.Status.OLDER_IGNORED) {
            // Rejected, or older than the installed revision (the client reported it as a failed attempt): ask again
            // with backoff. An older response's ETag is not kept, or a 304 from the same lagging server would later
            // pass for a confirmation of the installed revision.
            retry(null);
            return;
        }
        etag = result.etag();
        owner.fetchSucceeded();
    }

    private void failed(SourceError.Kind kind, String message, Duration retryAfter) {
        context.failed(kind, message);
        retry(retryAfter);
    }

    private void retry(Duration retryAfter) {
        Duration delay = RetryAfter.delay(backoff.next(), retryAfter);
        LOG.debug("{}: next attempt in {} ms", name, delay.toMillis());
        pollIn(delay);
    }

    private String describeOversized(HttpResult result) {
        String how = result.announcedLength() >= 0
                ? "it announces " + result.announcedLength() + " bytes; not read"
                : "reading stopped there";
        return "the snapshot from GET " + (revisionUrl != null ? revisionUrl : url) + " is larger than the limit of "
                + context.limits().maxBytes() + " bytes: " + how;
    }

    private static String describeStatus(HttpUrl asked, HttpResult result) {
        StringBuilder text =
                new StringBuilder("GET ").append(asked).append(" answered ").append(result.code());
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

    /** Reads the response on the OkHttp thread, then hands the result to the client's thread. */
    private final class FetchCallback implements Callback {
        private final int maxBytes;
        private final boolean latestAnswer;

        /** {@code latestAnswer}: the request is {@code GET /v1/snapshot/latest}. */
        FetchCallback(int maxBytes, boolean latestAnswer) {
            this.maxBytes = maxBytes;
            this.latestAnswer = latestAnswer;
        }

        @Override
        public void onFailure(Call failed, IOException e) {
            HttpResult result = HttpResult.failure(e);
            post(result);
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
            post(result);
        }

        /** After close the context drops the task. */
        private void post(HttpResult result) {
            context.schedule(() -> fetched(result, latestAnswer), Duration.ZERO);
        }
    }
}
