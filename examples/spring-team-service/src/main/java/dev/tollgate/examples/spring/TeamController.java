package dev.tollgate.examples.spring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.examples.spring.flags.Context;
import dev.tollgate.examples.spring.flags.Plan;
import dev.tollgate.examples.spring.flags.Tollgate;
import dev.tollgate.examples.team.domain.AddTeamMember;
import dev.tollgate.examples.team.domain.Organizations;
import dev.tollgate.examples.team.domain.Organizations.Organization;
import dev.tollgate.examples.team.domain.Teams;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/add-team-member}, as in the seed and the plain example: enforces {@code maxTeamSize} with the
 * fallback 5, read through the generated accessors of the {@link Tollgate} bean the starter built.
 */
@RestController
class TeamController {
    static final String USER_HEADER = "X-User-Id";

    private final Tollgate tollgate;
    private final Organizations organizations;
    private final AddTeamMember addTeamMember;

    TeamController(Tollgate tollgate, Organizations organizations, Teams teams) {
        this.tollgate = tollgate;
        this.organizations = organizations;
        this.addTeamMember = new AddTeamMember(teams);
    }

    /**
     * Takes the body from the request itself, whatever its content type, as the seed does: {@code curl -d} sends JSON
     * labelled as a form, which Spring's message converters would refuse or rewrite.
     */
    @PostMapping("/api/add-team-member")
    ResponseEntity<ObjectNode> addTeamMember(
            @RequestHeader(name = AddTeamMember.ORGANIZATION_HEADER, required = false) String organizationId,
            @RequestHeader(name = USER_HEADER, required = false) String user,
            HttpServletRequest request)
            throws IOException {
        Optional<Organization> organization = organizations.find(organizationId);
        AddTeamMember.Reply reply = organization.isEmpty()
                ? AddTeamMember.unknownOrganization()
                : addTeamMember.handle(
                        organization.get(), request.getInputStream(), () -> tollgate.root(Context.builder()
                                        .organization(
                                                organization.get().id(),
                                                Plan.valueOf(organization.get().plan()))
                                        .user(user == null ? "anonymous" : user)
                                        .build())
                                .entitlements()
                                .maxTeamSize());
        return ResponseEntity.status(reply.status()).body(reply.body());
    }
}
