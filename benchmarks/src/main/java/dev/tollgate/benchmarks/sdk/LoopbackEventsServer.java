package dev.tollgate.benchmarks.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An analytics events endpoint on the loopback interface that reads every payload and answers 202 Accepted, so that
 * LaunchDarkly with events on does all its real work (summarizing, deduplicating contexts, serializing, posting)
 * without leaving the machine.
 */
final class LoopbackEventsServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong payloads = new AtomicLong();

    private LoopbackEventsServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::accept);
        server.start();
    }

    static LoopbackEventsServer start() {
        try {
            return new LoopbackEventsServer(
                    HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    long payloads() {
        return payloads.get();
    }

    private void accept(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
        }
        payloads.incrementAndGet();
        exchange.sendResponseHeaders(202, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
