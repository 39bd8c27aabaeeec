package dev.tollgate;

import dev.tollgate.internal.logs.HttpLogSink;
import dev.tollgate.internal.logs.Slf4jLogSink;
import dev.tollgate.spi.LogSink;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** The built-in {@link LogSink}s. */
public final class LogSinks {
    private LogSinks() {}

    /** Logs each batch through SLF4J (logger {@code dev.tollgate.logs}): a summary at INFO, records at DEBUG. */
    public static LogSink slf4j() {
        return new Slf4jLogSink();
    }

    /**
     * Posts batches to a Tollgate server's logs endpoint ({@code POST <serverUrl>/v1/logs}, see {@code
     * docs/protocol.md}) with its own HTTP client, shut down when the client closes. After the server refuses the
     * token (401 or 403) the sink sends nothing more: later batches fail at once and are counted as dropped.
     */
    public static LogSink http(String serverUrl, String sdkToken) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(30))
                .build();
        return new HttpLogSink(logsUrl(serverUrl), token(sdkToken), http, true);
    }

    /** As {@link #http(String, String)}, sharing the application's {@code OkHttpClient} (not shut down on close). */
    public static LogSink http(String serverUrl, String sdkToken, OkHttpClient http) {
        return new HttpLogSink(logsUrl(serverUrl), token(sdkToken), Objects.requireNonNull(http, "http"), false);
    }

    private static HttpUrl logsUrl(String serverUrl) {
        HttpUrl base = HttpUrl.parse(Objects.requireNonNull(serverUrl, "serverUrl"));
        if (base == null) {
            throw new IllegalArgumentException("not an http or https URL: " + serverUrl);
        }
        return base.newBuilder().addPathSegments("v1/logs").build();
    }

    private static String token(String token) {
        if (Objects.requireNonNull(token, "sdkToken").isBlank()) {
            throw new IllegalArgumentException("sdkToken is blank");
        }
        return token;
    }
}
