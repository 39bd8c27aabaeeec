package com.example.teams;

import com.example.teams.flags.Context;
import com.example.teams.flags.Plan;
import com.example.teams.flags.Tollgate;

/** Reads one entitlement through the accessors the Gradle build generated, from the snapshot embedded at build time. */
public final class App {
    private App() {}

    /** The team-size limit of {@code organization} on {@code plan}, 5 when the logic cannot answer. */
    public static int maxTeamSize(Tollgate tollgate, String organization, Plan plan) {
        return tollgate.root(Context.builder().organization(organization, plan).user("cli").build())
                .entitlements()
                .maxTeamSize(5);
    }

    public static void main(String[] args) {
        try (Tollgate tollgate = Tollgate.create()) {
            for (Plan plan : Plan.values()) {
                System.out.println(plan + ": maxTeamSize " + maxTeamSize(tollgate, "org_example", plan));
            }
        }
    }
}
