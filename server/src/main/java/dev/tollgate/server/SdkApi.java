package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The endpoints SDKs call with their token: the snapshot, the latest revision and each revision at its immutable URL,
 * the revision stream, log ingestion (with metered usage), and the meter rows changed since a version.
 *
 * <p>The immutable revision URLs are what a CDN or a caching proxy keeps ({@code docs/server.md}, "A CDN or a caching
 * proxy in front"): one revision is always the same bytes, so they are cacheable by anyone for a year, with no {@code
 * Vary} on the token. The origin still wants an SDK token of that environment for them; the proxy checks each caller's
 * token itself, against {@code GET /v1/snapshot/latest}, before it answers from its cache.
 */
final class SdkApi {
    static final String SIGNATURE_HEADER = "Tollgate-Signature";
    static final String REVISION_HEADER = "Tollgate-Revision";
    /** How a revision URL may be cached: by anyone, for a year, never revalidated (RFC 8246). */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private static final int GZIP_MIN_BYTES = 1_024;
    /** The default and largest {@code limit} of {@code GET /v1/usage}. */
    static final int MAX_USAGE_ROWS = 10_000;

    private final SnapshotCache snapshots;
    private final SnapshotSigning signing;
    private final StreamHub streams;
    private final UsageStore usage;
    private final MeterStore meters;
    private final MeterEvents meterEvents;
    private final SdkClients clients;
    private final ServerMetrics metrics;
    private final int maxLogBodyBytes;

    SdkApi(
            SnapshotCache snapshots,
            SnapshotSigning signing,
            StreamHub streams,
            UsageStore usage,
            MeterStore meters,
            MeterEvents meterEvents,
            SdkClients clients,
            ServerMetrics metrics,
            int maxLogBodyBytes) {
        this.snapshots = snapshots;
        this.signing = signing;
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
        router.add("GET", "/v1/snapshot/latest", Router.Access.SDK, this::latest);
        router.add("GET", "/v1/environments/{env}/snapshots/{revision}", Router.Access.SDK, this::revision);
        router.add("GET", "/v1/stream", Router.Access.SDK, this::stream);
        router.add("POST", "/v1/logs", Router.Access.SDK, this::logs);
        router.add("GET", "/v1/usage", Router.Access.SDK, this::usage);
    }

    /**
     * The environment's current snapshot: the exact stored bytes (gzip-encoded when accepted), a strong ETag of the
     * revision, 304 when {@code If-None-Match} names it, revalidated on every use by any cache.
     */
    private void snapshot(Call call) throws IOException {
        call.setHeader("Cache-Control", "no-cache");
        call.setHeader("Vary", "Authorization, Accept-Encoding");
        String environment = environment(call);
        SnapshotCache.Served served = snapshots.get(environment);
        signing.checkServable(environment, served);
        send(call, served);
    }

    /**
     * {@code GET /v1/environments/{env}/snapshots/{revision}}: one revision, the same bytes forever, cacheable by anyone
     * for a year. The token must be of that environment. Errors (an unknown revision, one not published yet) are {@code
     * no-store}, so that a cache asks again.
     */
    private void revision(Call call) throws IOException {
        call.setHeader("Cache-Control", "no-store");
        String environment = call.param("env");
        checkEnvironment(call, environment);
        String text = call.param("revision");
        long revision = text.chars().allMatch(Character::isDigit) && text.length() <= 18 ? Long.parseLong(text) : 0;
        if (revision <= 0) {
            throw ApiException.badRequest(
                    "the revision in " + call.rawPath() + " must be a positive integer, was \"" + text + "\"");
        }
        SnapshotCache.Served served = snapshots.atRevision(environment, revision);
        signing.checkServable(environment, served);
        call.setHeader("Cache-Control", IMMUTABLE);
        call.setHeader("Vary", "Accept-Encoding");
        send(call, served);
    }

    /** The snapshot's headers, then 304 when {@code If-None-Match} names it, else its bytes (gzipped when accepted). */
    private static void send(Call call, SnapshotCache.Served served) throws IOException {
        call.setHeader("ETag", served.etag());
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

    /**
     * {@code GET /v1/snapshot/latest}: the environment's current revision, where to fetch it, and what its signature
     * must be: {@code {"environment": "production", "revision": 12, "path":
     * "v1/environments/production/snapshots/12", "etag": "\"12-9f86d081884c7d65\"", "signatureRequired": false,
     * "publicKey": "..."}} ({@code path} is relative to the base URL; {@code publicKey} only when this server signs).
     * Never cached: it is what a caching proxy asks to check a caller's token.
     */
    private void latest(Call call) throws IOException {
        call.setHeader("Cache-Control", "no-store");
        call.setHeader("Vary", "Authorization");
        String environment = environment(call);
        SnapshotCache.Served served = snapshots.get(environment);
        signing.checkServable(environment, served);
        ObjectNode body = Json.object();
        body.put("environment", environment);
        body.put("revision", served.revision());
        body.put("path", revisionPath(environment, served.revision()));
        body.put("etag", served.etag());
        body.put("signatureRequired", signing.required(environment));
        if (signing.signs()) {
            body.put("publicKey", signing.publicKey());
        }
        call.json(200, body);
    }

    /** Where revision {@code revision} of {@code environment} is served, relative to the base URL. */
    static String revisionPath(String environment, long revision) {
        return "v1/environments" + ProposedEdit.pathOf(environment) + "/snapshots/" + revision;
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
        String asked = call.query("environment", null);
        if (asked != null) {
            checkEnvironment(call, asked);
        }
        clients.record(call.principal(), call.header("Tollgate-Schema-Hash"), call.header("User-Agent"));
        return call.principal().environment();
    }

    /** Refuses (403) an SDK token of another environment than {@code asked}. */
    private static void checkEnvironment(Call call, String asked) {
        String own = call.principal().environment();
        if (!asked.equals(own)) {
            throw new ApiException(
                    403, "forbidden", "this SDK token reads environment \"" + own + "\", not \"" + asked + "\"");
        }
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
