package com.acme.seed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "A team at its limit gets a 403", in a few lines, with the generated JUnit extension. */
class TeamLimitTest {
    @RegisterExtension
    static final TollgateExtension tollgate = TollgateExtension.withValues(v -> v.entitlements(e -> e.maxTeamSize(5)));

    /** The code under test: a service that reads the limit through the generated API. */
    static final class TeamService {
        private final Tollgate flags;

        TeamService(Tollgate flags) {
            this.flags = flags;
        }

        int addMember(String orgId, int currentSize) {
            Context context = Context.builder().organization(orgId, Plan.PRO).user("u1").build();
            return currentSize >= flags.root(context).entitlements().maxTeamSize(1) ? 403 : 201;
        }
    }

    @Test
    void teamAtItsLimit_gets403() {
        tollgate.update(v -> v.entitlements(e -> e.maxTeamSize(3)));
        assertEquals(403, new TeamService(tollgate.tollgate()).addMember("org_1", 3));
    }

    @Test
    void teamBelowTheBaselineLimit_gets201(Tollgate injected, TollgateTestKit kit) {
        assertEquals(201, new TeamService(injected).addMember("org_1", 4));
        assertEquals(5, kit.root(Context.builder().organization("o", Plan.FREE).user("u").build())
                .entitlements()
                .maxTeamSize(0));
    }
}
