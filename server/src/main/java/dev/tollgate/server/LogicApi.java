package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The logic part of the admin API, under {@code /v1/admin/environments/{env}}: the whole document, one field, one
 * override row, one segment or member; history, diff and restore; explain. Every write names the revision it is based
 * on in {@code If-Match} (428 without, 409 when stale) and answers the new revision with its {@code ETag}.
 */
final class LogicApi {
    private static final String ENV = "/v1/admin/environments/{env}";

    private static final Set<String> OVERRIDE_BODY_KEYS = Set.of("value", "from", "until", "allowPastUntil", "message");
    private static final int MAX_EXPIRING_DAYS = 366;

    private final LogicStore store;
    private final Explainer explainer;
    private final Clock clock;
    private final int maxBodyBytes;

    LogicApi(LogicStore store, Explainer explainer, Clock clock, int maxBodyBytes) {
        this.store = store;
        this.explainer = explainer;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Router r) {
        r.add("GET", ENV + "/logic", Router.Access.VIEWER, this::getLogic);
        r.add("PUT", ENV + "/logic", Router.Access.ADMIN, this::putLogic);
        r.add("GET", ENV + "/fields/{path}", Router.Access.VIEWER, this::getField);
        r.add("PUT", ENV + "/fields/{path}", Router.Access.ADMIN, this::putField);
        r.add("DELETE", ENV + "/fields/{path}", Router.Access.ADMIN, this::deleteField);
        r.add("PUT", ENV + "/fields/{path}/overrides/{attribute}/{key}", Router.Access.EDITOR, this::setOverride);
        r.add("DELETE", ENV + "/fields/{path}/overrides/{attribute}/{key}", Router.Access.EDITOR, this::clearOverride);
        r.add("GET", ENV + "/segments/{name}", Router.Access.VIEWER, this::getSegment);
        r.add("PUT", ENV + "/segments/{name}", Router.Access.ADMIN, this::putSegment);
        r.add("DELETE", ENV + "/segments/{name}", Router.Access.ADMIN, this::deleteSegment);
        r.add("PUT", ENV + "/segments/{name}/members/{key}", Router.Access.EDITOR, this::addMember);
        r.add("DELETE", ENV + "/segments/{name}/members/{key}", Router.Access.EDITOR, this::removeMember);
        r.add("GET", ENV + "/revisions", Router.Access.VIEWER, this::revisions);
        r.add("GET", ENV + "/revisions/{revision}", Router.Access.VIEWER, this::revision);
        r.add("POST", ENV + "/revisions/{revision}/restore", Router.Access.ADMIN, this::restore);
        r.add("GET", ENV + "/diff", Router.Access.VIEWER, this::diff);
        r.add("POST", ENV + "/explain", Router.Access.VIEWER, this::explain);
        r.add("GET", ENV + "/expiring", Router.Access.VIEWER, this::expiring);
    }

    private static void revisionResponse(Call call, int status, LogicStore.Revision revision) throws IOException {
        call.setHeader("ETag", SnapshotCache.etag(revision.revision()));
        call.json(status, revision.describe());
    }

    private ObjectNode currentDocument(Call call) {
        return store.db().read(c -> store.currentDocument(c, call.param("env")));
    }

    private static String fieldPath(Call call, LogicStore store) {
        String path = call.param("path");
        LogicStore.SchemaVersion schema = store.db().read(store::currentSchema);
        if (schema != null && schema.schema().field(path).isEmpty()) {
            throw ApiException.notFound("the schema has no field " + path);
        }
        return path;
    }

