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
 * The admin API under {@code /v1/admin} apart from logic editing (see {@link LogicApi}): the OpenAPI document, the
 * caller, the schema, environments, usage, exposures, SDK messages, the audit log and tokens. Documented in {@code
 * docs/server-openapi.json}. A schema upload needs {@code If-Match} with the schema version it replaces.
 */
final class AdminApi {
    private static final String ENV = "/v1/admin/environments/{env}";

    private final LogicStore store;
    private final Tokens tokens;
    private final StreamHub streams;
    private final AuditLog audit;
    private final UsageStore usage;
    private final SdkClients clients;
    private final Clock clock;
    private final int maxBodyBytes;

    AdminApi(
            LogicStore store,
            Tokens tokens,
            StreamHub streams,
            AuditLog audit,
            UsageStore usage,
            SdkClients clients,
            Clock clock,
            int maxBodyBytes) {
        this.store = store;
        this.tokens = tokens;
        this.streams = streams;
        this.audit = audit;
        this.usage = usage;
        this.clients = clients;
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
        r.add("GET", ENV + "/usage", Router.Access.VIEWER, this::usage);
        r.add("GET", ENV + "/exposures", Router.Access.VIEWER, this::exposures);
        r.add("GET", ENV + "/messages", Router.Access.VIEWER, this::messages);
        r.add("GET", ENV + "/clients", Router.Access.VIEWER, this::clients);
        r.add("GET", "/v1/admin/audit", Router.Access.ADMIN, this::audit);
        r.add("GET", "/v1/admin/tokens", Router.Access.ADMIN, this::listTokens);
        r.add("POST", "/v1/admin/tokens", Router.Access.ADMIN, this::createToken);
        r.add("DELETE", "/v1/admin/tokens/{id}", Router.Access.ADMIN, this::revokeToken);
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
        me.put("tokenId", call.principal().auditTokenId());
        me.put("name", call.principal().name());
        me.put("role", call.principal().role().wireName());
        me.put("identity", call.principal().identity());
        call.json(200, me);
    }

    private void getSchema(Call call) throws IOException {
        LogicStore.SchemaVersion schema = store.db().read(store::currentSchema);
        if (schema == null) {
            throw new ApiException(404, "no_schema", "no schema has been uploaded yet");
        }
        call.setHeader("ETag", SnapshotCache.etag(schema.version()));
        ObjectNode body = describe(schema, true);
        body.set("contextAttributes", SchemaJson.contextAttributes(schema.schema()));
        body.set("fields", SchemaJson.fields(schema.schema()));
        call.json(200, body);
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
        long ifMatch = Requests.ifMatch(call);
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
        LogicStore.SchemaVersion stored = store.putSchema(Requests.change(call, body), ifMatch, sdl);
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
        JsonNode body = Requests.object(call, maxBodyBytes);
        if (!body.path("name").isTextual()) {
            throw ApiException.badRequest("an environment is created with {\"name\": \"staging\"}");
        }
        LogicStore.Environment env = store.createEnvironment(
                Requests.change(call, body), body.get("name").asText());
        call.json(201, describe(env));
    }

    private void environment(Call call) throws IOException {
        call.json(200, describe(store.db().read(c -> store.environment(c, call.param("env")))));
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

    /** The schemas and SDK versions that read the environment since {@code since} (default: the last 7 days). */
    private void clients(Call call) throws IOException {
        Instant since = instantParam(call, "since", clock.instant().minus(7, ChronoUnit.DAYS));
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            LogicStore.SchemaVersion schema = store.currentSchema(c);
            ObjectNode result = Json.object();
            result.put("environment", env.name());
            result.put("since", since.toString());
            result.put("currentSchemaHash", schema == null ? null : schema.hash());
            result.set("clients", clients.list(c, env.id(), since, schema == null ? null : schema.hash()));
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
        JsonNode body = Requests.object(call, maxBodyBytes);
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
        Instant expiresAt = expiresAt(body);
        String secret = Tokens.newSecret(sdk);
        ObjectNode token = store.db().transaction(c -> {
            Long envId =
                    sdk ? store.environment(c, body.get("environment").asText()).id() : null;
            ObjectNode created =
                    tokens.create(c, secret, name, role, envId, call.principal().author(), expiresAt);
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

    /** A token's optional {@code expiresAt}: an ISO-8601 instant in the future. */
    private Instant expiresAt(JsonNode body) {
        if (!body.hasNonNull("expiresAt")) {
            return null;
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(body.get("expiresAt").asText());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("\"expiresAt\" must be an ISO-8601 instant such as 2026-12-31T00:00:00Z");
        }
        if (!expiresAt.isAfter(clock.instant())) {
            throw ApiException.badRequest("\"expiresAt\" must be in the future");
        }
        return expiresAt;
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
        tokens.forgetCached(); // after the commit: a lookup during the transaction may have cached the token again
        streams.closeToken(id);
        call.json(200, token);
    }
}
