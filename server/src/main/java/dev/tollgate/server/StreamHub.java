package dev.tollgate.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The open Server-Sent Events streams, per environment. A stream holds no thread: the request handler registers the
 * exchange and returns. Events and heartbeats are written by one thread of the hub's own, so that a writing request
 * never waits for slow stream clients.
 *
 * <p>Concurrency: subscribers live in concurrent sets (added by request threads, removed by the hub thread); each
 * subscriber's writes are synchronized on it, so the first event written by the request thread and later ones never
 * interleave. A write that fails closes and drops the subscriber.
 */
final class StreamHub implements RevisionEvents.Listener, AutoCloseable {
    private final ConcurrentHashMap<String, Set<Subscriber>> byEnvironment = new ConcurrentHashMap<>();
    private final ScheduledExecutorService writer;
    private final AtomicInteger open = new AtomicInteger();
    private final int maxStreams;

    StreamHub(Duration heartbeat, int maxStreams) {
        this.maxStreams = maxStreams;
        writer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tollgate-streams");
            thread.setDaemon(true);
            return thread;
        });
        long millis = heartbeat.toMillis();
        writer.scheduleAtFixedRate(this::heartbeat, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts an event stream on {@code exchange}, first telling it the current revision if there is one (0: none). The
     * subscriber is registered
     * before {@code currentRevision} is read, so a revision published meanwhile reaches it (perhaps twice, which SDKs
     * ignore) rather than not at all.
     */
    void open(Call call, String environment, LongSupplier currentRevision) throws IOException {
        HttpExchange exchange = call.exchange();
        if (open.get() >= maxStreams) {
            exchange.getResponseHeaders().set("Retry-After", "30");
            throw new ApiException(
                    503,
                    "too_many_streams",
                    "this server has its maximum of " + maxStreams + " open streams; poll, and reconnect later");
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        call.status(200);
        Subscriber subscriber = new Subscriber(exchange, environment);
        byEnvironment
                .computeIfAbsent(environment, k -> ConcurrentHashMap.newKeySet())
                .add(subscriber);
        open.incrementAndGet();
        long revision = currentRevision.getAsLong();
        if (!subscriber.write("retry: 1000\n" + (revision > 0 ? event(revision) : ": no revision yet\n\n"))) {
            drop(subscriber);
        }
    }

    /** How many streams are open. */
    int openStreams() {
        return open.get();
    }

    static String event(long revision) {
        return "id: " + revision + "\nevent: revision\ndata: {\"revision\": " + revision + "}\n\n";
    }

    @Override
    public void revision(String environment, long revision) {
        try {
            writer.execute(() -> broadcast(environment, revision));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the streams are gone
        }
    }

    private void broadcast(String environment, long revision) {
        Set<Subscriber> subscribers = byEnvironment.get(environment);
        if (subscribers != null) {
            String text = event(revision);
            for (Subscriber subscriber : subscribers) {
                if (!subscriber.write(text)) {
                    drop(subscriber);
                }
            }
        }
    }

    private void heartbeat() {
        for (Set<Subscriber> subscribers : byEnvironment.values()) {
            for (Subscriber subscriber : subscribers) {
                if (!subscriber.write(": keep-alive\n\n")) {
                    drop(subscriber);
                }
            }
        }
    }

    private void drop(Subscriber subscriber) {
        Set<Subscriber> subscribers = byEnvironment.get(subscriber.environment);
        if (subscribers != null && subscribers.remove(subscriber)) {
            open.decrementAndGet();
            subscriber.close();
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        for (Set<Subscriber> subscribers : byEnvironment.values()) {
            for (Subscriber subscriber : subscribers) {
                drop(subscriber);
            }
        }
    }

    /** One open stream. */
    private static final class Subscriber {
        private final HttpExchange exchange;
        private final String environment;
        private final OutputStream out;
        private boolean closed;

        Subscriber(HttpExchange exchange, String environment) {
            this.exchange = exchange;
            this.environment = environment;
            this.out = exchange.getResponseBody();
        }

        synchronized boolean write(String text) {
            if (closed) {
                return false;
            }
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                exchange.close();
            }
        }
    }
}
