package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The admin API under {@code /v1/admin}: schema, environments, logic (whole, per field, per override row, per segment
 * and member), history, diff, restore, explain, usage, audit and tokens. Documented in {@code docs/server-openapi.json}.
 *
 * <p>Writes to logic and schema need {@code If-Match} with the revision (schema version) they were based on: 428 without
 * it, 409 when it is stale. A change message comes from the {@code Tollgate-Message} header or a body's {@code
 * message}.
 */
final class AdminApi {
    private static final String ENV = "/v1/admin/environments/{env}";
    private static final int MAX_MESSAGE = 2_000;

    private final LogicStore store;
    private final Tokens tokens;
    private final AuditLog audit;
    private final UsageStore usage;
    private final Explainer explainer;
    private final Clock clock;
    private final int maxBodyBytes;

    AdminApi(
            LogicStore store,
            Tokens tokens,
            AuditLog audit,
            UsageStore usage,
            Explainer explainer,
            Clock clock,
            int maxBodyBytes) {
        this.store = store;
        this.tokens = tokens;
        this.audit = audit;
        this.usage = usage;
        this.explainer = explainer;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Router r) {
        r.add("GET", "/v1/admin/openapi.json", Router.Access.PUBLIC, this::openapi);
        r.add("GET", "/v1/admin/me", Router.Access.VIEWER, this::me);
        r.add("GET", "/v1/admin/schema", Router.Access.VIEWER, this::getSchema);
        r.add("PUT", "/v1/admin/schema", Router.Access.ADMIN, this::putSchema);
        r.add("GET", "/v1/admin/schema/versions", Router.Access.VIEWER, this::schemaVersions);
        r.add("GET", "/v1/admin/environments", Router.Access.VIEWER, this::environments);
        r.add("POST", "/v1/admin/environments", Router.Access.ADMIN, this::createEnvironment);
        r.add("GET", ENV, Router.Access.VIEWER, this::environment);
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
        r.add("GET", ENV + "/usage", Router.Access.VIEWER, this::usage);
        r.add("GET", ENV + "/exposures", Router.Access.VIEWER, this::exposures);
        r.add("GET", ENV + "/messages", Router.Access.VIEWER, this::messages);
        r.add("GET", "/v1/admin/audit", Router.Access.ADMIN, this::audit);
        r.add("GET", "/v1/admin/tokens", Router.Access.ADMIN, this::listTokens);
        r.add("POST", "/v1/admin/tokens", Router.Access.ADMIN, this::createToken);
        r.add("DELETE", "/v1/admin/tokens/{id}", Router.Access.ADMIN, this::revokeToken);
    }

    // ---- helpers ----

    /** The revision named by {@code If-Match}: {@code "7"}, {@code W/"7"} or {@code 7}; 428 when absent. */
    static long ifMatch(Call call) {
        String header = call.header("If-Match");
        if (header == null || header.isBlank()) {
            throw new ApiException(
                    428,
                    "precondition_required",
                    "send If-Match with the revision your change is based on (the ETag of the resource you read)");
        }
        String tag = header.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        try {
            long revision = Long.parseLong(tag);
            if (revision < 0) {
                throw new NumberFormatException();
            }
            return revision;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("If-Match must be a revision such as \"7\", was " + header);
        }
    }

    private static String message(Call call, JsonNode body) {
        String message = body != null && body.path("message").isTextual()
                ? body.get("message").asText()
                : null;
        if (message == null) {
            String header = call.header("Tollgate-Message");
            message = header == null ? "" : Call.decode(header);
        }
        if (message.length() > MAX_MESSAGE) {
            throw ApiException.badRequest("the change message is longer than " + MAX_MESSAGE + " characters");
        }
        return message;
    }

