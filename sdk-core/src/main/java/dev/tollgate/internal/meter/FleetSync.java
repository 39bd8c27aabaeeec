package dev.tollgate.internal.meter;

import dev.tollgate.ServerOptions;
import dev.tollgate.internal.source.ServerHttp;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the client's meters up to date with the fleet's usage: polls {@code GET <baseUrl>/v1/usage?since=<version>}
 * at start, every {@link ServerOptions#usagePollInterval()}, and whenever the stream announces a newer version, and
 * installs the rows into the {@link MeterLedger}. At most one poll is in flight; a notice that comes meanwhile, or an
 * answer that says it left rows out, polls again when it ends. A failing server is reported once per failing streak;
 * the meters keep counting locally meanwhile.
 */
public final class FleetSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSync.class);

    private final MeterLedger meters;
    private final OkHttpClient http;
    private final HttpUrl endpoint;
    private final ServerOptions server;
    private final String schemaHash;
    private final ScheduledExecutorService scheduler;
    private final long intervalMillis;
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean closed;
    private volatile ScheduledFuture<?> tick;
    /** Whether the last poll failed; written by the poll's completion only, so one warning per streak. */
    private volatile boolean failing;

    public FleetSync(
            MeterLedger meters,
            ServerOptions server,
            OkHttpClient http,
            ScheduledExecutorService scheduler,
            String schemaHash) {
        this.meters = meters;
        this.server = server;
        this.endpoint = ServerHttp.endpoint(server, "v1/usage");
        this.http = ServerHttp.timed(http, server);
        this.scheduler = scheduler;
        this.schemaHash = schemaHash;
        this.intervalMillis = server.usagePollInterval().toMillis();
    }

    /** Polls now and then every interval. */
    public void start() {
        tick = scheduler.scheduleWithFixedDelay(this::poll, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** The stream announced usage up to {@code version}: polls unless the meters have it already. */
    public void announced(long version) {
        if (version > meters.feedVersion()) {
            poll();
        }
    }

    /** Polls unless a poll is in flight, in which case another follows it. */
    public void poll() {
        if (closed) {
            return;
        }
        if (!polling.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        HttpUrl url = endpoint.newBuilder()
                .addQueryParameter("since", Long.toString(meters.feedVersion()))
                .build();
        Request request = ServerHttp.request(url, server, schemaHash).build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                boolean more = false;
                try (response) {
                    if (!response.isSuccessful() || response.body() == null) {
                        failed("answered HTTP " + response.code());
                    } else {
                        FleetJson.Answer answer = FleetJson.read(response.body().byteStream());
                        meters.fleet(answer.rows());
                        meters.feedVersion(answer.version());
                        more = answer.more() && !answer.rows().isEmpty();
                        succeeded();
                    }
                } catch (FleetJson.MalformedAnswer | com.fasterxml.jackson.core.JsonProcessingException e) {
                    failed("answered what the client cannot read: " + e.getMessage());
                } catch (IOException | RuntimeException e) {
                    failedUnlessClosed(e);
                }
                done(more);
            }

            @Override
            public void onFailure(Call call, IOException e) {
                failedUnlessClosed(e);
                done(false);
            }
        });
    }

    /** A failure to talk to the server; the one a close causes (a socket closed under a poll) is not one. */
    private void failedUnlessClosed(Exception e) {
        if (!closed) {
            failed("failed: " + e);
        }
    }

    private void succeeded() {
        if (failing) {
            failing = false;
            LOG.info("The usage endpoint {} answers again", endpoint);
        }
    }

    private void failed(String why) {
        if (!failing) {
            failing = true;
            LOG.warn(
                    "The usage endpoint {} {}; metered limits count this client's usage and the fleet's as last"
                            + " reported until it answers",
                    endpoint,
                    why);
        }
    }

    private void done(boolean more) {
        polling.set(false);
        if (more || again.getAndSet(false)) {
            try {
                scheduler.execute(this::poll);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> current = tick;
        if (current != null) {
            current.cancel(false);
        }
    }
}
