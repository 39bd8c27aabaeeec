package dev.tollgate.benchmarks.sdk;

/** Packs the four answers into one int so that a benchmark returns (and JMH consumes) all of them. */
public final class Answers {
    private Answers() {}

    public static int pack(boolean teamRolesEnabled, int maxTeamSize, int maxApiRequestsPerDay, boolean history) {
        return ((maxTeamSize * 31 + maxApiRequestsPerDay) << 2) | (teamRolesEnabled ? 2 : 0) | (history ? 1 : 0);
    }
}
