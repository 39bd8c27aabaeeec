package com.acme.teams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.acme.flags.Plan;
import com.acme.flags.TollgateExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TeamServiceTest {
    @RegisterExtension
    static final TollgateExtension tollgate = TollgateExtension.withValues(v -> v.entitlements(e -> e.maxTeamSize(10)));

    @Test
    void teamAtItsLimit_gets403() {
        tollgate.update(v -> v.entitlements(e -> e.maxTeamSize(3)));

        assertEquals(403, new TeamService(tollgate.tollgate()).addMember("org_1", Plan.PRO, "u1", 3));
    }

    @Test
    void teamBelowItsLimit_gets201() {
        assertEquals(201, new TeamService(tollgate.tollgate()).addMember("org_1", Plan.PRO, "u1", 9));
    }
}
