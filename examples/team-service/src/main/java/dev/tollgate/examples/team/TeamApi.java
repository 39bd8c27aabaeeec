package dev.tollgate.examples.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tollgate.examples.team.domain.AddTeamMember;
import dev.tollgate.examples.team.domain.Organizations;
import dev.tollgate.examples.team.domain.Organizations.Organization;
import dev.tollgate.examples.team.domain.Teams;
import dev.tollgate.examples.team.flags.Context;
import dev.tollgate.examples.team.flags.Plan;
import dev.tollgate.examples.team.flags.Tollgate;
import dev.tollgate.runtime.Consumption;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
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
    static final int DEFAULT_MAX_TEAM_SIZE = AddTeamMember.DEFAULT_MAX_TEAM_SIZE;
    static final int DEFAULT_SEARCH_REQUESTS_PER_DAY = 100;
    static final String ORGANIZATION_HEADER = AddTeamMember.ORGANIZATION_HEADER;
    static final String USER_HEADER = "X-User-Id";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HISTORY = Pattern.compile("/api/documents/([A-Za-z0-9_-]{1,64})/history");

    private final Tollgate tollgate;
    private final Organizations organizations;
    private final AddTeamMember addTeamMember;

    TeamApi(Tollgate tollgate, Organizations organizations, Teams teams) {
        this.tollgate = tollgate;
        this.organizations = organizations;
        this.addTeamMember = new AddTeamMember(teams);
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

    /** {@code POST /api/add-team-member}: enforces {@code maxTeamSize}, as in the seed (see {@link AddTeamMember}). */
    private Response addTeamMember(Organization organization, HttpExchange exchange) throws IOException {
        AddTeamMember.Reply reply =
                addTeamMember.handle(organization, exchange.getRequestBody(), () -> root(organization, exchange)
                        .entitlements()
                        .maxTeamSize());
        return new Response(reply.status(), reply.body());
    }

    /**
     * {@code GET /api/search}: metered by {@code maxApiRequestsPerDay(endpoint: "search")}, which counts each request
     * per organization and UTC day (across every instance of the service, when it talks to a Tollgate server).
     */
    private Response search(Organization organization, HttpExchange exchange) {
        Consumption quota = root(organization, exchange)
                .entitlements()
                .maxApiRequestsPerDay("search")
                .tryConsume(1, DEFAULT_SEARCH_REQUESTS_PER_DAY);
        if (!quota.allowed()) {
            ObjectNode json = JSON.createObjectNode();
            json.put("error", "API quota exceeded");
            json.put("endpoint", "search");
            json.put("limit", quota.limit());
            json.put("used", quota.used());
            json.put("resetsAt", quota.resetsAt().toString());
            json.put(
                    "message",
                    "Your organization has used all " + quota.limit()
                            + " search requests for today. Please upgrade your plan for a higher quota.");
            return new Response(429, json).header("Retry-After", Long.toString(secondsUntil(quota.resetsAt())));
        }
        String query = Optional.ofNullable(exchange.getRequestURI().getQuery()).orElse("");
        ObjectNode json = JSON.createObjectNode();
        json.put("query", query.startsWith("q=") ? query.substring(2) : query);
        json.set("results", JSON.valueToTree(List.of("Team handbook", "Quarterly plan")));
        json.put("remainingToday", quota.remaining());
        return new Response(200, json);
    }

    /** Whole seconds until {@code instant}, at least 1: what {@code Retry-After} says. */
    private static long secondsUntil(Instant instant) {
        return Math.max(1, Duration.between(Instant.now(), instant).toSeconds() + 1);
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
                .organization(organization.id(), Plan.valueOf(organization.plan()))
                .user(user)
                .build());
    }

    private interface OrganizationRoute {
        Response apply(Organization organization) throws IOException;
    }

    private Response withOrganization(Optional<Organization> organization, OrganizationRoute route) throws IOException {
        if (organization.isEmpty()) {
            AddTeamMember.Reply reply = AddTeamMember.unknownOrganization();
            return new Response(reply.status(), reply.body());
        }
        return route.apply(organization.get());
    }

    private static Response notAllowed(String allowed) {
        return error(405, "Method not allowed", "Use " + allowed + ".").header("Allow", allowed);
    }

    private static Response error(int status, String error, String message) {
        AddTeamMember.Reply reply = AddTeamMember.error(status, error, message);
        return new Response(reply.status(), reply.body());
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
