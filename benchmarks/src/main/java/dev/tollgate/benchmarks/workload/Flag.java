package dev.tollgate.benchmarks.workload;

import java.util.List;

/**
 * The four seed entitlements and their logic, identical for every SDK: an organization override table first, then by
 * plan (enterprise, then pro), else the default. Override values are drawn from a few tiers per flag, as sales deals
 * are; every SDK gets exactly the same rows.
 */
public enum Flag {
    TEAM_ROLES_ENABLED("teamRolesEnabled", "entitlements.teamRolesEnabled", false, true, true, List.of(true, false)),
    MAX_TEAM_SIZE("maxTeamSize", "entitlements.maxTeamSize", 5, 20, 1_000, List.of(50, 100, 250, 500)),
    MAX_API_REQUESTS_PER_DAY(
            "maxApiRequestsPerDay",
            "entitlements.maxApiRequestsPerDay",
            1_000,
            100_000,
            1_000_000,
            List.of(5_000, 20_000, 200_000, 2_000_000)),
    VERSION_HISTORY_ENABLED(
            "versionHistoryEnabled", "entitlements.versionHistoryEnabled", false, false, true, List.of(true, false));

    private final String key;
    private final String path;
    private final Object defaultValue;
    private final Object proValue;
    private final Object enterpriseValue;
    private final List<Object> overrideTiers;

    Flag(String key, String path, Object defaultValue, Object proValue, Object enterpriseValue, List<?> tiers) {
        this.key = key;
        this.path = path;
        this.defaultValue = defaultValue;
        this.proValue = proValue;
        this.enterpriseValue = enterpriseValue;
        this.overrideTiers = List.copyOf(tiers);
    }

    /** The flag key used by the peers (LaunchDarkly, Unleash, flagd). */
    public String key() {
        return key;
    }

    /** The Tollgate field path. */
    public String path() {
        return path;
    }

    public boolean isBoolean() {
        return defaultValue instanceof Boolean;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    /** The value for a plan without an override: enterprise, pro, else the default. */
    public Object planValue(Plan plan) {
        return switch (plan) {
            case ENTERPRISE -> enterpriseValue;
            case PRO -> proValue;
            case FREE -> defaultValue;
        };
    }

    /** The values override rows take, in a fixed order. */
    public List<Object> overrideTiers() {
        return overrideTiers;
    }

    /** Every value the flag can answer, without repeats, in a fixed order: default, pro, enterprise, tiers. */
    public List<Object> distinctValues() {
        java.util.LinkedHashSet<Object> values = new java.util.LinkedHashSet<>();
        values.add(defaultValue);
        values.add(proValue);
        values.add(enterpriseValue);
        values.addAll(overrideTiers);
        return List.copyOf(values);
    }
}
