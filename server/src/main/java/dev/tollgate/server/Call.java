package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One HTTP request and its response: bounded body reading, JSON answers, the caller's identity. Handlers run on a
 * thread of the server's pool and may block while reading the body; an answer is written without blocking, and
 * completes the exchange when it is written. An event stream ({@link #openStream}) keeps it open instead.
 */
final class Call {
    private static final int GZIP_MIN_BYTES = 1_024;
    private static final long MAX_DISCARD_BYTES = 64L * 1024 * 1024;

    private final Request request;
    private final Response response;
    private final Callback callback;
    /** Whether the exchange was handed on: an answer sent, a stream opened, or the exchange aborted. */
    private boolean finished;

    private final Map<String, String> pathParams = new HashMap<>();
    private Map<String, String> query;
    private Principal principal;
    private String route = "unmatched";
    private int status;

    /** When the body must have arrived, in {@link System#nanoTime()}; see {@link #body}. */
    private final long bodyDeadline;

    private final long bodyTimeoutSeconds;

    Call(Request request, Response response, Callback callback, java.time.Duration bodyTimeout) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.bodyDeadline = System.nanoTime() + bodyTimeout.toNanos();
        this.bodyTimeoutSeconds = bodyTimeout.toSeconds();
    }

    String method() {
        return request.getMethod();
    }

    String rawPath() {
        String path = request.getHttpURI().getPath();
        return path == null ? "/" : path;
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The value of the request cookie {@code name}, or null. */
    String cookie(String name) {
        for (String header : request.getHeaders().getValuesList(HttpHeader.COOKIE)) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                    return pair.substring(eq + 1).strip();
                }
            }
        }
        return null;
    }

    String clientAddress() {
        return Request.getRemoteAddr(request);
    }

    void pathParam(String name, String value) {
        pathParams.put(name, value);
    }

    String param(String name) {
        return pathParams.get(name);
    }

    /** A query parameter, or {@code fallback} when absent. */
    String query(String name, String fallback) {
        if (query == null) {
            query = parseQuery(request.getHttpURI().getQuery());
        }
        return query.getOrDefault(name, fallback);
    }

    long queryLong(String name, long fallback) {
        String text = query(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter " + name + " must be an integer, was \"" + text + "\"");
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.putIfAbsent(key, value);
        }
        return values;
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed percent-encoding in \"" + text + "\"");
        }
    }

    Principal principal() {
        return principal;
    }

    /** The pattern of the route that took the request, such as {@code GET /v1/snapshot}; {@code unmatched} if none. */
    String route() {
        return route;
    }

    void route(String value) {
        route = value;
    }

    /** The status sent, 200 for an opened stream, or 0 when nothing was sent. */
    int status() {
        return status;
    }

    void status(int value) {
        status = value;
    }

    void principal(Principal value) {
        principal = value;
    }

    /**
     * The request body, decompressed when {@code Content-Encoding: gzip}, refused with 413 past {@code limit} bytes
     * (compressed or not).
     */
    byte[] body(int limit) throws IOException {
        String length = header("Content-Length");
        if (length != null) {
            try {
                long declared = Long.parseLong(length.strip());
                if (declared > limit) {
                    discardBody(Request.asInputStream(request), declared);
                    throw tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("malformed Content-Length");
            }
        }
        String encoding = header("Content-Encoding");
        InputStream in = Request.asInputStream(request);
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
            if (!encoding.strip().equalsIgnoreCase("gzip")) {
                throw new ApiException(
                        415, "unsupported_encoding", "Content-Encoding " + encoding + " is not supported; use gzip");
            }
            try {
                return readBounded(new GZIPInputStream(in), limit);
            } catch (ZipException e) {
                throw ApiException.badRequest("the body is not valid gzip: " + e.getMessage());
            }
        }
        return readBounded(in, limit);
    }

    /** The body as JSON, refused with 400 when malformed. */
    JsonNode json(int limit) throws IOException {
        return Json.parse(body(limit));
    }

    /**
     * Reads the body, refused past {@code limit} bytes, or with 408 when it is still arriving at the body deadline
     * (checked between reads, each of which the idle timeout bounds): a client trickling a body cannot hold a request
     * thread for longer.
     */
    private byte[] readBounded(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
            if (total > limit) {
                discardBody(in, Long.MAX_VALUE);
                throw tooLarge(limit);
            }
            out.write(buffer, 0, n);
            if (System.nanoTime() - bodyDeadline > 0) {
                setHeader("Connection", "close");
                throw new ApiException(
                        408,
                        "request_timeout",
                        "the request body was still arriving after " + bodyTimeoutSeconds
                                + " s (tollgate.http.body.timeout.seconds); send it faster");
            }
        }
        return out.toByteArray();
    }

    /**
     * Reads and drops what is left of a refused body, up to {@link #MAX_DISCARD_BYTES}, so that the client, still
     * sending, reads the 413 instead of a connection reset; past that the connection is closed after the answer.
     */
    private void discardBody(InputStream in, long declared) throws IOException {
        if (declared > MAX_DISCARD_BYTES) {
            setHeader("Connection", "close");
            return;
        }
        byte[] buffer = new byte[64 * 1024];
        long discarded = 0;
        for (int n;
                discarded < MAX_DISCARD_BYTES && System.nanoTime() - bodyDeadline < 0 && (n = in.read(buffer)) > 0; ) {
            discarded += n;
        }
        if (discarded >= MAX_DISCARD_BYTES || System.nanoTime() - bodyDeadline >= 0) {
            setHeader("Connection", "close");
        }
    }

    private static ApiException tooLarge(int limit) {
        return new ApiException(413, "too_large", "the request body is larger than the limit of " + limit + " bytes");
    }

    /** Adds a response header next to those of the same name, as {@code Set-Cookie} needs. */
    void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    void json(int status, JsonNode body) throws IOException {
        bytes(status, "application/json", Json.bytes(body));
    }

    /** Sends {@code body}, gzipped when the client accepts it and it is worth it. */
    void bytes(int status, String contentType, byte[] body) throws IOException {
        setHeader("Content-Type", contentType);
        if (body.length >= GZIP_MIN_BYTES && acceptsGzip()) {
            send(status, gzip(body), true);
        } else {
            send(status, body, false);
        }
    }

    /**
     * Sends {@code body} as is, completing the exchange once it is written; {@code gzipped} says whether it is already
     * gzip-encoded.
     */
    void send(int status, byte[] body, boolean gzipped) throws IOException {
        requireOpen();
        this.status = status;
        if (gzipped) {
            setHeader("Content-Encoding", "gzip");
        }
        response.setStatus(status);
        finished = true;
        if (status == 304 || status == 204 || method().equals("HEAD")) {
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    void empty(int status) throws IOException {
        send(status, new byte[0], false);
    }

    boolean acceptsGzip() {
        String accept = header("Accept-Encoding");
        if (accept == null) {
            return false;
        }
        for (String part : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] pieces = part.strip().split(";");
            if (pieces[0].strip().equals("gzip")) {
                return pieces.length < 2 || !pieces[1].replace(" ", "").equals("q=0");
            }
        }
        return false;
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    void error(ApiException e) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
        com.fasterxml.jackson.databind.node.ObjectNode error = body.putObject("error");
        error.put("status", e.status());
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (e.details() != null && e.details().isObject()) {
            error.setAll((com.fasterxml.jackson.databind.node.ObjectNode) e.details());
        }
        response.getHeaders().remove("Content-Encoding");
        response.getHeaders().remove("ETag");
        json(e.status(), body);
    }

    /**
     * Answers 200 with the headers set so far and keeps the exchange open as an event stream, which the returned
     * stream writes to and completes.
     */
    EventStream openStream() throws IOException {
        requireOpen();
        status = 200;
        finished = true;
        response.setStatus(200);
        return new EventStream(response, callback);
    }

    /** Whether the exchange was answered, streamed or aborted. */
    boolean finished() {
        return finished;
    }

    /** Ends an exchange that cannot be answered, such as after a failure to write: the connection is closed. */
    void abort(Throwable cause) {
        if (!finished) {
            finished = true;
            callback.failed(cause);
        }
    }

    private void requireOpen() throws IOException {
        if (finished) {
            throw new IOException("the response to " + method() + " " + rawPath() + " was already sent");
        }
    }
}
