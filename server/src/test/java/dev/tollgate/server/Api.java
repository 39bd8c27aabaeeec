package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client for the tests: real requests against a server on loopback, with the JDK's HttpClient. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;

    Api(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    Api as(String otherToken) {
        return new Api(baseUrl, otherToken);
    }

    /** One answer: status, headers, body text. */
    record Response(int status, HttpResponse<byte[]> raw) {
        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    static Map<String, String> headers(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    Response get(String path, String... headers) {
        return send("GET", path, null, headers(headers));
    }

    Response delete(String path, String... headers) {
        return send("DELETE", path, null, headers(headers));
    }

    Response put(String path, Object body, String... headers) {
        return send("PUT", path, body, headers(headers));
    }

    Response post(String path, Object body, String... headers) {
        return send("POST", path, body, headers(headers));
    }

    /** Sends {@code body}: bytes as they are, a String as text, anything else as JSON. */
    Response send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        byte[] bytes;
        try {
            bytes = body == null
                    ? null
                    : body instanceof byte[] b
                            ? b
                            : body instanceof String s
                                    ? s.getBytes(StandardCharsets.UTF_8)
                                    : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes != null && !headers.containsKey("Content-Type")) {
            request.header("Content-Type", body instanceof String ? "text/plain" : "application/json");
        }
        request.method(
                method,
                bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String ifMatch(long revision) {
        return "\"" + revision + "\"";
    }
}
