package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The endpoints SDKs call with their token: the snapshot, the revision stream, log ingestion (with metered usage), and
 * the meter rows changed since a version.
 */
final class SdkApi {
    static final String SIGNATURE_HEADER = "Tollgate-Signature";
    static final String REVISION_HEADER = "Tollgate-Revision";
    private static final int GZIP_MIN_BYTES = 1_024;
    /** The default and largest {@code limit} of {@code GET /v1/usage}. */
    static final int MAX_USAGE_ROWS = 10_000;

    private final SnapshotCache snapshots;
    private final StreamHub streams;
    private final UsageStore usage;
    private final MeterStore meters;
    private final MeterEvents meterEvents;
    private final SdkClients clients;
    private final ServerMetrics metrics;
    private final int maxLogBodyBytes;

    SdkApi(
            SnapshotCache snapshots,
            StreamHub streams,
            UsageStore usage,
            MeterStore meters,
            MeterEvents meterEvents,
            SdkClients clients,
            ServerMetrics metrics,
            int maxLogBodyBytes) {
        this.snapshots = snapshots;
        this.streams = streams;
        this.usage = usage;
        this.meters = meters;
        this.meterEvents = meterEvents;
        this.clients = clients;
        this.metrics = metrics;
        this.maxLogBodyBytes = maxLogBodyBytes;
    }

    void register(Router router) {
        router.add("GET", "/v1/snapshot", Router.Access.SDK, this::snapshot);
        router.add("GET", "/v1/stream", Router.Access.SDK, this::stream);
        router.add("POST", "/v1/logs", Router.Access.SDK, this::logs);
        router.add("GET", "/v1/usage", Router.Access.SDK, this::usage);
    }

    /**
     * The environment's current snapshot: the exact stored bytes (gzip-encoded when accepted), a strong ETag of the
     * revision, 304 when {@code If-None-Match} names it, revalidated on every use by any cache.
     */
    private void snapshot(Call call) throws IOException {
        SnapshotCache.Served served = snapshots.get(environment(call));
        call.setHeader("ETag", served.etag());
        call.setHeader("Cache-Control", "no-cache");
        call.setHeader("Vary", "Authorization, Accept-Encoding");
        call.setHeader(REVISION_HEADER, Long.toString(served.revision()));
        if (served.signature() != null) {
            call.setHeader(SIGNATURE_HEADER, served.signature());
        }
        if (matches(call.header("If-None-Match"), served.etag())) {
            call.empty(304);
            return;
        }
        call.setHeader("Content-Type", "application/json");
        if (served.body().length >= GZIP_MIN_BYTES && call.acceptsGzip()) {
            call.send(200, served.gzipped(), true);
        } else {
            call.send(200, served.body(), false);
        }
    }

    /** Whether an {@code If-None-Match} list names {@code etag} (weak comparison, as RFC 9110 asks for GET). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private void stream(Call call) throws IOException {
        String environment = environment(call);
        boolean deltas = "1".equals(call.query("deltas", null));
        streams.open(call, environment, () -> snapshots.revisionOrZero(environment), deltas);
    }

    /**
     * The token's environment, counting the request's schema hash and SDK version for it. An {@code environment} query
     * parameter, which SDKs may send, must name it: an SDK token reads only its own environment.
     */
    String environment(Call call) {
        String own = call.principal().environment();
        String asked = call.query("environment", null);
        if (asked != null && !asked.equals(own)) {
            throw new ApiException(
                    403, "forbidden", "this SDK token reads environment \"" + own + "\", not \"" + asked + "\"");
        }
        clients.record(call.principal(), call.header("Tollgate-Schema-Hash"), call.header("User-Agent"));
        return own;
    }

    private void logs(Call call) throws IOException {
        String type = call.header("Content-Type");
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "log batches are application/json");
        }
        JsonNode batch = call.json(maxLogBodyBytes);
        UsageStore.Ingested ingested =
                usage.ingest(call.principal().environmentId(), batch, call.header("Idempotency-Key"));
        metrics.logBatch(call.principal().environment(), batch, ingested.applied());
        if (ingested.meterVersion() > 0) {
            meterEvents.publishLocal(call.principal().environment(), ingested.meterVersion());
        }
        ObjectNode body = Json.object();
        body.put("accepted", true);
        body.put("duplicate", !ingested.applied());
        body.set("usage", MeterRow.toJson(ingested.usage()));
        call.json(202, body);
    }

    /**
     * {@code ?since=<version>&limit=<n>}: the environment's meter rows of current and previous periods changed after
     * {@code since}, in version order (see {@link MeterStore#changedSince}).
     */
    private void usage(Call call) throws IOException {
        environment(call);
        long since = call.queryLong("since", 0);
        if (since < 0) {
            throw ApiException.badRequest("since must be a meter version, 0 or more, was " + since);
        }
        long limit = call.queryLong("limit", MAX_USAGE_ROWS);
        if (limit < 1 || limit > MAX_USAGE_ROWS) {
            throw ApiException.badRequest("limit must be 1 to " + MAX_USAGE_ROWS + ", was " + limit);
        }
        MeterStore.Page page =
                meters.db().read(c -> meters.changedSince(c, call.principal().environmentId(), since, (int) limit));
        ObjectNode body = Json.object();
        body.set("usage", MeterRow.toJson(page.rows()));
        body.put("version", page.version());
        body.put("more", page.more());
        call.json(200, body);
    }
}
