package dev.tollgate.examples.team.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.examples.team.domain.Organizations.Organization;
import dev.tollgate.runtime.IntLimit;
import dev.tollgate.runtime.LimitCheck;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code POST /api/add-team-member}, whatever serves it: reads {@code {"userId": ..., "teamId": ...}}, enforces {@code
 * maxTeamSize} with the fallback 5, and answers the seed's bodies. A refusal names the limit, why it is what it is, and
 * the plans whose limit would fit one more member. Thread-safe.
 */
public final class AddTeamMember {
    /** The fallback when the logic cannot answer, as in the seed. */
    public static final int DEFAULT_MAX_TEAM_SIZE = 5;
    /** The header that names the calling organization. */
    public static final String ORGANIZATION_HEADER = "X-Organization-Id";
    /** The context attribute of the plan, as snapshots and limit checks name it. */
    public static final String PLAN_ATTRIBUTE = "context.organization.plan";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 16 * 1024;

    /**
     * An HTTP status and its JSON body.
     *
     * @param status the status code
     * @param body the body
     */
    public record Reply(int status, ObjectNode body) {}

    private final Teams teams;

    /**
     * The route over {@code teams}.
     *
     * @param teams where members are kept
     */
    public AddTeamMember(Teams teams) {
        this.teams = Objects.requireNonNull(teams, "teams");
    }

    /**
     * Adds the member {@code body} names to {@code organization}'s team if the limit allows one more.
     *
     * @param organization the calling organization
     * @param body the request body, read whatever its content type (at most 16 KiB)
     * @param maxTeamSize the organization's limit, asked for only once the body is valid
     * @return 200 with the team, 403 when it is full, 409 for a member already in it, 400 for a bad body
     * @throws IOException if the body cannot be read
     */
    public Reply handle(Organization organization, InputStream body, Supplier<IntLimit> maxTeamSize)
            throws IOException {
        JsonNode json = readBody(body);
        String userId = text(json, "userId");
        String teamId = text(json, "teamId");
        if (userId == null || teamId == null) {
            return error(
                    400, "Invalid request", "The body must be a JSON object with string fields userId and teamId.");
        }
        IntLimit limit = maxTeamSize.get();
        Teams.Result result =
                teams.add(organization.id(), teamId, userId, size -> limit.check(size, 1, DEFAULT_MAX_TEAM_SIZE));
        return switch (result.outcome()) {
            case FULL -> teamFull(result.check());
            case ALREADY_MEMBER -> error(
                    409, "Already a member", userId + " is already a member of team " + teamId + ".");
            case ADDED -> added(result, teamId, userId);
        };
    }

    /** The 401 for a missing or unknown {@value #ORGANIZATION_HEADER}. */
    public static Reply unknownOrganization() {
        return error(
                401,
                "Unknown organization",
                "Send the " + ORGANIZATION_HEADER
                        + " header with one of org_hooli, org_initech, org_globex, org_umbrella.");
    }

    /**
     * The error body every route of the examples answers: {@code {"error": ..., "message": ...}}.
     *
     * @param status the status code
     * @param error what went wrong, in a few words
     * @param message what to do about it
     * @return the reply
     */
    public static Reply error(int status, String error, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("message", message);
        return new Reply(status, body);
    }

    private static Reply teamFull(LimitCheck check) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", "Team size limit reached");
        body.put("teamSize", check.used());
        body.put("maxTeamSize", check.limit());
        body.put("requested", check.requested());
        body.put("remaining", check.remaining());
        body.put("reason", check.reason().toString());
        ArrayNode upgradeTo = body.putArray("upgradeTo");
        for (LimitCheck.Alternative alternative : check.alternatives()) {
            if (alternative.attribute().equals(PLAN_ATTRIBUTE)) {
                upgradeTo.addObject().put("plan", alternative.value()).put("maxTeamSize", alternative.limit());
            }
        }
        String next = upgradeTo.isEmpty()
                ? " Contact sales to raise the limit."
                : " Upgrade to " + upgradeTo.get(0).get("plan").asText() + " to add more members.";
        body.put("message", "Your team has reached the maximum size of " + check.limit() + " members." + next);
        return new Reply(403, body);
    }

    private static Reply added(Teams.Result result, String teamId, String userId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("success", true);
        body.put("currentTeamSize", result.members().size());
        body.put("maxTeamSize", result.check().limit());
        ObjectNode added = body.putObject("result");
        added.put("teamId", teamId);
        added.put("userId", userId);
        added.set("members", JSON.valueToTree(result.members()));
        return new Reply(200, body);
    }

    /** The body as JSON, or null when it is not JSON or larger than 16 KiB. */
    private static JsonNode readBody(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? null : JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }
}
