package com.acme.teams;

import com.acme.flags.Context;
import com.acme.flags.Plan;
import com.acme.flags.Tollgate;

/** Adds members to teams, within the organization's entitlement. */
public final class TeamService {
    private final Tollgate tollgate;

    public TeamService(Tollgate tollgate) {
        this.tollgate = tollgate;
    }

    /** The HTTP status of adding a member to a team of {@code currentSize}. */
    public int addMember(String organizationId, Plan plan, String userId, int currentSize) {
        Context context = Context.builder().organization(organizationId, plan).user(userId).build();
        int maxTeamSize = tollgate.root(context).entitlements().maxTeamSize(5);
        return currentSize >= maxTeamSize ? 403 : 201;
    }
}
