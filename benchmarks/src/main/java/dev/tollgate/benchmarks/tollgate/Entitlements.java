package dev.tollgate.benchmarks.tollgate;

import dev.tollgate.Root;

/** The schema type {@code Entitlements}: one method per field, each taking the caller's fallback. */
public final class Entitlements {
    private static final Object[] NO_ARGS = new Object[0];

    private final Root root;

    Entitlements(Root root) {
        this.root = root;
    }

    /** Whether custom team roles can be created. */
    public boolean teamRolesEnabled(boolean fallback) {
        return root.booleanValue(Flags.TEAM_ROLES_ENABLED, NO_ARGS, fallback);
    }

    public int maxTeamSize(int fallback) {
        return root.intValue(Flags.MAX_TEAM_SIZE, NO_ARGS, fallback);
    }

    public int maxApiRequestsPerDay(String endpoint, int fallback) {
        return root.intValue(Flags.MAX_API_REQUESTS_PER_DAY, new Object[] {endpoint}, fallback);
    }

    public boolean versionHistoryEnabled(boolean fallback) {
        return root.booleanValue(Flags.VERSION_HISTORY_ENABLED, NO_ARGS, fallback);
    }
}
