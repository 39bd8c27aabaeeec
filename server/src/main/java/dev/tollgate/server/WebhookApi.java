package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Webhooks in the admin API, under {@code /v1/admin/environments/{env}/webhooks}: endpoints (admins create, change,
 * rotate the secret of and delete them; viewers list them, never with a secret), their deliveries with the last
 * attempts (viewers), a redelivery and a test event (admins). Every write is audited ({@code webhook.create}, {@code
 * webhook.update}, {@code webhook.rotate}, {@code webhook.delete}, {@code webhook.redeliver}, {@code webhook.ping}).
 */
final class WebhookApi {
    private static final String HOOKS = "/v1/admin/environments/{env}/webhooks";
    private static final String HOOK = HOOKS + "/{id}";
    static final int DEFAULT_DELIVERIES = 20;
    static final int MAX_DELIVERIES = 200;
    /** How many of each delivery's attempts the list shows. */
    static final int SHOWN_ATTEMPTS = 5;

    private final LogicStore store;
    private final WebhookOutbox outbox;
    private final AuditLog audit;
    private final int maxBodyBytes;

    WebhookApi(LogicStore store, WebhookOutbox outbox, AuditLog audit, int maxBodyBytes) {
        this.store = store;
        this.outbox = outbox;
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Router r) {
        r.add("GET", HOOKS, Router.Access.VIEWER, this::list);
        r.add("POST", HOOKS, Router.Access.ADMIN, this::create);
        r.add("GET", HOOK, Router.Access.VIEWER, this::get);
        r.add("PATCH", HOOK, Router.Access.ADMIN, this::update);
        r.add("DELETE", HOOK, Router.Access.ADMIN, this::delete);
        r.add("POST", HOOK + "/rotate-secret", Router.Access.ADMIN, this::rotate);
        r.add("POST", HOOK + "/ping", Router.Access.ADMIN, this::ping);
        r.add("GET", HOOK + "/deliveries", Router.Access.VIEWER, this::deliveries);
        r.add("POST", HOOK + "/deliveries/{delivery}/redeliver", Router.Access.ADMIN, this::redeliver);
    }