    private static LogicStore.Change change(Call call, JsonNode body) {
        return new LogicStore.Change(call.principal(), call.clientAddress(), message(call, body));
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

    private JsonNode object(Call call) throws IOException {
        JsonNode body = call.json(maxBodyBytes);
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return body;
    }

    /** A body that is either the resource itself or {@code {"<key>": resource, "message": "..."}}. */
    private static JsonNode unwrap(JsonNode body, String key) {
        JsonNode wrapped = body.get(key);
        return wrapped != null && body.size() <= 2 && (body.size() == 1 || body.has("message")) ? wrapped : body;
    }

    // ---- handlers ----

    private void openapi(Call call) throws IOException {
        try (InputStream in = AdminApi.class.getResourceAsStream("server-openapi.json")) {
            if (in == null) {
                throw ApiException.notFound("the OpenAPI document is not packaged");
            }
            call.bytes(200, "application/json", in.readAllBytes());
        }
    }

    private void me(Call call) throws IOException {
        ObjectNode me = Json.object();
        me.put("tokenId", call.principal().tokenId());
        me.put("name", call.principal().name());
        me.put("role", call.principal().role().wireName());
        call.json(200, me);
    }

    private void getSchema(Call call) throws IOException {
        LogicStore.SchemaVersion schema = store.db().read(store::currentSchema);
        if (schema == null) {
            throw new ApiException(404, "no_schema", "no schema has been uploaded yet");
        }
        call.setHeader("ETag", SnapshotCache.etag(schema.version()));
        call.json(200, describe(schema, true));
    }

    private static ObjectNode describe(LogicStore.SchemaVersion schema, boolean withSdl) {
        ObjectNode node = Json.object();
        node.put("version", schema.version());
        node.put("hash", schema.hash());
        node.put("author", schema.author());
        node.put("message", schema.message());
        node.put("createdAt", schema.createdAt().toString());
        if (withSdl) {
            node.put("sdl", schema.sdl());
        }
        return node;
    }

    /** The body is the SDL text, or JSON {@code {"sdl": "...", "message": "..."}}. */
    private void putSchema(Call call) throws IOException {
        long ifMatch = ifMatch(call);
        byte[] bytes = call.body(maxBodyBytes);
        String type = call.header("Content-Type");
        String sdl;
        JsonNode body = null;
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            body = Json.parse(bytes);
            if (!body.path("sdl").isTextual()) {
                throw ApiException.badRequest("a JSON schema upload is {\"sdl\": \"...\", \"message\": \"...\"}");
            }
            sdl = body.get("sdl").asText();
        } else {
            sdl = new String(bytes, StandardCharsets.UTF_8);
        }
        LogicStore.SchemaVersion stored = store.putSchema(change(call, body), ifMatch, sdl);
        call.setHeader("ETag", SnapshotCache.etag(stored.version()));
        call.json(200, describe(stored, false));
    }

    private void schemaVersions(Call call) throws IOException {
        ObjectNode body = Json.object();
        body.set("versions", store.db().read(store::schemaVersions));
        call.json(200, body);
    }

    private void environments(Call call) throws IOException {
        ArrayNode list = Json.array();
        store.db().read(store::environments).forEach(env -> list.add(describe(env)));
        ObjectNode body = Json.object();
        body.set("environments", list);
        call.json(200, body);
    }

    private static ObjectNode describe(LogicStore.Environment env) {
        ObjectNode node = Json.object();
        node.put("name", env.name());
        node.put("revision", env.revision());
        node.put("createdAt", env.createdAt().toString());
        return node;
    }

    private void createEnvironment(Call call) throws IOException {
        JsonNode body = object(call);
        if (!body.path("name").isTextual()) {
            throw ApiException.badRequest("an environment is created with {\"name\": \"staging\"}");
        }
        LogicStore.Environment env =
                store.createEnvironment(change(call, body), body.get("name").asText());
        call.json(201, describe(env));
    }

    private void environment(Call call) throws IOException {
        call.json(200, describe(store.db().read(c -> store.environment(c, call.param("env")))));
    }