    private void getLogic(Call call) throws IOException {
        LogicStore.Revision current = store.db().read(c -> store.current(c, call.param("env")));
        call.setHeader("ETag", SnapshotCache.etag(current.revision()));
        call.bytes(200, "application/json", current.document().getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces the whole logic with a snapshot document; its format, revision and schemaHash are set by the server. */
    private void putLogic(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        JsonNode body = Requests.object(call, maxBodyBytes);
        LogicStore.Revision revision = store.change(
                Requests.change(call, null),
                call.param("env"),
                ifMatch,
                "logic.put",
                "all logic",
                doc -> LogicEdits.replaceAll(doc, body));
        revisionResponse(call, 200, revision);
    }

    private void getField(Call call) throws IOException {
        String path = fieldPath(call, store);
        JsonNode logic = LogicEdits.fields(currentDocument(call)).get(path);
        if (logic == null) {
            throw ApiException.notFound("field " + path + " has no logic");
        }
        call.json(200, logic);
    }

    /** The body is the field's logic, or {@code {"logic": {...}, "message": "..."}}. */
    private void putField(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        String path = fieldPath(call, store);
        JsonNode body = Requests.object(call, maxBodyBytes);
        JsonNode logic = Requests.unwrap(body, "logic");
        LogicStore.Revision revision = store.change(
                Requests.change(call, logic == body ? null : body),
                call.param("env"),
                ifMatch,
                "field.put",
                path,
                doc -> {
                    LogicEdits.putField(doc, path, logic);
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void deleteField(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        String path = fieldPath(call, store);
        LogicStore.Revision revision =
                store.change(Requests.change(call, null), call.param("env"), ifMatch, "field.delete", path, doc -> {
                    LogicEdits.deleteField(doc, path);
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    /** Whether the caller has the admin role: only admins create override tables (and drop them with the last row). */
    private static boolean isAdmin(Call call) {
        Principal principal = call.principal();
        return principal != null && principal.role() != null && principal.role().includes(Role.ADMIN);
    }

    /**
     * {@code {"value": 50, "until": "2026-12-20T00:00:00Z", "from": "...", "allowPastUntil": false, "message":
     * "trial"}}: {@code from}, {@code until} and {@code allowPastUntil} are optional (see {@link GrantWindow#fromBody}).
     * Editors set rows of the field's existing override tables only; a new table (keyed by any attribute) needs the
     * admin role.
     */
    private void setOverride(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        String path = fieldPath(call, store);
        JsonNode body = Requests.object(call, maxBodyBytes);
        checkOverrideBody(body);
        GrantWindow window = GrantWindow.fromBody(body, clock.instant());
        String attribute = call.param("attribute");
        String key = call.param("key");
        LogicStore.Revision revision = store.change(
                Requests.change(call, body),
                call.param("env"),
                ifMatch,
                "override.set",
                WindowedRows.Row.target(path, attribute, key) + " -> " + Json.compact(body.get("value"))
                        + window.describe(),
                doc -> {
                    LogicEdits.setOverride(doc, path, attribute, key, body.get("value"), window, isAdmin(call));
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private static void checkOverrideBody(JsonNode body) {
        if (!body.has("value")) {
            throw ApiException.badRequest("an override is set with {\"value\": ..., \"message\": \"...\"}");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!OVERRIDE_BODY_KEYS.contains(name)) {
                throw ApiException.badRequest("unknown key \"" + name + "\" in the override; the keys are value, from,"
                        + " until, allowPastUntil and message");
            }
        });
    }

    private void clearOverride(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        String path = fieldPath(call, store);
        String attribute = call.param("attribute");
        String key = call.param("key");
        LogicStore.Revision revision = store.change(
                Requests.change(call, null),
                call.param("env"),
                ifMatch,
                "override.clear",
                WindowedRows.Row.target(path, attribute, key),
                doc -> {
                    LogicEdits.clearOverride(doc, path, attribute, key, isAdmin(call));
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void getSegment(Call call) throws IOException {
        JsonNode segment = LogicEdits.segments(currentDocument(call)).get(call.param("name"));
        if (segment == null) {
            throw ApiException.notFound("no segment \"" + call.param("name") + "\"");
        }
        call.json(200, segment);
    }

    /** The body is the segment, or {@code {"segment": {...}, "message": "..."}}. */
    private void putSegment(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        String name = call.param("name");
        JsonNode body = Requests.object(call, maxBodyBytes);
        JsonNode segment = Requests.unwrap(body, "segment");
        LogicStore.Revision revision = store.change(
                Requests.change(call, segment == body ? null : body),
                call.param("env"),
                ifMatch,
                "segment.put",
                name,
                doc -> {
                    LogicEdits.putSegment(doc, name, segment);
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void deleteSegment(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        String name = call.param("name");
        LogicStore.Revision revision =
                store.change(Requests.change(call, null), call.param("env"), ifMatch, "segment.delete", name, doc -> {
                    LogicEdits.deleteSegment(doc, name);
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void addMember(Call call) throws IOException {
        member(call, true);
    }

    private void removeMember(Call call) throws IOException {
        member(call, false);
    }

    private void member(Call call, boolean add) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        String name = call.param("name");
        String key = call.param("key");
        LogicStore.Revision revision = store.change(
                Requests.change(call, null),
                call.param("env"),
                ifMatch,
                add ? "segment.member.add" : "segment.member.remove",
                name + " " + key,
                doc -> {
                    if (!LogicEdits.member(doc, name, key, add)) {
                        throw new ApiException(
                                add ? 409 : 404,
                                add ? "conflict" : "not_found",
                                "\"" + key + "\" is " + (add ? "already" : "not") + " a member of segment " + name);
                    }
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void revisions(Call call) throws IOException {
        int limit = (int) Math.min(500, Math.max(1, call.queryLong("limit", 50)));
        long before = call.queryLong("before", Long.MAX_VALUE);
        ObjectNode body = Json.object();
        body.set("revisions", store.db().read(c -> store.history(c, call.param("env"), before, limit)));
        call.json(200, body);
    }

    private long revisionParam(Call call) {
        try {
            return Long.parseLong(call.param("revision"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("a revision is a number, was \"" + call.param("revision") + "\"");
        }
    }

    private void revision(Call call) throws IOException {
        long number = revisionParam(call);
        LogicStore.Revision revision =
                store.db().read(c -> store.revision(c, store.environment(c, call.param("env")), number));
        ObjectNode body = revision.describe();
        body.set("document", Json.parseTrusted(revision.document()));
        call.json(200, body);
    }

    private void restore(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        long number = revisionParam(call);
        byte[] raw = call.body(maxBodyBytes);
        JsonNode body = raw.length == 0 ? null : Json.parse(raw);
        revisionResponse(call, 200, store.restore(Requests.change(call, body), call.param("env"), ifMatch, number));
    }

    private void diff(Call call) throws IOException {
        String env = call.param("env");
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment e = store.environment(c, env);
            long to = call.queryLong("to", e.revision());
            long from = call.queryLong("from", to - 1);
            ObjectNode result = Json.object();
            result.put("environment", env);
            result.put("from", from);
            result.put("to", to);
            ObjectNode a = from == 0
                    ? Json.object()
                    : (ObjectNode) Json.parseTrusted(store.revision(c, e, from).document());
            ObjectNode b =
                    (ObjectNode) Json.parseTrusted(store.revision(c, e, to).document());
            result.set("changes", RevisionDiff.diff(a, b));
            return result;
        });
        call.json(200, body);
    }

    /** {@code {"context": {...}, "args": {"path": {...}}, "fields": ["path"], "revision": 7}}. */
    private void explain(Call call) throws IOException {
        JsonNode request = Requests.object(call, maxBodyBytes);
        ObjectNode result = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            long number = request.path("revision").asLong(env.revision());
            if (env.revision() == 0) {
                throw new ApiException(404, "no_logic", "environment \"" + env.name() + "\" has no logic yet");
            }
            LogicStore.Revision revision = store.revision(c, env, number);
            LogicStore.SchemaVersion schema = store.schemaVersion(c, revision.schemaVersion());
            return explainer.explain(revision, schema, request);
        });
        call.json(200, result);
    }

    /**
     * The windowed override rows of the current revision whose {@code until} falls in {@code (now, now + days)}, for the
     * dashboard's Expiring view; {@code days} is 1 to 366, 14 by default. A row whose {@code until} is {@code now} has
     * lapsed ({@code until} is exclusive) and is not listed.
     */
    private void expiring(Call call) throws IOException {
        int days = daysParam(call);
        Instant now = clock.instant();
        Instant end = now.plus(days, ChronoUnit.DAYS);
        LogicStore.Revision current = store.db().read(c -> store.current(c, call.param("env")));
        ArrayNode grants = Json.array();
        for (WindowedRows.Row row : WindowedRows.of((ObjectNode) Json.parseTrusted(current.document()))) {
            if (row.until() != null && row.until().isAfter(now) && row.until().isBefore(end)) {
                grants.add(row.describe());
            }
        }
        ObjectNode body = Json.object();
        body.put("environment", current.environment());
        body.put("revision", current.revision());
        body.put("now", now.toString());
        body.put("days", days);
        body.set("grants", grants);
        call.json(200, body);
    }

    private static int daysParam(Call call) {
        String text = call.query("days", null);
        if (text == null) {
            return 14;
        }
        try {
            int days = Integer.parseInt(text);
            if (days >= 1 && days <= MAX_EXPIRING_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a number out of range
        }
        throw ApiException.badRequest(
                "days must be an integer from 1 to " + MAX_EXPIRING_DAYS + ", was \"" + text + "\"");
    }
}
