package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The logic part of the admin API, under {@code /v1/admin/environments/{env}}: the whole document, one field, one
 * override row, one segment or member; history, diff and restore; explain. Every write names the revision it is based
 * on in {@code If-Match} (428 without, 409 when stale) and answers the new revision with its {@code ETag}.
 */
final class LogicApi {
    private static final String ENV = "/v1/admin/environments/{env}";

    private static final int MAX_EXPIRING_DAYS = 366;

    private final LogicStore store;
    private final ChangeRequests requests;
    private final Explainer explainer;
    private final Clock clock;
    private final int maxBodyBytes;

    LogicApi(LogicStore store, ChangeRequests requests, Explainer explainer, Clock clock, int maxBodyBytes) {
        this.store = store;
        this.requests = requests;
        this.explainer = explainer;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Router r) {
        r.add("GET", ENV + "/logic", Router.Access.VIEWER, this::getLogic);
        r.add("PUT", ENV + "/logic", Router.Access.ADMIN, this::edit);
        r.add("GET", ENV + "/fields/{path}", Router.Access.VIEWER, this::getField);
        r.add("PUT", ENV + "/fields/{path}", Router.Access.ADMIN, this::edit);
        r.add("DELETE", ENV + "/fields/{path}", Router.Access.ADMIN, this::edit);
        r.add("PUT", ENV + "/fields/{path}/overrides/{attribute}/{key}", Router.Access.EDITOR, this::edit);
        r.add("DELETE", ENV + "/fields/{path}/overrides/{attribute}/{key}", Router.Access.EDITOR, this::edit);
        r.add("GET", ENV + "/segments/{name}", Router.Access.VIEWER, this::getSegment);
        r.add("PUT", ENV + "/segments/{name}", Router.Access.ADMIN, this::edit);
        r.add("DELETE", ENV + "/segments/{name}", Router.Access.ADMIN, this::edit);
        r.add("PUT", ENV + "/segments/{name}/members/{key}", Router.Access.EDITOR, this::edit);
        r.add("DELETE", ENV + "/segments/{name}/members/{key}", Router.Access.EDITOR, this::edit);
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
        checkField(store, path);
        return path;
    }

    private void getLogic(Call call) throws IOException {
        LogicStore.Revision current = store.db().read(c -> store.current(c, call.param("env")));
        call.setHeader("ETag", SnapshotCache.etag(current.revision()));
        call.bytes(200, "application/json", current.document().getBytes(StandardCharsets.UTF_8));
    }

    private void getField(Call call) throws IOException {
        String path = fieldPath(call, store);
        JsonNode logic = LogicEdits.fields(currentDocument(call)).get(path);
        if (logic == null) {
            throw ApiException.notFound("field " + path + " has no logic");
        }
        call.json(200, logic);
    }

    private void getSegment(Call call) throws IOException {
        JsonNode segment = LogicEdits.segments(currentDocument(call)).get(call.param("name"));
        if (segment == null) {
            throw ApiException.notFound("no segment \"" + call.param("name") + "\"");
        }
        call.json(200, segment);
    }

    /**
     * An edit of the logic: PUT of the whole logic (a snapshot document, whose format, revision and schemaHash the
     * server sets), of a field ({@code {"logic": {...}, "message": "..."}} or the logic itself), of an override row
     * ({@code {"value": 50, "until": "...", "from": "...", "allowPastUntil": false, "message": "trial"}}, see {@link
     * GrantWindow#fromBody}), of a segment or a member; DELETE of a field, a row, a segment or a member. Editors set
     * rows of the field's existing override tables only; a new table needs the admin role. In an environment that
     * requires approval the edit becomes a change request, answered 202 (see {@link ChangeRequests}).
     */
    private void edit(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        ProposedEdit edit = proposed(call);
        LogicStore.Change change = Requests.change(call, edit.messageSource());
        String env = call.param("env");
        if (requests.requiresApproval(env)) {
            ObjectNode request = requests.create(change, env, ifMatch, edit);
            call.setHeader(
                    "Location", ChangeRequestApi.location(env, request.get("id").asLong()));
            call.json(202, request);
            return;
        }
        LogicStore.Revision revision =
                store.change(change, env, ifMatch, edit.action(), edit.target(), edit.applier(isAdmin(call)));
        revisionResponse(call, 200, revision);
    }

    /** The call's edit; 404 when it names a field the schema does not have. */
    private ProposedEdit proposed(Call call) throws IOException {
        checkField(store, call.param("path"));
        String[] segments = call.rawPath().split("/", 6);
        String path = "/" + segments[5];
        boolean takesBody = call.method().equals("PUT") && !path.contains("/members/");
        JsonNode body = takesBody ? Requests.object(call, maxBodyBytes) : null;
        return ProposedEdit.of(call.method(), path, body, clock.instant());
    }

    /** Whether the caller has the admin role: only admins create override tables (and drop them with the last row). */
    private static boolean isAdmin(Call call) {
        Principal principal = call.principal();
        return principal != null && principal.role() != null && principal.role().includes(Role.ADMIN);
    }

    /** 404 when the schema has no field {@code path}; nothing for a null path. */
    static void checkField(LogicStore store, String path) {
        LogicStore.SchemaVersion schema = path == null ? null : store.db().read(store::currentSchema);
        if (schema != null && schema.schema().field(path).isEmpty()) {
            throw ApiException.notFound("the schema has no field " + path);
        }
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
            ObjectNode explained = explainer.explain(revision, schema, request);
            if (number == env.revision()) {
                whoSetTheOverrides(c, env.name(), explained);
            }
            return explained;
        });
        call.json(200, result);
    }

    /**
     * Adds {@code setBy}, {@code setAt} and {@code setMessage} to each override reason whose row was last set through
     * the override API with the value it has now (its newest {@code override.set} audit entry, with no restore or
     * replacement of the field's logic after it); a row set otherwise keeps the reason as it is.
     */
    private void whoSetTheOverrides(Connection c, String environment, ObjectNode explained) throws SQLException {
        for (JsonNode field : explained.path("fields")) {
            JsonNode reason = field.path("reason");
            if (!reason.path("kind").asText().equals("OVERRIDE") || !reason.hasNonNull("override")) {
                continue;
            }
            String path = field.path("path").asText();
            String target = path + " " + reason.path("override").asText() + " -> " + Json.compact(field.get("value"));
            AuditLog.Entry set = store.audit().latest(c, environment, "override.set", target);
            if (set == null || store.audit().replacedSince(c, environment, set.id(), path)) {
                continue;
            }
            ObjectNode annotated = (ObjectNode) reason;
            annotated.put("setBy", set.actor());
            annotated.put("setAt", set.time().toString());
            String detail = set.detail() == null ? "" : set.detail();
            int colon = detail.indexOf(": ");
            annotated.put("setMessage", colon < 0 ? "" : detail.substring(colon + 2));
        }
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
