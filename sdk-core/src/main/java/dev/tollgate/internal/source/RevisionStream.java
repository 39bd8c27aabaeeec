package dev.tollgate.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.ServerOptions;
import dev.tollgate.spi.SourceContext;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code GET /v1/stream} half of a {@link ServerSnapshotSource}: one Server-Sent Events connection at a time, whose
 * opening, {@code revision} events and end it reports to its owner, and which it reconnects with backoff when told to.
 *
 * <p>Threads: OkHttp calls the listener on its own thread; the listener posts each callback, tagged with the generation
 * of the connection it belongs to, to the client's thread, where everything else runs and callbacks of an older
 * connection are dropped. The open connection is published in a volatile field for {@link #cancelConnection()}, which
 * may run on any thread (see {@link ServerSnapshotSource}).
 */
final class RevisionStream {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSnapshotSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The source that coordinates the stream; called on the client's thread, for the current connection only. */
    interface Owner {
        /** Whether requests may still be made (the mode is {@link DeliveryMode#active()}). */
        boolean active();

        /** The connection answered 200 and is open. */
        void streamOpened();

        /** The connection announced {@code revision}, a positive number. */
        void revisionAnnounced(long revision);

        /** Whether to ask the server for {@code delta} events ({@code ?deltas=1}); asked at each connection. */
        boolean wantsDeltas();

        /** The connection sent a {@code delta} event to {@code revision}, a positive number, with its JSON data. */
        void deltaAnnounced(long revision, String data);

        /** The connection announced that the fleet's usage of metered fields changed, up to {@code version}. */
        void usageAnnounced(long version);

        /** The connection ended; it had been open for {@code upNanos} (0 if it never opened). */
        void streamDropped(Drop drop, long upNanos);
    }

    /** Why a stream connection ended: {@code code} is 0 without an HTTP response. */
    record Drop(String why, int code, String reason, Duration retryAfter) {
        static Drop closedByServer() {
            return new Drop("was closed by the server", 0, null, null);
        }

        static Drop of(Throwable error, Response response) {
            if (response == null) {
                return new Drop(
                        "failed: " + (error == null ? "no response" : HttpResult.describe(error)), 0, null, null);
            }
            String why = !response.isSuccessful()
                    ? "answered " + response.code() + " " + response.message()
                    : "failed: " + (error == null ? "unexpected response" : HttpResult.describe(error));
            Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), Instant.now());
            return new Drop(why, response.code(), response.message(), retryAfter);
        }

        /** Whether the server refused the token. */
        boolean refused() {
            return code == 401 || code == 403;
        }
    }

    private final String name;
    private final ServerOptions options;
    private final EventSource.Factory streams;
    private final HttpUrl url;
    private final Owner owner;
    private final Backoff backoff;

    private SourceContext context;
    private int generation;
    private boolean opened;
    private long openedNanos;
    private Future<?> nextConnect;
    private volatile EventSource connection;

    RevisionStream(String name, ServerOptions options, EventSource.Factory streams, HttpUrl url, Owner owner) {
        this.name = name;
        this.options = options;
        this.streams = streams;
        this.url = url;
        this.owner = owner;
        this.backoff = new Backoff(options.initialBackoff(), options.maxBackoff());
    }

    HttpUrl url() {
        return url;
    }

    /** Takes the context and schedules the first connection. */
    void start(SourceContext context) {
        this.context = context;
        nextConnect = context.schedule(this::connect, Duration.ZERO);
    }

    private void connect() {
        nextConnect = null;
        if (!owner.active()) {
            return;
        }
        int current = ++generation;
        opened = false;
        HttpUrl target = owner.wantsDeltas()
                ? url.newBuilder().setQueryParameter("deltas", "1").build()
                : url;
        EventSource source = streams.newEventSource(
                ServerSnapshotSource.request(target, options, context).build(), new Listener(current));
        connection = source;
        if (!owner.active()) {
            source.cancel();
        }
    }

    /**
     * Reconnects after backoff, which starts over from the initial delay only if the connection had {@code proven}
     * itself: one that a proxy or a crashing server closes at once is reconnected ever more slowly instead of at the
     * initial delay forever. A {@code Retry-After} of the answer makes the wait longer, never shorter.
     */
    void reconnect(Duration retryAfter, boolean proven) {
        if (proven) {
            backoff.reset();
        }
        Duration delay = RetryAfter.delay(backoff.next(), retryAfter);
        cancelScheduled();
        nextConnect = context.schedule(this::connect, delay);
    }

    /** Cancels the scheduled reconnection, if any. */
    void cancelScheduled() {
        if (nextConnect != null) {
            nextConnect.cancel(false);
            nextConnect = null;
        }
    }

    /** Cancels the open connection, if any; may be called on any thread. */
    void cancelConnection() {
        EventSource open = connection;
        if (open != null) {
            open.cancel();
        }
    }

    private boolean current(int tagged) {
        return tagged == generation && owner.active();
    }

    private void opened(int tagged) {
        if (current(tagged)) {
            opened = true;
            openedNanos = System.nanoTime();
            owner.streamOpened();
        }
    }

    private void event(int tagged, String type, String data) {
        if (!current(tagged)) {
            return;
        }
        if ("usage".equals(type)) {
            owner.usageAnnounced(number(data, "version"));
            return;
        }
        boolean delta = "delta".equals(type);
        if (!delta && !"revision".equals(type)) {
            return;
        }
        long revision = announced(data);
        if (revision <= 0) {
            LOG.debug("{}: ignoring a {} event without a positive revision: {}", name, type, data);
            return;
        }
        if (delta) {
            owner.deltaAnnounced(revision, data);
        } else {
            owner.revisionAnnounced(revision);
        }
    }

    private static long announced(String data) {
        return number(data, "revision");
    }

    /** The whole number {@code name} of the event's JSON data, or 0 when it has none. */
    private static long number(String data, String name) {
        try {
            JsonNode number = JSON.readTree(data).path(name);
            return number.isIntegralNumber() ? number.longValue() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void dropped(int tagged, Drop drop) {
        if (!current(tagged)) {
            return;
        }
        connection = null;
        long upNanos = opened ? System.nanoTime() - openedNanos : 0;
        owner.streamDropped(drop, upNanos);
    }

    /** Forwards the callbacks of one connection, tagged with its generation, to the client's thread. */
    private final class Listener extends EventSourceListener {
        private final int tagged;

        Listener(int tagged) {
            this.tagged = tagged;
        }

        @Override
        public void onOpen(EventSource source, Response response) {
            post(() -> opened(tagged));
        }

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            post(() -> event(tagged, type, data));
        }

        @Override
        public void onClosed(EventSource source) {
            post(() -> dropped(tagged, Drop.closedByServer()));
        }

        /**
         * Cancels the connection first: OkHttp closes {@code response} after this returns, which would otherwise read
         * and discard the rest of its body (an error page of any size, or the rest of a broken stream).
         */
        @Override
        public void onFailure(EventSource source, Throwable error, Response response) {
            source.cancel();
            Drop drop = Drop.of(error, response);
            post(() -> dropped(tagged, drop));
        }

        /** After close the context drops the task. */
        private void post(Runnable task) {
            context.schedule(task, Duration.ZERO);
        }
    }
}
