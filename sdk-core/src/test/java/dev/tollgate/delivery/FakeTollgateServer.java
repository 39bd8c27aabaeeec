package dev.tollgate.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that speaks {@code docs/protocol.md} well enough to test streaming against: {@code GET
 * /v1/snapshot} with ETags, and {@code GET /v1/stream}, which announces the current revision on connect and every
 * {@link #publish} while connected. Streams can be dropped and refused on demand. MockWebServer cannot push events into
 * an open response when a test decides to, which is why this exists.
 */
final class FakeTollgateServer implements AutoCloseable {
    static {
        // Like any production server should, answer without Nagle's algorithm: otherwise each small write after the
        // headers waits for the client's delayed ACK, some 40 ms on Linux, and the figures would measure that. The JDK
        // server reads this once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer http;
    private final ExecutorService executor;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger snapshotRequests = new AtomicInteger();
    private final List<Long> snapshotRequestNanos = new CopyOnWriteArrayList<>();
    private final AtomicInteger streamConnects = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile Published published;
    private volatile Published lagging;
    private volatile int streamStatus = 200;
    private volatile int snapshotStatus = 200;

    private record Published(long revision, byte[] bytes, String signature) {
        String etag() {
            return "\"r" + revision + "\"";
        }
    }

    FakeTollgateServer() throws IOException {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-tollgate-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(executor);
        http.createContext("/v1/snapshot", this::snapshot);
        http.createContext("/v1/stream", this::stream);
        http.createContext("/v1/logs", this::logs);
        http.start();
    }

    String url() {
        return "http://" + http.getAddress().getHostString() + ":"
                + http.getAddress().getPort();
    }

    /** Serves {@code revision} from now on and announces it on every open stream. */
    void publish(long revision) {
        publish(revision, Fixtures.snapshotBytes(revision), null);
    }

    void publish(long revision, byte[] bytes, String signature) {
        published = new Published(revision, bytes, signature);
        for (Stream stream : streams) {
            stream.announce(revision);
        }
    }

    /**
     * Makes the snapshot endpoint a lagging replica: it serves {@code revision} while streams keep announcing what is
     * published; 0 to catch up.
     */
    void lagBehind(long revision) {
        lagging = revision == 0 ? null : new Published(revision, Fixtures.snapshotBytes(revision), null);
    }

    /** Closes every open stream, as a proxy or a server restart would. */
    void dropStreams() {
        for (Stream stream : streams) {
            stream.close();
        }
    }

    /** Answers stream requests with {@code status} (200 to accept them again). */
    void streamStatus(int status) {
        this.streamStatus = status;
    }

    /** Answers snapshot requests with {@code status} (200 to serve again). */
    void snapshotStatus(int status) {
        this.snapshotStatus = status;
    }

    int snapshotRequests() {
        return snapshotRequests.get();
    }

    /** Milliseconds between the arrivals of snapshot requests {@code from} and {@code to}. */
    long millisBetween(int from, int to) {
        return TimeUnit.NANOSECONDS.toMillis(snapshotRequestNanos.get(to) - snapshotRequestNanos.get(from));
    }

    int streamConnects() {
        return streamConnects.get();
    }

    int openStreams() {
        return streams.size();
    }

    /** Every request's method, path and {@code Authorization} header, in arrival order. */
    List<String> requests() {
        return List.copyOf(authorizations);
    }

    private void logs(HttpExchange exchange) throws IOException {
        record(exchange);
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(202, -1);
        }
    }

    private void record(HttpExchange exchange) {
        authorizations.add(
                exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                        + exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        record(exchange);
        snapshotRequestNanos.add(System.nanoTime());
        snapshotRequests.incrementAndGet();
        try (exchange) {
            Published current = lagging != null ? lagging : published;
            if (snapshotStatus != 200 || current == null) {
                exchange.sendResponseHeaders(current == null ? 404 : snapshotStatus, -1);
                return;
            }
            exchange.getResponseHeaders().set("ETag", current.etag());
            if (current.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (current.signature() != null) {
                exchange.getResponseHeaders().set("Tollgate-Signature", current.signature());
            }
            exchange.sendResponseHeaders(200, current.bytes().length);
            exchange.getResponseBody().write(current.bytes());
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        record(exchange);
        streamConnects.incrementAndGet();
        if (streamStatus != 200) {
            exchange.sendResponseHeaders(streamStatus, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        Stream stream = new Stream(exchange);
        streams.add(stream);
        Published current = published;
        if (current != null) {
            stream.announce(current.revision());
        }
    }

    @Override
    public void close() {
        dropStreams();
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One open event stream; writes are serialized per stream. */
    private final class Stream {
        private final HttpExchange exchange;
        private final OutputStream body;

        Stream(HttpExchange exchange) {
            this.exchange = exchange;
            this.body = exchange.getResponseBody();
        }

        synchronized void announce(long revision) {
            String event = "event: revision\ndata: {\"revision\":" + revision + "}\n\n";
            try {
                body.write(event.getBytes(StandardCharsets.UTF_8));
                body.flush();
            } catch (IOException e) {
                close();
            }
        }

        synchronized void close() {
            streams.remove(this);
            try {
                body.close();
            } catch (IOException e) {
                // The client is gone already.
            } finally {
                exchange.close();
            }
        }
    }
}
