package dev.tollgate.spring.boot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Tollgate server as far as the client needs one (docs/protocol.md): {@code GET /v1/snapshot} answers the snapshot it
 * is given, {@code POST /v1/logs} accepts every batch, anything else is {@code 404}. It records every request.
 */
final class StandInServer implements AutoCloseable {
    /** One request as the server saw it; header names are case-insensitive. */
    record Request(String method, String path, String query, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final String snapshot;

    private StandInServer(String snapshot) throws IOException {
        this.snapshot = snapshot;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server answering {@code snapshot} to every {@code GET /v1/snapshot}. */
    static StandInServer serving(String snapshot) throws IOException {
        return new StandInServer(snapshot);
    }

    /** The base URL, such as {@code http://127.0.0.1:41234}. */
    String url() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort();
    }

    /** The requests to {@code path} so far, in order. */
    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(), headers));
            if (method.equals("GET") && path.equals("/v1/snapshot")) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("ETag", "\"stand-in-" + snapshot.hashCode() + "\"");
                respond(exchange, 200, snapshot);
            } else if (method.equals("POST") && path.equals("/v1/logs")) {
                exchange.sendResponseHeaders(202, -1);
            } else {
                respond(exchange, 404, "{\"error\": {\"code\": \"not_found\", \"message\": \"no such endpoint\"}}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
