package dev.tollgate.examples.spring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.examples.spring.Organizations.Organization;
import dev.tollgate.examples.spring.flags.Context;
import dev.tollgate.examples.spring.flags.Tollgate;
import dev.tollgate.runtime.IntLimit;
import dev.tollgate.runtime.LimitCheck;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/add-team-member}, as in the seed: enforces {@code maxTeamSize} with the fallback 5, and a refusal
 * names the limit, why it is what it is, and the plans whose limit would fit one more member.
 */
@RestController
class TeamController {
    static final int DEFAULT_MAX_TEAM_SIZE = 5;
    static final String ORGANIZATION_HEADER = "X-Organization-Id";
    static final String USER_HEADER = "X-User-Id";
    static final String PLAN_ATTRIBUTE = "context.organization.plan";
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final Tollgate tollgate;
    private final Organizations organizations;
    private final Teams teams;
    private final ObjectMapper json;

    TeamController(Tollgate tollgate, Organizations organizations, Teams teams, ObjectMapper json) {
        this.tollgate = tollgate;
        this.organizations = organizations;
        this.teams = teams;
        this.json = json;
    }

    /**
     * Reads the body itself, whatever its content type, as the seed does: {@code curl -d} sends JSON labelled as a
     * form, which Spring's converters would refuse or rewrite.
     */
    @PostMapping("/api/add-team-member")
    ResponseEntity<ObjectNode> addTeamMember(
            @RequestHeader(name = ORGANIZATION_HEADER, required = false) String organizationId,
            @RequestHeader(name = USER_HEADER, required = false) String user,
            HttpServletRequest request)
            throws IOException {
        Optional<Organization> organization = organizations.find(organizationId);
        if (organization.isEmpty()) {
            return error(
                    401,
                    "Unknown organization",
                    "Send the " + ORGANIZATION_HEADER
                            + " header with one of org_hooli, org_initech, org_globex, org_umbrella.");
        }
        JsonNode body = readBody(request);
        String userId = text(body, "userId");
        String teamId = text(body, "teamId");
        if (userId == null || teamId == null) {
            return error(
                    400, "Invalid request", "The body must be a JSON object with string fields userId and teamId.");
        }
        Organization org = organization.get();
        IntLimit maxTeamSize = tollgate.root(Context.builder()
                        .organization(org.id(), org.plan())
                        .user(user == null ? "anonymous" : user)
                        .build())
                .entitlements()
                .maxTeamSize();
        Teams.Result result =
                teams.add(org.id(), teamId, userId, size -> maxTeamSize.check(size, 1, DEFAULT_MAX_TEAM_SIZE));
        return switch (result.outcome()) {
            case FULL -> teamFull(result.check());
            case ALREADY_MEMBER -> error(
                    409, "Already a member", userId + " is already a member of team " + teamId + ".");
            case ADDED -> added(result, teamId, userId);
        };
    }

    /** The 403 of a full team, the seed's body field for field. */
    private ResponseEntity<ObjectNode> teamFull(LimitCheck check) {
        ObjectNode body = json.createObjectNode();
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
        return ResponseEntity.status(403).body(body);
    }

    private ResponseEntity<ObjectNode> added(Teams.Result result, String teamId, String userId) {
        ObjectNode body = json.createObjectNode();
        body.put("success", true);
        body.put("currentTeamSize", result.members().size());
        body.put("maxTeamSize", result.check().limit());
        ObjectNode added = body.putObject("result");
        added.put("teamId", teamId);
        added.put("userId", userId);
        added.set("members", json.valueToTree(result.members()));
        return ResponseEntity.ok(body);
    }

    private ResponseEntity<ObjectNode> error(int status, String error, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error", error);
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }

    /** The body as JSON, or null when it is not JSON or larger than 16 KiB. */
    private JsonNode readBody(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? null : json.readTree(bytes);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null ? null : body.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }
}
