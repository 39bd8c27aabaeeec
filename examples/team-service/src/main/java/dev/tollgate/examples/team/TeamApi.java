package dev.tollgate.examples.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.examples.team.Organizations.Organization;
import dev.tollgate.examples.team.flags.Context;
import dev.tollgate.examples.team.flags.Tollgate;
import dev.tollgate.runtime.IntLimit;
import dev.tollgate.runtime.LimitCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The team-management API. Every route reads its entitlements through one root taken for the calling organization,
 * with the fallbacks the seed uses when the logic cannot answer.
 */
final class TeamApi {
    static final int DEFAULT_MAX_TEAM_SIZE = 5;
    static final int DEFAULT_SEARCH_REQUESTS_PER_DAY = 100;
    static final String ORGANIZATION_HEADER = "X-Organization-Id";
    static final String USER_HEADER = "X-User-Id";
    /** The context attribute of the plan, as snapshots and limit checks name it. */
    static final String PLAN_ATTRIBUTE = "context.organization.plan";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Pattern HISTORY = Pattern.compile("/api/documents/([A-Za-z0-9_-]{1,64})/history");

    private final Tollgate tollgate;
    private final Organizations organizations;
    private final Teams teams;
    private final Quotas quotas;

    TeamApi(Tollgate tollgate, Organizations organizations, Teams teams, Quotas quotas) {
        this.tollgate = tollgate;
        this.organizations = organizations;
        this.teams = teams;
        this.quotas = quotas;
    }

