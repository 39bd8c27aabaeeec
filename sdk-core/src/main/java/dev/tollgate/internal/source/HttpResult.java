package dev.tollgate.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The part of one snapshot response the source needs, read completely on the OkHttp thread so that the source can
 * handle it on the client's thread without touching the network. Either an I/O failure ({@code failure}) or a status
 * with its headers and, for 200, the body (or {@code oversized}).
 */
record HttpResult(
        int code,
        String reason,
        String etag,
        String signature,
        Duration retryAfter,
        byte[] body,
        boolean oversized,
        String serverMessage,
        String failure) {

    private static final int MAX_ERROR_BYTES = 2048;
    private static final int MAX_MESSAGE_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResult failure(IOException e) {
        return new HttpResult(0, null, null, null, null, null, false, null, describe(e));
    }

    /** Reads {@code response}; the caller closes it. */
    static HttpResult read(Response response, int maxBytes) throws IOException {
        int code = response.code();
        Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), Instant.now());
        ResponseBody body = response.body();
        byte[] bytes = null;
        boolean oversized = false;
        String serverMessage = null;
        if (code == 200 && body != null) {
            oversized = body.contentLength() > maxBytes;
            bytes = oversized ? null : readBounded(body.byteStream(), maxBytes);
            oversized |= bytes == null;
        } else if (code != 304 && body != null) {
            serverMessage = serverMessage(body);
        }
        return new HttpResult(
                code,
                response.message(),
                response.header("ETag"),
                response.header(ServerSnapshotSource.SIGNATURE_HEADER),
                retryAfter,
                bytes,
                oversized,
                serverMessage,
                null);
    }

    private static byte[] readBounded(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit);
        return bytes.length == limit && in.read() != -1 ? null : bytes;
    }

    /** The server's explanation from an error body: {@code {"error": {"message": ...}}}, or its first line of text. */
    private static String serverMessage(ResponseBody body) {
        String text;
        try (InputStream in = body.byteStream()) {
            text = new String(in.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
        if (text.startsWith("{")) {
            try {
                JsonNode message = JSON.readTree(text).path("error").path("message");
                text = message.isTextual() ? message.textValue() : "";
            } catch (IOException e) {
                text = "";
            }
        }
        int newline = text.indexOf('\n');
        text = (newline < 0 ? text : text.substring(0, newline))
                .replaceAll("\\p{Cntrl}", "")
                .strip();
        if (text.length() > MAX_MESSAGE_CHARS) {
            text = text.substring(0, MAX_MESSAGE_CHARS - 3) + "...";
        }
        return text.isEmpty() ? null : text;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
