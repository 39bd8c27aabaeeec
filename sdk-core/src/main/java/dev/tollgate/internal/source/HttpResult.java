package dev.tollgate.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The part of one snapshot response the source needs, read completely on the OkHttp thread so that the source can
 * handle it on the client's thread without touching the network. Either an I/O failure ({@code failure}) or a status
 * with its headers and, for 200, the body (or {@code oversized}, with the {@code announcedLength} that gave it away, or
 * -1 if reading found it out).
 */
record HttpResult(
        int code,
        String reason,
        String etag,
        String signature,
        Duration retryAfter,
        byte[] body,
        boolean oversized,
        long announcedLength,
        String serverMessage,
        String failure) {

    private static final int MAX_ERROR_BYTES = 2048;
    private static final int MAX_MESSAGE_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    static HttpResult failure(IOException e) {
        return new HttpResult(0, null, null, null, null, null, false, -1, null, describe(e));
    }

    /**
     * Reads {@code response} of {@code call}; the caller closes the response. A body it stops reading before its end (one
     * over {@code maxBytes}, or the rest of an error body after the message) is cut off by cancelling {@code call}:
     * closing the response would otherwise go on reading it, to reuse the connection, downloading a huge body whole.
     */
    static HttpResult read(Call call, Response response, int maxBytes) throws IOException {
        int code = response.code();
        Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), Instant.now());
        ResponseBody body = response.body();
        byte[] bytes = null;
        long announced = body == null ? -1 : body.contentLength();
        String serverMessage = null;
        boolean cutOff = false;
        if (code == 200 && body != null) {
            bytes = announced > maxBytes ? null : readBounded(body.byteStream(), maxBytes);
            cutOff = bytes == null;
        } else if (code != 304 && body != null) {
            byte[] start = errorStart(body);
            serverMessage = start == null ? null : serverMessage(new String(start, StandardCharsets.UTF_8));
            cutOff = start == null || start.length == MAX_ERROR_BYTES;
        }
        if (cutOff) {
            call.cancel();
        }
        return new HttpResult(
                code,
                response.message(),
                response.header("ETag"),
                response.header(ServerSnapshotSource.SIGNATURE_HEADER),
                retryAfter,
                bytes,
                code == 200 && cutOff,
                announced > maxBytes ? announced : -1,
                serverMessage,
                null);
    }

    /** The first {@code limit} bytes of {@code in} if that is all of it, otherwise null (the rest is not read). */
    private static byte[] readBounded(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit);
        return bytes.length == limit && in.read() != -1 ? null : bytes;
    }

    /** The first bytes of an error body, where the server explains itself; null if they cannot be read. */
    private static byte[] errorStart(ResponseBody body) {
        try {
            return body.byteStream().readNBytes(MAX_ERROR_BYTES);
        } catch (IOException e) {
            return null;
        }
    }

    /** The server's explanation from an error body: {@code {"error": {"message": ...}}}, or its first line of text. */
    private static String serverMessage(String start) {
        String text = start.strip();
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
