package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;

/**
 * Change requests and the environment setting that asks for them, under {@code /v1/admin/environments/{env}}: {@code
 * settings} ({@code requireApproval}, and {@code requireSigning} kept by {@link SnapshotSigning}), and {@code change-requests} to list, create, read, approve, reject and withdraw
 * (see {@link ChangeRequests} for the rules). Who may approve depends on the request, so those routes are open to
 * editors and the request decides.
 */
final class ChangeRequestApi {
    private static final String ENV = "/v1/admin/environments/{env}";
    private static final String REQUESTS = ENV + "/change-requests";

    private final LogicStore store;
    private final ChangeRequests requests;
    private final SnapshotSigning signing;
    private final Clock clock;
    private final int maxBodyBytes;

    ChangeRequestApi(
            LogicStore store, ChangeRequests requests, SnapshotSigning signing, Clock clock, int maxBodyBytes) {
        this.store = store;
        this.requests = requests;
        this.signing = signing;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(Router r) {
        r.add("GET", ENV + "/settings", Router.Access.VIEWER, this::settings);
        r.add("PUT", ENV + "/settings", Router.Access.ADMIN, this::putSettings);
        r.add("GET", REQUESTS, Router.Access.VIEWER, this::list);
        r.add("POST", REQUESTS, Router.Access.EDITOR, this::create);
        r.add("GET", REQUESTS + "/{id}", Router.Access.VIEWER, this::get);
        r.add("POST", REQUESTS + "/{id}/approve", Router.Access.EDITOR, this::approve);
        r.add("POST", REQUESTS + "/{id}/reject", Router.Access.EDITOR, this::reject);
        r.add("POST", REQUESTS + "/{id}/withdraw", Router.Access.EDITOR, this::withdraw);
    }

    /** Where the change request {@code id} of {@code environment} is read. */
    static String location(String environment, long id) {
        return "/v1/admin/environments" + ProposedEdit.pathOf(environment) + "/change-requests/" + id;
    }

    private void settings(Call call) throws IOException {
        call.json(200, settingsBody(call.param("env")));
    }

    private ObjectNode settingsBody(String environment) {
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, environment);
            ObjectNode result = Json.object();
            result.put("environment", env.name());
            result.put("requireApproval", requests.requiresApproval(c, env));
            result.put("requireSigning", signing.required(c, env));
            return result;
        });
        body.put("signingKey", signing.signs());
        return body;
    }

    /**
     * {@code {"requireApproval": true, "requireSigning": true, "message": "..."}}, with either setting or both; each
     * change is audited on its own.
     */
    private void putSettings(Call call) throws IOException {
        JsonNode body = Requests.object(call, maxBodyBytes);
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("requireApproval") && !name.equals("requireSigning") && !name.equals("message")) {
                throw ApiException.badRequest("unknown key \"" + name
                        + "\" in the settings; the keys are requireApproval, requireSigning and message");
            }
        });
        JsonNode approval = body.get("requireApproval");
        JsonNode signed = body.get("requireSigning");
        if ((approval == null && signed == null)
                || (approval != null && !approval.isBoolean())
                || (signed != null && !signed.isBoolean())) {
            throw ApiException.badRequest("settings are {\"requireApproval\": true or false, \"requireSigning\": true"
                    + " or false, \"message\": \"...\"} with one or both settings");
        }
        String env = call.param("env");
        LogicStore.Change change = Requests.change(call, body);
        if (signed != null) {
            signing.setRequired(change, env, signed.asBoolean());
        }
        if (approval != null) {
            requests.setRequiresApproval(change, env, approval.asBoolean());
        }
        call.json(200, settingsBody(env));
    }

    /** {@code ?status=open} (or approved, rejected, withdrawn, superseded; all without), newest first. */
    private void list(Call call) throws IOException {
        String status = call.query("status", null);
        if (status != null && !ChangeRequests.STATUSES.contains(status)) {
            throw ApiException.badRequest(
                    "status must be open, approved, rejected, withdrawn or superseded, was \"" + status + "\"");
        }
        int limit = (int) Math.min(500, Math.max(1, call.queryLong("limit", 100)));
        ObjectNode body = store.db().read(c -> {
            LogicStore.Environment env = store.environment(c, call.param("env"));
            ObjectNode result = Json.object();
            result.put("environment", env.name());
            result.put("requireApproval", requests.requiresApproval(c, env));
            result.set("changeRequests", requests.list(c, env, status, limit));
            return result;
        });
        call.json(200, body);
    }

    /**
     * {@code {"method": "PUT", "path": "/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_1",
     * "body": {"value": 50}, "message": "..."}} with {@code If-Match}: asks for the edit whether or not the environment
     * requires approval. An editor asks this way for an override an admin must approve (a field without the table).
     */
    private void create(Call call) throws IOException {
        long ifMatch = Requests.ifMatch(call);
        JsonNode request = Requests.object(call, maxBodyBytes);
        if (!request.path("method").isTextual() || !request.path("path").isTextual()) {
            throw ApiException.badRequest("a change request is {\"method\": \"PUT\", \"path\": \"/fields/...\","
                    + " \"body\": {...}, \"message\": \"...\"}");
        }
        ProposedEdit edit = ProposedEdit.of(
                request.get("method").asText(), request.get("path").asText(), request.get("body"), clock.instant());
        LogicApi.checkField(store, edit.field());
        String env = call.param("env");
        ObjectNode created = requests.create(Requests.change(call, request), env, ifMatch, edit);
        call.setHeader("Location", location(env, created.get("id").asLong()));
        call.json(201, created);
    }

    private long id(Call call) {
        try {
            return Long.parseLong(call.param("id"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no change request \"" + call.param("id") + "\"");
        }
    }

    private void get(Call call) throws IOException {
        ObjectNode request = store.db()
                .read(c ->
                        ChangeRequests.describe(requests.load(c, store.environment(c, call.param("env")), id(call))));
        call.json(200, request);
    }

    /** The optional body {@code {"comment": "..."}}: the review comment, as the change message. */
    private LogicStore.Change review(Call call) throws IOException {
        byte[] bytes = call.body(maxBodyBytes);
        JsonNode body = bytes.length == 0 ? Json.object() : Json.parse(bytes);
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object such as {\"comment\": \"...\"}");
        }
        JsonNode comment = body.get("comment");
        if (comment != null && !comment.isTextual()) {
            throw ApiException.badRequest("\"comment\" must be a string");
        }
        ObjectNode asMessage = Json.object();
        asMessage.put("message", comment == null ? "" : comment.asText());
        return Requests.change(call, asMessage);
    }

    private void approve(Call call) throws IOException {
        call.json(200, requests.approve(review(call), call.param("env"), id(call)));
    }

    private void reject(Call call) throws IOException {
        call.json(200, requests.reject(review(call), call.param("env"), id(call)));
    }

    private void withdraw(Call call) throws IOException {
        call.json(200, requests.withdraw(review(call), call.param("env"), id(call)));
    }
}
