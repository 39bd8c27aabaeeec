package dev.tollgate.internal.logs;

import dev.tollgate.ServerOptions;
import dev.tollgate.internal.meter.FleetJson;
import dev.tollgate.internal.meter.MeterLedger;
import dev.tollgate.internal.source.ServerHttp;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spi.LogSinkException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts batches to the Tollgate server's logs endpoint as gzipped JSON, with the batch id as the {@code
 * Idempotency-Key}. 2xx is acceptance; 408, 429, 5xx and network errors are retryable; other 4xx are not. A 401 or 403
 * refuses the token: the sink then sends no further request (see the protocol's Authentication section), and every
 * later batch fails at once, not retryable, with the same message. The token travels only in the {@code Authorization}
 * header and is never logged.
 */
public final class HttpLogSink implements LogSink {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpLogSink.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpUrl endpoint;
    private final String shownEndpoint;
    private final String token;
    private final OkHttpClient http;
    private final boolean ownsClient;
    private final MeterLedger meters;
    /** Set once by a 401 or 403: the message every later batch fails with, without a request. */
    private final AtomicReference<String> refusal = new AtomicReference<>();

    /**
     * A sink posting to the logs endpoint of {@code server} ({@code POST <baseUrl>/v1/logs}) with its token, through
     * {@code http}, which {@link #close()} shuts down when the sink owns it.
     */
    public static HttpLogSink forServer(ServerOptions server, OkHttpClient http, boolean ownsClient) {
        return forServer(server, http, ownsClient, null);
    }

    /**
     * Likewise, installing the fleet's usage each answer reports into {@code meters} (null when the schema has no
     * metered field) before the batch counts as accepted.
     */
    public static HttpLogSink forServer(
            ServerOptions server, OkHttpClient http, boolean ownsClient, MeterLedger meters) {
        HttpUrl logs = HttpUrl.get(server.baseUrl())
                .newBuilder()
                .addPathSegments("v1/logs")
                .build();
        // The server's timeouts, on a client that shares the given one's connection pool and dispatcher.
        return new HttpLogSink(logs, server.token(), ServerHttp.timed(http, server), ownsClient, meters);
    }

    private HttpLogSink(HttpUrl endpoint, String token, OkHttpClient http, boolean ownsClient, MeterLedger meters) {
        this.meters = meters;
        this.endpoint = endpoint;
        this.shownEndpoint = endpoint.newBuilder()
                .username("")
                .password("")
                .query(null)
                .build()
                .toString();
        this.token = token;
        this.http = http;
        this.ownsClient = ownsClient;
    }

    @Override
    public CompletionStage<Void> send(LogBatch batch) {
        String refused = refusal.get();
        if (refused != null) {
            return CompletableFuture.failedFuture(new LogSinkException(refused, false));
        }
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        Request request = new Request.Builder()
                .url(endpoint)
                .header("Authorization", "Bearer " + token)
                .header("Content-Encoding", "gzip")
                .header("Idempotency-Key", batch.batchId())
                .header("User-Agent", "tollgate-java/" + SdkVersion.VERSION)
                .post(RequestBody.create(LogBatchJson.toGzippedJson(batch), JSON))
                .build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    int code = response.code();
                    if (response.isSuccessful()) {
                        answered(batch, response);
                        accepted.complete(null);
                    } else if (code == 401 || code == 403) {
                        refusal.compareAndSet(
                                null,
                                "logs endpoint " + shownEndpoint + " refused the SDK token (HTTP " + code
                                        + "); no further batches are sent until the client is built again");
                        accepted.completeExceptionally(new LogSinkException(refusal.get(), false));
                    } else {
                        boolean retryable = code == 408 || code == 429 || code >= 500;
                        accepted.completeExceptionally(new LogSinkException(
                                "logs endpoint " + shownEndpoint + " answered HTTP " + code, retryable));
                    }
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                accepted.completeExceptionally(
                        new LogSinkException("logs endpoint " + shownEndpoint + " failed: " + e, true, e));
            }
        });
        return accepted;
    }

    /**
     * Installs the fleet's usage the answer reports for a batch that carried usage. An answer that cannot be read
     * reports nothing, so the client counts the batch's usage itself, as it does with a server that answers none.
     */
    private void answered(LogBatch batch, Response response) {
        if (meters == null || batch.usage().isEmpty() || response.body() == null) {
            return;
        }
        try {
            meters.answered(
                    batch.batchId(),
                    FleetJson.read(response.body().byteStream()).rows());
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "The logs endpoint {} answered usage this client cannot read ({}); it counts the batch's usage"
                            + " itself",
                    shownEndpoint,
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "HttpLogSink[" + shownEndpoint + "]";
    }
}