    private void getLogic(Call call) throws IOException {
        LogicStore.Revision current = store.db().read(c -> store.current(c, call.param("env")));
        call.setHeader("ETag", SnapshotCache.etag(current.revision()));
        call.bytes(200, "application/json", current.document().getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces the whole logic with a snapshot document; its format, revision and schemaHash are set by the server. */
    private void putLogic(Call call) throws IOException {
        long ifMatch = ifMatch(call);
        JsonNode body = object(call);
        LogicStore.Revision revision = store.change(
                change(call, null),
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
        long ifMatch = ifMatch(call);
        String path = fieldPath(call, store);
        JsonNode body = object(call);
        JsonNode logic = unwrap(body, "logic");
        LogicStore.Revision revision = store.change(
                change(call, logic == body ? null : body), call.param("env"), ifMatch, "field.put", path, doc -> {
                    LogicEdits.putField(doc, path, logic);
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void deleteField(Call call) throws IOException {
        long ifMatch = ifMatch(call);
        String path = fieldPath(call, store);
        LogicStore.Revision revision =
                store.change(change(call, null), call.param("env"), ifMatch, "field.delete", path, doc -> {
                    LogicEdits.deleteField(doc, path);
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    /** {@code {"value": 50, "message": "trial"}}. */
    private void setOverride(Call call) throws IOException {
        long ifMatch = ifMatch(call);
        String path = fieldPath(call, store);
        JsonNode body = object(call);
        if (!body.has("value")) {
            throw ApiException.badRequest("an override is set with {\"value\": ..., \"message\": \"...\"}");
        }
        String attribute = call.param("attribute");
        String key = call.param("key");
        LogicStore.Revision revision = store.change(
                change(call, body),
                call.param("env"),
                ifMatch,
                "override.set",
                path + " " + attribute + "=" + key + " -> " + Json.compact(body.get("value")),
                doc -> {
                    LogicEdits.setOverride(doc, path, attribute, key, body.get("value"));
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void clearOverride(Call call) throws IOException {
        long ifMatch = ifMatch(call);
        String path = fieldPath(call, store);
        String attribute = call.param("attribute");
        String key = call.param("key");
        LogicStore.Revision revision = store.change(
                change(call, null),
                call.param("env"),
                ifMatch,
                "override.clear",
                path + " " + attribute + "=" + key,
                doc -> {
                    LogicEdits.clearOverride(doc, path, attribute, key);
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
        long ifMatch = ifMatch(call);
        String name = call.param("name");
        JsonNode body = object(call);
        JsonNode segment = unwrap(body, "segment");
        LogicStore.Revision revision = store.change(
                change(call, segment == body ? null : body), call.param("env"), ifMatch, "segment.put", name, doc -> {
                    LogicEdits.putSegment(doc, name, segment);
                    return doc;
                });
        revisionResponse(call, 200, revision);
    }

    private void deleteSegment(Call call) throws IOException {
        long ifMatch = ifMatch(call);
        String name = call.param("name");
        LogicStore.Revision revision =
                store.change(change(call, null), call.param("env"), ifMatch, "segment.delete", name, doc -> {
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
        long ifMatch = ifMatch(call);
        String name = call.param("name");
        String key = call.param("key");
        LogicStore.Revision revision = store.change(
                change(call, null),
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
        long ifMatch = ifMatch(call);
        long number = revisionParam(call);
        byte[] raw = call.body(maxBodyBytes);
        JsonNode body = raw.length == 0 ? null : Json.parse(raw);
        revisionResponse(call, 200, store.restore(change(call, body), call.param("env"), ifMatch, number));
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
        JsonNode request = object(call);
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

    private Instant instantParam(Call call, String name, Instant fallback) {
        String text = call.query(name, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    /** Counts in {@code [from, to)}, by default the last 24 hours; {@code granularity=hour} keeps hours apart. */
    private void usage(Call call) throws IOException {
        Instant to = instantParam(
                call, "to", clock.instant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
        Instant from = instantParam(call, "from", to.minus(24, ChronoUnit.HOURS));
        String granularity = call.query("granularity", "total");
        if (!granularity.equals("total") && !granularity.equals("hour")) {
            throw ApiException.badRequest("granularity must be total or hour");
        }
        String field = call.query("field", null);
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            ObjectNode result = Json.object();
            result.put("environment", env.name());
            result.put("from", from.toString());
            result.put("to", to.toString());
            result.put("granularity", granularity);
            result.set("counts", usage.usage(c, env.id(), from, to, field, granularity.equals("hour")));
            return result;
        });
        call.json(200, body);
    }

    private void exposures(Call call) throws IOException {
        Instant to = instantParam(
                call, "to", clock.instant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
        Instant from = instantParam(call, "from", to.minus(24, ChronoUnit.HOURS));
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            ObjectNode result = Json.object();
            result.put("environment", env.name());
            result.put("from", from.toString());
            result.put("to", to.toString());
            result.set("exposures", usage.exposures(c, env.id(), from, to));
            return result;
        });
        call.json(200, body);
    }

    private void messages(Call call) throws IOException {
        int limit = (int) Math.min(1_000, Math.max(1, call.queryLong("limit", 100)));
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            ObjectNode result = Json.object();
            result.set("messages", usage.messages(c, env.id(), limit));
            return result;
        });
        call.json(200, body);
    }

    private void audit(Call call) throws IOException {
        int limit = (int) Math.min(1_000, Math.max(1, call.queryLong("limit", 100)));
        long before = call.queryLong("before", Long.MAX_VALUE);
        String env = call.query("environment", null);
        ObjectNode body = Json.object();
        body.set("entries", store.db().read(c -> audit.list(c, env, before, limit)));
        call.json(200, body);
    }

    private void listTokens(Call call) throws IOException {
        ObjectNode body = Json.object();
        body.set("tokens", store.db().read(tokens::list));
        call.json(200, body);
    }

    /**
     * {@code {"name": "checkout-service", "kind": "sdk", "environment": "production"}} or {@code {"name": "alice",
     * "kind": "admin", "role": "editor"}}; the answer carries the secret, shown only here.
     */
    private void createToken(Call call) throws IOException {
        JsonNode body = object(call);
        String name = body.path("name").asText("");
        if (name.isBlank() || name.length() > 200) {
            throw ApiException.badRequest("a token needs a \"name\" of 1 to 200 characters");
        }
        String kind = body.path("kind").asText("");
        if (!kind.equals("sdk") && !kind.equals("admin")) {
            throw ApiException.badRequest("\"kind\" must be \"sdk\" or \"admin\"");
        }
        boolean sdk = kind.equals("sdk");
        Role role = sdk ? null : Role.parse(body.path("role").asText(""));
        if (sdk && !body.path("environment").isTextual()) {
            throw ApiException.badRequest("an SDK token needs the \"environment\" it may read");
        }
        if (sdk && body.has("role")) {
            throw ApiException.badRequest("SDK tokens have no role: they can only read one environment");
        }
        String secret = Tokens.newSecret(sdk);
        ObjectNode token = store.db().transaction(c -> {
            Long envId =
                    sdk ? store.environment(c, body.get("environment").asText()).id() : null;
            ObjectNode created =
                    tokens.create(c, secret, name, role, envId, call.principal().author());
            audit.record(
                    c,
                    call.principal(),
                    call.clientAddress(),
                    "token.create",
                    sdk ? body.get("environment").asText() : null,
                    "token " + created.get("id").asLong() + " (" + name + ", " + kind
                            + (sdk ? "" : ", " + role.wireName()) + ")",
                    null);
            return created;
        });
        call.json(201, token);
    }

    private void revokeToken(Call call) throws IOException {
        long id;
        try {
            id = Long.parseLong(call.param("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no token " + call.param("id"));
        }
        ObjectNode token = store.db().transaction(c -> {
            if (tokens.revoke(c, id)) {
                audit.record(c, call.principal(), call.clientAddress(), "token.revoke", null, "token " + id, null);
            }
            return tokens.describe(c, id);
        });
        call.json(200, token);
    }
}