    /** Handles one request; logs are flushed after the response is sent, without waiting for the flush. */
    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response = route(exchange);
            send(exchange, response);
        } finally {
            tollgate.client().flushLogs();
        }
    }

    private Response route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Optional<Organization> organization =
                organizations.find(exchange.getRequestHeaders().getFirst(ORGANIZATION_HEADER));
        if (path.equals("/api/add-team-member")) {
            return method.equals("POST")
                    ? withOrganization(organization, o -> addTeamMember(o, exchange))
                    : notAllowed("POST");
        }
        if (path.equals("/api/search")) {
            return method.equals("GET") ? withOrganization(organization, o -> search(o, exchange)) : notAllowed("GET");
        }
        Matcher history = HISTORY.matcher(path);
        if (history.matches()) {
            return method.equals("GET")
                    ? withOrganization(organization, o -> versionHistory(o, history.group(1), exchange))
                    : notAllowed("GET");
        }
        return error(404, "Not found", "No route for " + method + " " + path);
    }

    /**
     * {@code POST /api/add-team-member}: enforces {@code maxTeamSize}, as in the seed; a refusal names the limit and
     * the plans that would allow one more member.
     */
    private Response addTeamMember(Organization organization, HttpExchange exchange) throws IOException {
        JsonNode body = readBody(exchange);
        String userId = text(body, "userId");
        String teamId = text(body, "teamId");
        if (userId == null || teamId == null) {
            return error(
                    400, "Invalid request", "The body must be a JSON object with string fields userId and teamId.");
        }
        IntLimit maxTeamSize = root(organization, exchange).entitlements().maxTeamSize();
        Teams.Result result =
                teams.add(organization.id(), teamId, userId, size -> maxTeamSize.check(size, 1, DEFAULT_MAX_TEAM_SIZE));
        return switch (result.outcome()) {
            case FULL -> teamFull(result.check());
            case ALREADY_MEMBER -> error(
                    409, "Already a member", userId + " is already a member of team " + teamId + ".");
            case ADDED -> added(result, teamId, userId);
        };
    }

    /** The 403 of a full team: the limit, why it is what it is, and the plans whose limit would fit one more. */
    private static Response teamFull(LimitCheck check) {
        ObjectNode json = JSON.createObjectNode();
        json.put("error", "Team size limit reached");
        json.put("teamSize", check.used());
        json.put("maxTeamSize", check.limit());
        json.put("requested", check.requested());
        json.put("remaining", check.remaining());
        json.put("reason", check.reason().toString());
        ArrayNode upgradeTo = json.putArray("upgradeTo");
        for (LimitCheck.Alternative alternative : check.alternatives()) {
            if (alternative.attribute().equals(PLAN_ATTRIBUTE)) {
                upgradeTo.addObject().put("plan", alternative.value()).put("maxTeamSize", alternative.limit());
            }
        }
        String next = upgradeTo.isEmpty()
                ? " Contact sales to raise the limit."
                : " Upgrade to " + upgradeTo.get(0).get("plan").asText() + " to add more members.";
        json.put("message", "Your team has reached the maximum size of " + check.limit() + " members." + next);
        return new Response(403, json);
    }

    private static Response added(Teams.Result result, String teamId, String userId) {
        ObjectNode json = JSON.createObjectNode();
        json.put("success", true);
        json.put("currentTeamSize", result.members().size());
        json.put("maxTeamSize", result.check().limit());
        ObjectNode added = json.putObject("result");
        added.put("teamId", teamId);
        added.put("userId", userId);
        added.set("members", JSON.valueToTree(result.members()));
        return new Response(200, json);
    }

    /** {@code GET /api/search}: metered by {@code maxApiRequestsPerDay(endpoint: "search")}. */
    private Response search(Organization organization, HttpExchange exchange) {
        int limit = root(organization, exchange)
                .entitlements()
                .maxApiRequestsPerDay("search", DEFAULT_SEARCH_REQUESTS_PER_DAY);
        int used = quotas.record(organization.id(), "search");
        if (used > limit) {
            ObjectNode json = JSON.createObjectNode();
            json.put("error", "API quota exceeded");
            json.put("endpoint", "search");
            json.put("limit", limit);
            json.put(
                    "message",
                    "Your organization has used all " + limit
                            + " search requests for today. Please upgrade your plan for a higher quota.");
            return new Response(429, json).header("Retry-After", Long.toString(quotas.secondsUntilReset()));
        }
        String query = Optional.ofNullable(exchange.getRequestURI().getQuery()).orElse("");
        ObjectNode json = JSON.createObjectNode();
        json.put("query", query.startsWith("q=") ? query.substring(2) : query);
        json.set("results", JSON.valueToTree(List.of("Team handbook", "Quarterly plan")));
        json.put("remainingToday", limit - used);
        return new Response(200, json);
    }

    /** {@code GET /api/documents/{id}/history}: gated by {@code versionHistoryEnabled}. */
    private Response versionHistory(Organization organization, String documentId, HttpExchange exchange) {
        if (!root(organization, exchange).entitlements().versionHistoryEnabled(false)) {
            return error(
                    403,
                    "Version history not available",
                    "Version history is not included in your plan. Please upgrade your plan to see earlier versions.");
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("documentId", documentId);
        json.set(
                "versions",
                JSON.valueToTree(List.of(
                        new Version(3, "2026-11-24T16:05:00Z"),
                        new Version(2, "2026-11-20T09:12:00Z"),
                        new Version(1, "2026-11-18T14:40:00Z"))));
        return new Response(200, json);
    }

    private record Version(int version, String savedAt) {}

    private dev.tollgate.examples.team.flags.Root root(Organization organization, HttpExchange exchange) {
        String user = Optional.ofNullable(exchange.getRequestHeaders().getFirst(USER_HEADER))
                .orElse("anonymous");
        return tollgate.root(Context.builder()
                .organization(organization.id(), organization.plan())
                .user(user)
                .build());
    }

    private interface OrganizationRoute {
        Response apply(Organization organization) throws IOException;
    }

    private Response withOrganization(Optional<Organization> organization, OrganizationRoute route) throws IOException {
        if (organization.isEmpty()) {
            return error(
                    401,
                    "Unknown organization",
                    "Send the " + ORGANIZATION_HEADER
                            + " header with one of org_hooli, org_initech, org_globex, org_umbrella.");
        }
        return route.apply(organization.get());
    }

    private static JsonNode readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                return null;
            }
            return JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }

    private static Response notAllowed(String allowed) {
        return error(405, "Method not allowed", "Use " + allowed + ".").header("Allow", allowed);
    }

    private static Response error(int status, String error, String message) {
        ObjectNode json = JSON.createObjectNode();
        json.put("error", error);
        json.put("message", message);
        return new Response(status, json);
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        response.headers()
                .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A status, a JSON body and extra headers. */
    private record Response(int status, JsonNode body, Map<String, String> headers) {
        Response(int status, JsonNode body) {
            this(status, body, Map.of());
        }

        Response header(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Response(status, body, all);
        }
    }
}