    private static long id(Call call, String name, String what) {
        try {
            return Long.parseLong(call.param(name));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no " + what + " \"" + call.param(name) + "\"");
        }
    }

    /** The endpoint the path names, in the environment it names; 404 otherwise. */
    private static WebhookEndpoints.Endpoint endpoint(Connection c, Call call) throws SQLException {
        return WebhookEndpoints.find(c, call.param("env"), id(call, "id", "webhook endpoint"));
    }

    private static String target(WebhookEndpoints.Endpoint endpoint) {
        return "webhook " + endpoint.id() + " (" + endpoint.url() + ")";
    }

    private void record(Connection c, Call call, String action, WebhookEndpoints.Endpoint endpoint, String detail)
            throws SQLException {
        audit.record(
                c, call.principal(), call.clientAddress(), action, endpoint.environment(), target(endpoint), detail);
    }

    private void list(Call call) throws IOException {
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            ObjectNode result = Json.object();
            result.put("environment", env.name());
            result.set("webhooks", WebhookEndpoints.list(c, env.id()));
            return result;
        });
        call.json(200, body);
    }

    /**
     * {@code {"url": "https://...", "events": ["override.set"], "description": "billing"}}: 201 with the endpoint and
     * its {@code secret}, shown only here.
     */
    private void create(Call call) throws IOException {
        JsonNode body = Requests.object(call, maxBodyBytes);
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("url", "events", "description").contains(name)) {
                throw ApiException.badRequest(
                        "unknown key \"" + name + "\" in a webhook endpoint; the keys are url, events and description");
            }
        }
        String url = WebhookEndpoints.url(body);
        Set<String> events = WebhookEndpoints.events(body);
        String description = WebhookEndpoints.description(body);
        ObjectNode created = store.db().transaction(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            ObjectNode endpoint = WebhookEndpoints.create(
                    c, env.id(), url, description, events, call.principal().author(), outbox.now());
            record(
                    c,
                    call,
                    "webhook.create",
                    WebhookEndpoints.byId(c, endpoint.get("id").asLong()),
                    "events " + String.join(", ", events));
            return endpoint;
        });
        call.setHeader(
                "Location",
                "/v1/admin/environments/" + created.get("environment").asText() + "/webhooks/"
                        + created.get("id").asLong());
        call.json(201, created);
    }

    private void get(Call call) throws IOException {
        call.json(
                200,
                store.db()
                        .read(c ->
                                WebhookEndpoints.describe(c, endpoint(c, call).id())));
    }

    /** Any of {@code url}, {@code events}, {@code description}, {@code enabled}; answers the endpoint. */
    private void update(Call call) throws IOException {
        JsonNode body = Requests.object(call, maxBodyBytes);
        if (body.isEmpty()) {
            throw ApiException.badRequest("give at least one of url, events, description and enabled");
        }
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("url", "events", "description", "enabled").contains(name)) {
                throw ApiException.badRequest("unknown key \"" + name
                        + "\" in a webhook endpoint change; the keys are url, events, description and enabled");
            }
        }
        ObjectNode updated = store.db().transaction(c -> {
            WebhookEndpoints.Endpoint endpoint = endpoint(c, call);
            WebhookEndpoints.update(c, endpoint.id(), body, outbox.now());
            record(c, call, "webhook.update", WebhookEndpoints.byId(c, endpoint.id()), Json.compact(body));
            return WebhookEndpoints.describe(c, endpoint.id());
        });
        call.json(200, updated);
    }

    private void delete(Call call) throws IOException {
        store.db().transaction(c -> {
            WebhookEndpoints.Endpoint endpoint = endpoint(c, call);
            WebhookEndpoints.delete(c, endpoint.id());
            record(c, call, "webhook.delete", endpoint, null);
            return null;
        });
        call.empty(204);
    }

    /** A new secret, answered once; the old one signs too for 24 hours (see {@link WebhookEndpoints#ROTATION_GRACE}). */
    private void rotate(Call call) throws IOException {
        ObjectNode body = store.db().transaction(c -> {
            WebhookEndpoints.Endpoint endpoint = endpoint(c, call);
            String secret = WebhookEndpoints.rotate(c, endpoint.id(), outbox.now());
            record(c, call, "webhook.rotate", endpoint, null);
            ObjectNode result = WebhookEndpoints.describe(c, endpoint.id());
            result.put("secret", secret);
            return result;
        });
        call.json(200, body);
    }

    /** Sends a {@code ping} event to this endpoint alone, enabled or not subscribed; 202 with the delivery. */
    private void ping(Call call) throws IOException {
        ObjectNode body = store.db().transaction(c -> {
            WebhookEndpoints.Endpoint endpoint = endpoint(c, call);
            if (!endpoint.enabled()) {
                throw ApiException.conflict("webhook endpoint " + endpoint.id() + " is disabled; enable it first");
            }
            ObjectNode data = Json.object();
            data.put("webhook", endpoint.id());
            data.put("sentBy", call.principal().author());
            String eventId = WebhookOutbox.newEventId();
            ObjectNode event = outbox.event(eventId, WebhookEndpoints.PING, endpoint.environment(), data);
            long delivery = outbox.insert(c, endpoint.id(), eventId, WebhookEndpoints.PING, Json.compact(event));
            record(c, call, "webhook.ping", endpoint, eventId);
            ObjectNode result = Json.object();
            result.put("delivery", delivery);
            result.put("eventId", eventId);
            return result;
        });
        outbox.wakeSender();
        call.json(202, body);
    }

    /** {@code ?limit=20&before=<delivery id>}: the newest deliveries first, each with its last five attempts. */
    private void deliveries(Call call) throws IOException {
        long limit = call.queryLong("limit", DEFAULT_DELIVERIES);
        if (limit < 1 || limit > MAX_DELIVERIES) {
            throw ApiException.badRequest("limit must be 1 to " + MAX_DELIVERIES + ", was " + limit);
        }
        long before = call.queryLong("before", Long.MAX_VALUE);
        ObjectNode body = store.db().read(c -> {
            WebhookEndpoints.Endpoint endpoint = endpoint(c, call);
            ObjectNode result = Json.object();
            result.put("webhook", endpoint.id());
            result.set("deliveries", outbox.deliveries(c, endpoint.id(), before, (int) limit, SHOWN_ATTEMPTS));
            return result;
        });
        call.json(200, body);
    }

    private void redeliver(Call call) throws IOException {
        long delivery = id(call, "delivery", "delivery");
        store.db().transaction(c -> {
            WebhookEndpoints.Endpoint endpoint = endpoint(c, call);
            outbox.redeliver(c, endpoint.id(), delivery);
            record(c, call, "webhook.redeliver", endpoint, "delivery " + delivery);
            return null;
        });
        outbox.wakeSender();
        ObjectNode body = Json.object();
        body.put("delivery", delivery);
        body.put("status", "pending");
        call.json(202, body);
    }
}
