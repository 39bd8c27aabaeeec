package dev.tollgate.openfeature;

import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import dev.tollgate.testing.SplitSpec;
import java.util.List;
import java.util.Map;

/** The seed's schema with a few more fields and context attributes, its snapshot, and contexts for it. */
final class Fixtures {
    static final Schema SCHEMA = Schema.parse(
            """
            input Context {
              organization: Organization!
              user: User!
              region: String
              seats: Int
              trialEndsAt: String
            }
            input Organization { id: String!  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }
            enum Tier { BASIC PRIORITY }

            type Root { entitlements: Entitlements! }
            type Entitlements {
              teamRolesEnabled: Boolean!
              maxTeamSize: Int!
              maxApiRequestsPerDay(endpoint: String!): Int!
              versionHistoryEnabled: Boolean!
              supportTier: Tier!
              allowedRegions: [String!]!
              storageGb: Float!
              brandName: String!
            }
            """,
            "schema.graphql");

    private Fixtures() {}

    /**
     * maxTeamSize: org_big 50, PRO 20, else 3; maxApiRequestsPerDay: search 1000, else 100; versionHistoryEnabled: a
     * split by user with one arm, "on"; supportTier: ENTERPRISE PRIORITY, else BASIC; allowedRegions: eu, us;
     * storageGb: a split by the optional region; brandName: "Trial" for a trial ending in 2030, "Big" from ten seats,
     * and no default; teamRolesEnabled: no logic.
     */
    static SnapshotBuilder snapshot(long revision) {
        return SnapshotBuilder.forSchema(SCHEMA)
                .revision(revision)
                .field("entitlements.maxTeamSize", f -> f.override("context.organization.id", "org_big", 50)
                        .rule("pro", ConditionSpec.eq("context.organization.plan", "PRO"), 20)
                        .defaultValue(3))
                .field("entitlements.maxApiRequestsPerDay", f -> f.rule(
                                "search", ConditionSpec.eq("args.endpoint", "search"), 1000)
                        .defaultValue(100))
                .field(
                        "entitlements.versionHistoryEnabled",
                        f -> f.splitRule(
                                "rollout",
                                ConditionSpec.ne("context.organization.plan", "ENTERPRISE"),
                                SplitSpec.by("context.user.id").seed("rollout").arm("on", 100, true)))
                .field("entitlements.supportTier", f -> f.rule(
                                "enterprise", ConditionSpec.eq("context.organization.plan", "ENTERPRISE"), "PRIORITY")
                        .defaultValue("BASIC"))
                .value("entitlements.allowedRegions", List.of("eu", "us"))
                .field(
                        "entitlements.storageGb",
                        f -> f.splitRule(
                                "by-region",
                                ConditionSpec.ne("context.organization.plan", "ENTERPRISE"),
                                SplitSpec.by("context.region").seed("storage").arm("small", 100, 10.5)))
                .field("entitlements.brandName", f -> f.rule(
                                "trial", ConditionSpec.startsWith("context.trialEndsAt", "2030-"), "Trial")
                        .rule("big", ConditionSpec.gte("context.seats", 10), "Big"));
    }

    /** A client without sources or logs with {@link #snapshot(long)} revision 1 installed. */
    static TollgateClient client() {
        TollgateClient client = emptyClient();
        snapshot(1).installInto(client);
        return client;
    }

    /** A client without sources or logs and without a snapshot. */
    static TollgateClient emptyClient() {
        return TollgateClient.builder(SCHEMA).logs(LogOptions.disabled()).build();
    }

    /** An evaluation context for organization {@code orgId} on {@code plan}, with the user as targeting key. */
    static ImmutableContext context(String orgId, String plan, String userId) {
        return new ImmutableContext(userId, Map.of("organization", organization(orgId, plan)));
    }

    static Value organization(String orgId, String plan) {
        return new Value(new ImmutableStructure(Map.of("id", new Value(orgId), "plan", new Value(plan))));
    }

    /** {@code context} with {@code attributes} added. */
    static ImmutableContext with(ImmutableContext context, Map<String, Value> attributes) {
        Map<String, Value> all = new java.util.HashMap<>(context.asMap());
        all.putAll(attributes);
        return new ImmutableContext(context.getTargetingKey(), all);
    }

    static Value args(String name, Object value) {
        return new Value(new ImmutableStructure(Map.of(name, Value.objectToValue(value))));
    }
}
